package io.tidegate.control.runtimeapi;

import io.tidegate.cli.RuntimeOperations;
import io.tidegate.config.StatsSocket;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.Role;
import io.tidegate.engine.AdminState;
import io.tidegate.stats.StatsSnapshot;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runtime API's way into Tidegate: every change a stats-socket client makes goes through
 * {@link ServerManagement} (so JMX and the admin pages see it at once, and weights and states are
 * saved in the state file) — this class is the only place the runtime API calls it, and it knows
 * who acts: {@link #actor()}, e.g. {@code socket:/run/tidegate/admin.sock level admin}, for the audit.
 * The socket's level maps to the service's roles as HAProxy's levels to the admin roles: {@code user}
 * = viewer, {@code operator} = operator, {@code admin} = admin.
 */
public final class ManagementOperations implements RuntimeOperations {
    private final ServerManagement management;
    private final Supplier<Optional<StatsSnapshot>> snapshots;
    private final Actor actor;

    /**
     * @param snapshots the statistics now
     * @param actor     who acts through this socket, for the role checks and the audit
     */
    public ManagementOperations(ServerManagement management, Supplier<Optional<StatsSnapshot>> snapshots, Actor actor) {
        this.management = management;
        this.snapshots = snapshots;
        this.actor = actor;
    }

    /** The caller a client of {@code socket} is: named after the socket and its level. */
    public static Actor actorFor(StatsSocket socket) {
        Role role = switch (socket.level()) {
            case USER -> Role.VIEWER;
            case OPERATOR -> Role.OPERATOR;
            case ADMIN -> Role.ADMIN;
        };
        return Actor.user("socket:" + socket.path() + " level " + socket.level().keyword(), EnumSet.of(role));
    }

    public Actor actor() {
        return actor;
    }

    @Override
    public Optional<StatsSnapshot> snapshot() {
        return snapshots.get();
    }

    @Override
    public void setWeight(String backend, String server, int weight) {
        management.setWeight(actor, backend, server, weight);
    }

    @Override
    public void setAdminState(String backend, String server, AdminState state) {
        management.setAdminState(actor, backend, server, state);
    }

    @Override
    public void setHealthChecks(String backend, String server, boolean enabled) {
        management.setHealthChecks(actor, backend, server, enabled);
    }

    @Override
    public void setHealth(String backend, String server, io.tidegate.engine.ForcedHealth health) {
        management.setHealth(actor, backend, server, health);
    }

    @Override
    public java.util.List<io.tidegate.engine.StickTableView> stickTables(String withRowsOf) {
        return management.stickTables(withRowsOf);
    }

    @Override
    public int clearStickTable(String table, String key) {
        return management.clearStickTable(actor, table, key);
    }

    @Override
    public java.util.List<io.tidegate.engine.SessionView> sessions() {
        return management.sessions();
    }

    @Override
    public java.util.List<io.tidegate.engine.ErrorCapture> errors() {
        return management.errorCaptures();
    }

    @Override
    public boolean shutdownSession(long id) {
        return management.shutdownSession(actor, id);
    }

    @Override
    public int shutdownSessions(String backend, String server) {
        return management.shutdownSessions(actor, backend, server);
    }

    @Override
    public Optional<String> reload() {
        return management.reload(actor);
    }
}
