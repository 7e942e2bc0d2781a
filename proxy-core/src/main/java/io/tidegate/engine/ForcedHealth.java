package io.tidegate.engine;

/**
 * A health an operator forces on a server until its next health check says otherwise (HAProxy's
 * runtime API {@code set server B/S health up|stopping|down}).
 */
public enum ForcedHealth {
    /** Running: takes traffic as its admin state and weight allow. */
    UP,
    /**
     * Running but stopping (HAProxy's NOLB, as after a 404 under {@code http-check disable-on-404}):
     * no new load-balanced traffic; clients holding its persistence cookie are still served.
     */
    STOPPING,
    /** Down: no new traffic, persistent clients included unless the backend has {@code option persist}. */
    DOWN;

    /** HAProxy's status word for it: {@code UP}, {@code NOLB} or {@code DOWN}. */
    public String statusWord() {
        return this == STOPPING ? "NOLB" : name();
    }
}
