package io.tidegate.stats;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.ForcedHealth;

/**
 * What the statistics page's admin form ({@code stats admin if|unless COND}) changes, implemented
 * outside the engine by the one management service (so the change is checked, audited, kept in the
 * state file and seen by JMX and the admin app at once). Called off the IO threads; may block.
 * {@code actor} names who acts, e.g. {@code stats page admin} (the signed-in {@code stats auth} user)
 * or {@code stats page 10.0.0.7} (the client address when the page has no sign-in). Each method throws
 * {@link IllegalArgumentException} for an unknown backend or server and {@link RuntimeException} when
 * the change is refused; the page then counts the server as not changed.
 */
public interface StatsAdminActions {
    void setAdminState(String actor, String backend, String server, AdminState state);

    void setHealthChecks(String actor, String backend, String server, boolean enabled);

    /** Forces the health verdict until the next check (HAProxy's "Health: force UP/NOLB/DOWN"). */
    void setHealth(String actor, String backend, String server, ForcedHealth health);

    /** Closes the sessions on that server (HAProxy's "Kill Sessions"); how many. */
    int shutdownSessions(String actor, String backend, String server);
}
