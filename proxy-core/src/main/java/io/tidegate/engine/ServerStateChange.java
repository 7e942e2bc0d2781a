package io.tidegate.engine;

/**
 * A change of a server's live state, as told to {@link ServerStateListener}s.
 *
 * @param backend  backend name
 * @param server   server name
 * @param aspect   what changed
 * @param previous the value before, as text ({@code UP}/{@code DOWN}, an {@link AdminState} name, a weight,
 *                 {@code enabled}/{@code disabled})
 * @param current  the value now, same form
 */
public record ServerStateChange(String backend, String server, Aspect aspect, String previous, String current) {

    /** The part of a server's state that changed. */
    public enum Aspect {
        /** Health as the checks see it: UP or DOWN. */
        HEALTH,
        /** Administrative state: READY, DRAIN or MAINT. */
        ADMIN_STATE,
        /** Live weight 0..256. */
        WEIGHT,
        /** Whether health checks run: enabled or disabled. */
        HEALTH_CHECKS
    }
}
