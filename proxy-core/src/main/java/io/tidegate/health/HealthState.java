package io.tidegate.health;

import java.time.Instant;
import java.util.Optional;

/**
 * The health of one checked server: an immutable snapshot of HAProxy's rise/fall state machine.
 *
 * <p>HAProxy keeps one counter, {@code health}, between 0 and {@code rise + fall - 1}; the server is up
 * while {@code health >= rise}. A failed check lowers the counter by one and drops it to 0 (down) as
 * soon as it falls below {@code rise}; a passed check raises it by one and lifts it to the top (fully
 * up) as soon as it reaches {@code rise}. So an up server goes down after {@code fall} failures in a
 * row and a down server comes up after {@code rise} successes in a row; a single opposite result
 * resets the count.
 *
 * @param rise            passed checks in a row that bring a down server up, at least 1
 * @param fall            failed checks in a row that take an up server down, at least 1
 * @param health          HAProxy's counter, {@code 0 .. rise + fall - 1}
 * @param checks          checks completed
 * @param failedChecks    failed checks while the server was not already fully down (HAProxy's {@code chkfail})
 * @param downTransitions times it went from up to down (HAProxy's {@code chkdown})
 * @param upTransitions   times it went from down to up
 * @param lastResult      the result of the last check, {@code null} before the first one
 * @param lastChange      when it last went up or down, {@code null} if it never changed since it started
 */
public record HealthState(int rise, int fall, int health, long checks, long failedChecks, long downTransitions,
                          long upTransitions, CheckResult lastResult, Instant lastChange) {

    public HealthState {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1: rise " + rise + ", fall " + fall);
        }
        if (health < 0 || health > rise + fall - 1) {
            throw new IllegalArgumentException("health " + health + " outside 0.." + (rise + fall - 1));
        }
    }

    /** A server that was never checked, starting as {@code initial} says. */
    public static HealthState initial(int rise, int fall, InitialState initial) {
        int h = switch (initial) {
            case FULLY_UP -> rise + fall - 1;
            case UP -> rise;
            case DOWN -> rise - 1;
            case FULLY_DOWN -> 0;
        };
        return new HealthState(rise, fall, h, 0, 0, 0, 0, null, null);
    }

    /** A never-checked server starting the way HAProxy starts one by default ({@link InitialState#UP}). */
    public static HealthState initial(int rise, int fall) {
        return initial(rise, fall, InitialState.UP);
    }

    /** The state after one more check that gave {@code result}, completed at {@code now}. */
    public HealthState after(CheckResult result, Instant now) {
        int top = rise + fall - 1;
        int h = health;
        long failed = failedChecks;
        // http-check disable-on-404: a 404 keeps a running server up, but a stopped one stays stopped
        boolean passed = result.passed() && (result.status() != CheckStatus.L7OKC || isUp());
        if (passed) {
            if (h < top) {
                h++;
                if (h >= rise) {
                    h = top;
                }
            }
        } else if (h > 0) {
            failed++;
            h--;
            if (h < rise) {
                h = 0;
            }
        }
        boolean wasUp = isUp();
        boolean nowUp = h >= rise;
        long downs = downTransitions + (wasUp && !nowUp ? 1 : 0);
        long ups = upTransitions + (!wasUp && nowUp ? 1 : 0);
        Instant changed = wasUp != nowUp ? now : lastChange;
        return new HealthState(rise, fall, h, checks + 1, failed, downs, ups, result, changed);
    }

    /**
     * An operator forced the server up (or stopping) or down: as HAProxy 2.6's {@code set server B/S
     * health}, the health counter jumps to its top ({@code fall} failed checks to go down) or to 0
     * ({@code rise} passing checks to come up), so the next checks count from the forced state.
     */
    public HealthState forced(boolean up, Instant now) {
        int h = up ? rise + fall - 1 : 0;
        boolean changes = isUp() != up;
        return new HealthState(rise, fall, h, checks, failedChecks, downTransitions + (changes && !up ? 1 : 0),
                upTransitions + (changes && up ? 1 : 0), lastResult, changes ? now : lastChange);
    }

    /** Takes new traffic as far as health is concerned. */
    public boolean isUp() {
        return health >= rise;
    }

    /** True when {@code next} is on the other side of up/down than this state. */
    public boolean changesUpDown(HealthState next) {
        return isUp() != next.isUp();
    }

    public HealthStatus status() {
        if (isUp()) {
            return health == rise + fall - 1 ? HealthStatus.UP : HealthStatus.UP_GOING_DOWN;
        }
        return health == 0 ? HealthStatus.DOWN : HealthStatus.DOWN_GOING_UP;
    }

    /**
     * HAProxy's status column: {@code UP}; {@code UP n/m} while going down ({@code n} more failed checks
     * take it down, {@code m} = fall); {@code DOWN}; {@code DOWN n/m} while going up ({@code n} of the
     * {@code m} = rise passed checks it needs).
     */
    public String statusText() {
        return switch (status()) {
            case UP -> "UP";
            case DOWN -> "DOWN";
            case UP_GOING_DOWN -> "UP " + (health - rise + 1) + "/" + fall;
            case DOWN_GOING_UP -> "DOWN " + health + "/" + rise;
        };
    }

    /**
     * When the server last came up after being down; empty while it is down or if it has been up
     * since it started (slow start does not apply then, as in HAProxy).
     */
    public Optional<Instant> upSince() {
        return isUp() && lastChange != null ? Optional.of(lastChange) : Optional.empty();
    }
}
