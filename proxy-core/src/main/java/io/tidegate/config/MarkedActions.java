package io.tidegate.config;

/**
 * What happens to open connections when health checks change a server's state (HAProxy's server
 * options {@code on-marked-down shutdown-sessions} and {@code on-marked-up shutdown-backup-sessions}).
 *
 * @param shutdownSessionsOnDown        {@code on-marked-down shutdown-sessions}: when the server is marked
 *                                      down, every connection to it is closed at once (clients see their
 *                                      connection end instead of waiting for a dead server)
 * @param shutdownBackupSessionsOnUp    {@code on-marked-up shutdown-backup-sessions}: when this (non-backup)
 *                                      server comes up, the connections to the backend's backup servers are
 *                                      closed, so clients come back to the normal servers at once
 * @param writtenDown true when {@code on-marked-down} was written (for layering over default-server)
 * @param writtenUp   true when {@code on-marked-up} was written
 */
public record MarkedActions(boolean shutdownSessionsOnDown, boolean shutdownBackupSessionsOnUp,
                            boolean writtenDown, boolean writtenUp) {

    public static final MarkedActions NONE = new MarkedActions(false, false, false, false);

    public MarkedActions onMarkedDown(boolean shutdownSessions) {
        return new MarkedActions(shutdownSessions, shutdownBackupSessionsOnUp, true, writtenUp);
    }

    public MarkedActions onMarkedUp(boolean shutdownBackupSessions) {
        return new MarkedActions(shutdownSessionsOnDown, shutdownBackupSessions, writtenDown, true);
    }

    /** What this line writes, else what {@code base} (the default-server) says. */
    public MarkedActions over(MarkedActions base) {
        return new MarkedActions(writtenDown ? shutdownSessionsOnDown : base.shutdownSessionsOnDown,
                writtenUp ? shutdownBackupSessionsOnUp : base.shutdownBackupSessionsOnUp,
                writtenDown || base.writtenDown, writtenUp || base.writtenUp);
    }
}
