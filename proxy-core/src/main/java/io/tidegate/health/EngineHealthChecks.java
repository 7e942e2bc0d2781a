package io.tidegate.health;

import io.tidegate.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The health checks of one running {@link Engine}: every server of its configuration with {@code check}
 * (that the engine runs), registered with a {@link HealthCheckService} on the engine's IO threads and bound
 * to the engine through an {@link EngineHealthBinding}. A scheduler asks for {@link #servers()} and
 * {@link #nextInterval(ServerKey)} and calls {@link #check(ServerKey)} when a check is due.
 */
public final class EngineHealthChecks {

    private final Engine engine;
    private final EngineHealthBinding binding;
    private final HealthCheckService service;
    /** The checked servers, in configuration order; replaced as a whole by {@link #reload()}. */
    private volatile Map<ServerKey, ServerCheck> checks;

    private EngineHealthChecks(Engine engine, EngineHealthBinding binding, HealthCheckService service,
                               Map<ServerKey, ServerCheck> checks) {
        this.engine = engine;
        this.binding = binding;
        this.service = service;
        this.checks = Map.copyOf(checks);
        this.order = List.copyOf(checks.keySet());
    }

    private volatile List<ServerKey> order;

    /**
     * What a reload changed in the checks.
     *
     * @param started   servers whose check is new or whose check settings changed: they start again
     *                  (health kept when only the interval side allows, see {@link HealthCheckService#register})
     * @param removed   servers no longer checked
     * @param unchanged servers whose check goes on as it was
     */
    public record Reloaded(List<ServerKey> started, List<ServerKey> removed, int unchanged) {
    }

    /**
     * The engine was reloaded ({@link Engine#reload}): servers whose check settings are unchanged
     * keep their check, timers and health; changed and new ones are registered again (keeping what
     * health they can), removed ones are forgotten.
     */
    public synchronized Reloaded reload() {
        Map<ServerKey, ServerCheck> before = checks;
        HealthSnapshot kept = snapshot();
        Map<ServerKey, ServerCheck> next = new LinkedHashMap<>();
        List<ServerKey> started = new ArrayList<>();
        int unchanged = 0;
        if (engine.config() != null) {
            for (ServerCheck c : ServerChecks.of(engine.config())) {
                if (!binding.runs(c.server())) {
                    continue;
                }
                ServerCheck old = before.get(c.server());
                if (old != null && old.sameSettings(c)) {
                    next.put(c.server(), old);
                    unchanged++;
                    continue;
                }
                service.register(c, kept.keptFor(c).orElse(null));
                binding.apply(c.server(), service.state(c.server()).orElseThrow());
                next.put(c.server(), c);
                started.add(c.server());
            }
        }
        List<ServerKey> removed = new ArrayList<>();
        for (ServerKey k : before.keySet()) {
            if (!next.containsKey(k)) {
                service.unregister(k);
                removed.add(k);
            }
        }
        checks = Map.copyOf(next);
        order = List.copyOf(next.keySet());
        return new Reloaded(List.copyOf(started), List.copyOf(removed), unchanged);
    }

    /**
     * Registers the checks of {@code engine}'s configuration; a server whose check is the same as in
     * {@code previous} keeps the health it had there (and the engine is told at once when that is down).
     */
    public static EngineHealthChecks start(Engine engine, HealthSnapshot previous) {
        EngineHealthBinding binding = new EngineHealthBinding(engine);
        HealthCheckService service = binding.newService();
        Map<ServerKey, ServerCheck> checks = new LinkedHashMap<>();
        if (engine.config() != null) {
            for (ServerCheck c : ServerChecks.of(engine.config())) {
                if (!binding.runs(c.server())) {
                    continue;
                }
                service.register(c, previous.keptFor(c).orElse(null));
                binding.apply(c.server(), service.state(c.server()).orElseThrow());
                checks.put(c.server(), c);
            }
        }
        // as HAProxy: a forced health sets the check counter, so the next checks count from it
        engine.addForcedHealthListener((backend, server, health) ->
                service.force(new ServerKey(backend, server), health != io.tidegate.engine.ForcedHealth.DOWN));
        return new EngineHealthChecks(engine, binding, service, checks);
    }

    /** The checked servers, in configuration order. */
    public List<ServerKey> servers() {
        return new ArrayList<>(order);
    }

    /** When the next check of {@code server} is due after one now, for the health it has now. */
    public Duration nextInterval(ServerKey server) {
        return service.nextInterval(server);
    }

    /** Starts one check of {@code server} (or joins the one running); never blocks. */
    public CompletableFuture<CheckOutcome> check(ServerKey server) {
        return service.check(server);
    }

    /** True when {@code server} is checked here. */
    public boolean isChecked(ServerKey server) {
        return checks.containsKey(server);
    }

    /** The current health of {@code server}, empty when it is not checked. */
    public Optional<HealthState> state(ServerKey server) {
        return service.state(server);
    }

    /** Every checked server's check and health now, for the next engine. */
    public HealthSnapshot snapshot() {
        Map<ServerKey, HealthSnapshot.Entry> m = new LinkedHashMap<>();
        Map<ServerKey, ServerCheck> now = checks;
        for (ServerKey k : order) {
            ServerCheck c = now.get(k);
            if (c == null) continue;
            service.state(c.server()).ifPresent(s -> m.put(c.server(), new HealthSnapshot.Entry(c, s)));
        }
        return new HealthSnapshot(m);
    }
}
