package io.tidegate.control.runtimeapi;

import io.tidegate.cli.RuntimeOperations;
import io.tidegate.control.ServerManagement;
import io.tidegate.engine.AdminState;
import io.tidegate.stats.StatsSnapshot;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runtime API's way into Tidegate: every change a stats-socket client makes goes through
 * {@link ServerManagement} (so JMX and the admin pages see it at once, and weights and states are
 * saved in the state file) — this class is the only place the runtime API calls it, and it knows
 * who acts: {@link #actor()}, e.g. {@code socket:/run/tidegate/admin.sock level admin}, for the audit.
 */
public final class ManagementOperations implements RuntimeOperations {
    private final ServerManagement management;
    private final Supplier<Optional<StatsSnapshot>> snapshots;
    private final Supplier<Optional<String>> reload;
    private final String actor;

    /**
     * @param snapshots the statistics now
     * @param reload    re-reads the configuration (TidegateRuntime's reload)
     * @param actor     who acts through this socket, for the audit
     */
    public ManagementOperations(ServerManagement management, Supplier<Optional<StatsSnapshot>> snapshots,
                                Supplier<Optional<String>> reload, String actor) {
        this.management = management;
        this.snapshots = snapshots;
        this.reload = reload;
        this.actor = actor;
    }

    public String actor() {
        return actor;
    }

    @Override
    public Optional<StatsSnapshot> snapshot() {
        return snapshots.get();
    }

    @Override
    public void setWeight(String backend, String server, int weight) {
        management.setWeight(backend, server, weight);
    }

    @Override
    public void setAdminState(String backend, String server, AdminState state) {
        management.setAdminState(backend, server, state);
    }

    @Override
    public void setHealthChecks(String backend, String server, boolean enabled) {
        management.setHealthChecks(backend, server, enabled);
    }

    @Override
    public void setHealth(String backend, String server, boolean up) {
        management.setHealth(backend, server, up);
    }

    @Override
    public Optional<String> reload() {
        return reload.get();
    }
}
