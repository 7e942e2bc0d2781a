package io.tidegate.control.runtimeapi;

import io.tidegate.control.ServerManagement;
import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.Role;
import io.tidegate.engine.AdminState;
import io.tidegate.stats.StatsAdminActions;
import java.util.EnumSet;

/**
 * The statistics page's admin form ({@code stats admin if|unless COND}) reaching the one management
 * service: each change is made as an operator named after the page's user (e.g. {@code stats page ops},
 * or the client address when the page has no sign-in), checked, audited and kept in the state file
 * like a JMX or stats-socket change. The {@code stats admin} condition is what grants the operator
 * role, as HAProxy's admin level does for its page.
 */
public final class StatsPageActions implements StatsAdminActions {
    private final ServerManagement management;

    public StatsPageActions(ServerManagement management) {
        this.management = management;
    }

    static Actor actor(String name) {
        return Actor.user(name, EnumSet.of(Role.VIEWER, Role.OPERATOR));
    }

    @Override
    public void setAdminState(String actor, String backend, String server, AdminState state) {
        management.setAdminState(actor(actor), backend, server, state);
    }

    @Override
    public void setHealthChecks(String actor, String backend, String server, boolean enabled) {
        management.setHealthChecks(actor(actor), backend, server, enabled);
    }

    @Override
    public void setHealth(String actor, String backend, String server, io.tidegate.engine.ForcedHealth health) {
        management.setHealth(actor(actor), backend, server, health);
    }

    @Override
    public int shutdownSessions(String actor, String backend, String server) {
        return management.shutdownSessions(actor(actor), backend, server);
    }
}
