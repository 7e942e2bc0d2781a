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

    private final HealthCheckService service;
    private final Map<ServerKey, ServerCheck> checks;

    private EngineHealthChecks(HealthCheckService service, Map<ServerKey, ServerCheck> checks) {
        this.service = service;
        this.checks = checks;
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
        return new EngineHealthChecks(service, checks);
    }

    /** The checked servers, in configuration order. */
    public List<ServerKey> servers() {
        return new ArrayList<>(checks.keySet());
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
        for (ServerCheck c : checks.values()) {
            service.state(c.server()).ifPresent(s -> m.put(c.server(), new HealthSnapshot.Entry(c, s)));
        }
        return new HealthSnapshot(m);
    }
}
