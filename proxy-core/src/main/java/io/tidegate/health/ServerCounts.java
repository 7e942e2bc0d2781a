package io.tidegate.health;

/**
 * The numbers HAProxy prints after a server transition: the usable servers left in its backend and
 * the sessions of the server that changed.
 *
 * @param activeServers  usable non-backup servers of the backend, after the transition
 * @param backupServers  usable backup servers of the backend, after the transition
 * @param sessionsActive sessions still open on the server
 * @param requeued       queued requests moved to other servers because of the transition
 * @param queued         requests still waiting in the server's queue
 */
public record ServerCounts(int activeServers, int backupServers, long sessionsActive, long requeued, long queued) {

    /** Server counts only, no session figures. */
    public static ServerCounts servers(int activeServers, int backupServers) {
        return new ServerCounts(activeServers, backupServers, 0, 0, 0);
    }
}
