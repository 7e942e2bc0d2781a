package io.tidegate.health;

import io.tidegate.config.ServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The times between two checks of a server: {@code inter} while it is steadily up,
 * {@code fastinter} while a change is in progress (some checks passed or failed but not yet enough),
 * {@code downinter} while it is fully down. This is HAProxy's rule, including that a server which just
 * started (health {@code rise}, see {@link InitialState#UP}) counts as "in progress" when {@code fall > 1}.
 */
public record CheckIntervals(Duration inter, Duration fastinter, Duration downinter) {

    public CheckIntervals {
        Objects.requireNonNull(inter, "inter");
        fastinter = fastinter == null ? inter : fastinter;
        downinter = downinter == null ? inter : downinter;
        for (Duration d : new Duration[] {inter, fastinter, downinter}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("check intervals must be positive: " + d);
            }
        }
    }

    /** The intervals of a server's effective options (defaults: 2 s, fastinter and downinter = inter). */
    public static CheckIntervals of(ServerOptions options) {
        return new CheckIntervals(options.effectiveInter(), options.effectiveFastinter(),
                options.effectiveDowninter());
    }

    /** The same interval in every state. */
    public static CheckIntervals every(Duration inter) {
        return new CheckIntervals(inter, inter, inter);
    }

    /** How long to wait before the next check of a server in state {@code s}. */
    public Duration next(HealthState s) {
        if (s.health() == s.rise() + s.fall() - 1) {
            return inter;
        }
        if (s.health() == 0) {
            return downinter;
        }
        return fastinter;
    }

    /**
     * The delay before the first check of the {@code position}-th (0-based) of {@code count} checked
     * servers, so that their checks are spread over one interval instead of firing in a burst
     * (HAProxy starts server {@code i} of {@code n} after {@code interval * i / n}).
     */
    public static Duration firstDelay(Duration interval, int position, int count) {
        if (count <= 0 || position < 0 || position >= count) {
            throw new IllegalArgumentException("position " + position + " of " + count);
        }
        return Duration.ofNanos(interval.toNanos() / count * position);
    }
}
