package io.tidegate.engine;

/**
 * An operator's administrative state of a server, with the meanings of HAProxy's runtime API
 * ({@code set server B/S state ready|drain|maint}).
 */
public enum AdminState {
    /** Takes traffic as its health and weight allow. */
    READY,
    /** Takes no new load-balanced sessions; clients holding its persistence cookie are still served and health checks go on. */
    DRAIN,
    /** Takes nothing: not balanced to, not reached by its cookie, not health-checked. */
    MAINT
}
