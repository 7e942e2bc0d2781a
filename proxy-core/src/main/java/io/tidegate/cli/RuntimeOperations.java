package io.tidegate.cli;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.SessionView;
import io.tidegate.stats.StatsSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime API reads and changes. Implementations route every change through the one
 * management service (so JMX and the admin pages see it, it is audited and saved) and throw
 * {@link IllegalArgumentException} for an unknown backend or server, {@link IllegalStateException}
 * when nothing is served.
 */
public interface RuntimeOperations {
    /** The statistics now, empty while Tidegate serves no configuration. */
    Optional<StatsSnapshot> snapshot();

    void setWeight(String backend, String server, int weight);

    void setAdminState(String backend, String server, AdminState state);

    void setHealthChecks(String backend, String server, boolean enabled);

    /** HAProxy's {@code set server B/S health up|stopping|down}: the verdict until the next health check. */
    void setHealth(String backend, String server, io.tidegate.engine.ForcedHealth health);

    /** The stick tables now ({@code show table}), with the entries of table {@code withRowsOf} only (null: none). */
    List<io.tidegate.engine.StickTableView> stickTables(String withRowsOf);

    /**
     * {@code clear table T [key K]}: removes the untracked entries of T, or K's; how many.
     *
     * @throws IllegalArgumentException when there is no such table
     */
    int clearStickTable(String table, String key);

    /** The client sessions open now ({@code show sess}), oldest first; empty while nothing is served. */
    List<SessionView> sessions();

    /** The last invalid request of each frontend and response of each backend ({@code show errors}). */
    List<io.tidegate.engine.ErrorCapture> errors();

    /** Closes session {@code id} at once; false when no such session is open. */
    boolean shutdownSession(long id);

    /** Closes at once the sessions whose exchange in progress is on {@code backend/server}; how many. */
    int shutdownSessions(String backend, String server);

    /** Re-reads the configuration file; the problem, or empty when the new one runs. */
    Optional<String> reload();
}
