package io.tidegate.stats;

import io.tidegate.config.CookieMode;
import io.tidegate.engine.AdminState;
import io.tidegate.config.CookieSpec;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ResponseCounts;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.engine.status.ServerStatusBuilder;
import io.tidegate.health.CheckResult;
import io.tidegate.health.CheckStatus;
import io.tidegate.health.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A status like HAProxy's capture of /tmp/hap/h.cfg: frontend fe, backend app (a checked, b not), listen li. */
final class StatsFixtures {
    static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
    static final Instant NOW = START.plusSeconds(65);

    static ServerStatus server(String name, String addr, int weight, boolean backup, String cookie, boolean up,
                               AdminState state, boolean checks) {
        return ServerStatusBuilder.builder()
                .name(name).address(addr).weight(weight).backup(backup).cookie(cookie)
                .currentRequests(1).totalRequests(10).up(up).adminState(state).healthChecksEnabled(checks)
                .lastCheck("").lastCheckMillis(-1).maxRequests(3).queued(0)
                .responses(new ResponseCounts(0, 7, 1, 1, 1, 0))
                .connectErrors(2).retries(1).redispatches(0).bytesIn(1000).bytesOut(5000)
                .build();
    }

    static EngineStatus status(AdminState bState, int bWeight) {
        FrontendStatus fe = new FrontendStatus("fe", List.of("127.0.0.1:18080"), "http", 2, 12, 1, 900, 4800, 1);
        FrontendStatus li = new FrontendStatus("li", List.of("127.0.0.1:18083"), "http", 0, 0, 0, 0, 0, 0);
        CookieSpec cookie = CookieSpec.of("SERVERID", CookieMode.INSERT);
        BackendStatus app = new BackendStatus("app", "roundrobin", cookie, List.of(
                server("a", "127.0.0.1:18081", 1, false, "a", false, AdminState.READY, true),
                server("b", "127.0.0.1:18082", bWeight, false, "b", true, bState, true)));
        BackendStatus liB = new BackendStatus("li", "roundrobin", null, List.of(
                server("c", "127.0.0.1:18081", 1, false, null, true, AdminState.READY, true)));
        return new EngineStatus(List.of(fe, li), List.of(app, liB));
    }

    /** a is checked and down after a refused connect; b and c are not checked. */
    static HealthLookup health() {
        HealthState down = HealthState.initial(2, 3).after(CheckResult.of(CheckStatus.L4CON).withDuration(Duration.ZERO), START.plusSeconds(62));
        return (b, s) -> b.equals("app") && s.equals("a") ? Optional.of(down) : Optional.empty();
    }

    static StatsSnapshot snapshot(AdminState bState, int bWeight) {
        return snapshot(status(bState, bWeight), health());
    }

    static StatsSnapshot snapshot(EngineStatus status, HealthLookup health) {
        StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "0.1.0", START, 2, 4000, "vm");
        StatsSnapshot s = StatsSnapshot.of(status, null, null, health, process, START, NOW);
        // the listen section li comes after backend app in the file; the proxy ids follow that order
        return new StatsSnapshot(status, List.of(
                new StatsSnapshot.Proxy(1, "fe", status.frontends().get(0), null, "http", 2000, java.util.Map.of()),
                new StatsSnapshot.Proxy(2, "app", null, status.backends().get(0), "http", 0, java.util.Map.of("a", 1, "b", 50)),
                new StatsSnapshot.Proxy(3, "li", status.frontends().get(1), status.backends().get(1), "http", 2000, java.util.Map.of("c", 1))),
                s.health(), process, START, NOW);
    }

    private StatsFixtures() {
    }
}
