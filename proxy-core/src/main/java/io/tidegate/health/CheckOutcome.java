package io.tidegate.health;

import java.time.Duration;

/**
 * What one check of a server did.
 *
 * @param server       the server
 * @param result       the check's result
 * @param before       its health before
 * @param after        its health after
 * @param nextInterval when to check it next (inter, fastinter or downinter for its new state)
 */
public record CheckOutcome(ServerKey server, CheckResult result, HealthState before, HealthState after,
                           Duration nextInterval) {

    /** True when the server went down or came up with this check. */
    public boolean changedUpDown() {
        return before.changesUpDown(after);
    }
}
