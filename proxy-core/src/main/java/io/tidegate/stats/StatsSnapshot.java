package io.tidegate.stats;

import io.tidegate.config.Config;
import io.tidegate.config.ProxySection;
import io.tidegate.engine.Engine;
import io.tidegate.engine.EnginePlan;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.health.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the statistics answers are built from, taken at one moment: the engine's status, its
 * proxies in configuration order with HAProxy-style numeric ids ({@code iid}, 1-based in file
 * order; servers' {@code sid} 1-based in their backend), the configured weights, the health checks'
 * state and the process facts {@code show info} reports.
 */
public record StatsSnapshot(EngineStatus status, List<Proxy> proxies, HealthLookup health, Process process,
                            Instant engineStarted, Instant now) {

    /**
     * One proxy as HAProxy counts it: a frontend, a backend, or a listen section (both).
     *
     * @param frontend       its frontend side, null for a backend
     * @param backend        its backend side, null for a frontend
     * @param mode           {@code http} or {@code tcp}
     * @param maxconn        the frontend's connection limit, 0 when not a frontend
     * @param initialWeights the configured weight of each server, by name
     */
    public record Proxy(int iid, String name, FrontendStatus frontend, BackendStatus backend, String mode,
                        int maxconn, Map<String, Integer> initialWeights) {
        public Proxy {
            initialWeights = Map.copyOf(initialWeights);
        }

        /** The configured weight of a server (its current one when unknown). */
        public int initialWeight(String server, int current) {
            return initialWeights.getOrDefault(server, current);
        }
    }

    /**
     * Facts about the process for {@code show info}.
     *
     * @param name     what {@code Name:} says
     * @param version  what {@code Version:} says
     * @param started  when the process (the deployment) started
     * @param nbthread IO threads
     * @param maxconn  the global connection limit, 0 when none
     * @param node     the host name
     */
    public record Process(String name, String version, Instant started, int nbthread, int maxconn, String node) {
    }

    public StatsSnapshot {
        proxies = List.copyOf(proxies);
    }

    /** A snapshot of a running engine now. */
    public static StatsSnapshot of(Engine engine, HealthLookup health, Process process, Instant engineStarted) {
        return of(engine.status(), engine.plan(), engine.config(), health, process, engineStarted, Instant.now());
    }

    /** A snapshot from its parts ({@code config} may be null: frontends first, then backends). */
    public static StatsSnapshot of(EngineStatus status, EnginePlan plan, Config config, HealthLookup health,
                                   Process process, Instant engineStarted, Instant now) {
        Map<String, FrontendStatus> fronts = new LinkedHashMap<>();
        for (FrontendStatus f : status.frontends()) fronts.put(f.name(), f);
        Map<String, BackendStatus> backs = new LinkedHashMap<>();
        for (BackendStatus b : status.backends()) backs.put(b.name(), b);
        Map<String, EnginePlan.Frontend> planFronts = new LinkedHashMap<>();
        Map<String, EnginePlan.Backend> planBacks = new LinkedHashMap<>();
        if (plan != null) {
            for (EnginePlan.Frontend f : plan.frontends()) planFronts.put(f.name(), f);
            for (EnginePlan.Backend b : plan.backends()) planBacks.put(b.name(), b);
        }
        // one proxy per section in file order: a frontend and a backend of one name are two proxies
        // (as in HAProxy); without a configuration, a frontend and a backend of one name are a listen
        record Sides(String name, FrontendStatus f, BackendStatus b) { }
        List<Sides> order = new ArrayList<>();
        Set<String> shownFronts = new LinkedHashSet<>();
        Set<String> shownBacks = new LinkedHashSet<>();
        if (config != null) {
            for (ProxySection p : config.proxies()) {
                FrontendStatus f = p.kind().acceptsTraffic() ? fronts.get(p.name()) : null;
                BackendStatus b = p.kind().holdsServers() ? backs.get(p.name()) : null;
                if (f == null && b == null) continue;
                order.add(new Sides(p.name(), f, b));
                if (f != null) shownFronts.add(p.name());
                if (b != null) shownBacks.add(p.name());
            }
        }
        for (FrontendStatus f : fronts.values()) {
            if (shownFronts.contains(f.name())) continue;
            BackendStatus b = config == null && !shownBacks.contains(f.name()) ? backs.get(f.name()) : null;
            order.add(new Sides(f.name(), f, b));
            if (b != null) shownBacks.add(f.name());
        }
        for (BackendStatus b : backs.values()) {
            if (!shownBacks.contains(b.name())) order.add(new Sides(b.name(), null, b));
        }
        List<Proxy> proxies = new ArrayList<>();
        int iid = 1;
        for (Sides side : order) {
            String name = side.name();
            FrontendStatus f = side.f();
            BackendStatus b = side.b();
            EnginePlan.Frontend pf = f == null ? null : planFronts.get(name);
            String mode = f != null ? f.mode() : modeOfUser(name, planFronts.values());
            Map<String, Integer> weights = new LinkedHashMap<>();
            EnginePlan.Backend pb = b == null ? null : planBacks.get(name);
            if (pb != null) for (EnginePlan.Server s : pb.servers()) weights.put(s.name(), s.weight());
            proxies.add(new Proxy(iid++, name, f, b, mode == null ? "http" : mode, pf == null ? 0 : pf.maxConnections(), weights));
        }
        return new StatsSnapshot(status, proxies, health == null ? HealthLookup.NONE : health, process, engineStarted, now);
    }

    private static String modeOfUser(String backend, Iterable<EnginePlan.Frontend> fronts) {
        for (EnginePlan.Frontend f : fronts) if (backend.equals(f.backend())) return f.mode();
        return "http";
    }

    /**
     * The proxy of that name or numeric id, empty when none. When a frontend and a backend share
     * the name, the first in file order, as HAProxy's {@code show stat NAME} / {@code show errors NAME}
     * (the id selects either); {@link #frontend(String)} and {@link #backend(String)} pick a side.
     */
    public Optional<Proxy> proxy(String nameOrId) {
        for (Proxy p : proxies) if (p.name().equals(nameOrId)) return Optional.of(p);
        for (Proxy p : proxies) if (Integer.toString(p.iid()).equals(nameOrId)) return Optional.of(p);
        return Optional.empty();
    }

    /** The frontend (or listen section) of that name, empty when none. */
    public Optional<Proxy> frontend(String name) {
        for (Proxy p : proxies) if (p.frontend() != null && p.name().equals(name)) return Optional.of(p);
        return Optional.empty();
    }

    /** The backend (or listen section) of that name, empty when none. */
    public Optional<Proxy> backend(String name) {
        for (Proxy p : proxies) if (p.backend() != null && p.name().equals(name)) return Optional.of(p);
        return Optional.empty();
    }

    /** The health of a checked server; empty when it is not checked or an operator disabled its checks. */
    Optional<HealthState> checkedHealth(String backend, String server, boolean checksEnabled) {
        return checksEnabled ? health.health(backend, server) : Optional.empty();
    }

    /** Seconds since the engine started (HAProxy's lastchg for a server that never changed). */
    long secondsSinceStart() {
        return Math.max(0, Duration.between(engineStarted, now).getSeconds());
    }
}
