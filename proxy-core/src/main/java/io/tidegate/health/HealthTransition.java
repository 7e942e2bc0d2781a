package io.tidegate.health;

/**
 * A server went from up to down or from down to up.
 *
 * @param server the server
 * @param backup whether it is a {@code backup} server
 * @param before its health before the check
 * @param after  its health after the check
 * @param result the check that made the difference
 */
public record HealthTransition(ServerKey server, boolean backup, HealthState before, HealthState after,
                               CheckResult result) {

    /** True when the server went down, false when it came up. */
    public boolean wentDown() {
        return before.isUp() && !after.isUp();
    }
}
