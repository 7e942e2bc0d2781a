package io.tidegate.health;

import io.tidegate.engine.SlowStartRamp;
import java.time.Duration;
import java.time.Instant;

/**
 * HAProxy's {@code slowstart}: a server that comes back up after being down ramps its effective weight
 * linearly over the slow-start period instead of taking its full share at once. HAProxy computes the
 * ramp in 16 steps ({@link #WEIGHT_SCALE}): step {@code 1 + 16 * elapsed / slowstart} (integer
 * division), effective weight {@code weight * step / 16}, so the weight starts at 1/16 of the
 * configured one (and never below 1 when the configured one is positive). This class does the same
 * with millisecond instead of second resolution. Slow start does not apply to a server that has been
 * up since it started.
 */
public final class SlowStart {

    /** HAProxy's {@code BE_WEIGHT_SCALE}: the number of steps of the ramp. */
    public static final int WEIGHT_SCALE = SlowStartRamp.STEPS;

    private SlowStart() {
    }

    /**
     * The weight to balance with, in the configured weight's units, rounded up, at least 1 when
     * {@code configuredWeight > 0}.
     *
     * @param configuredWeight the server's weight (0 = takes no new traffic)
     * @param upSince          when the server came up after being down; {@code null} = up since start
     * @param now              the current time
     * @param slowstart        the {@code slowstart} period; {@code null} or zero = none
     */
    public static int effectiveWeight(int configuredWeight, Instant upSince, Instant now, Duration slowstart) {
        int scaled = scaledWeight(configuredWeight, upSince, now, slowstart);
        return (scaled + WEIGHT_SCALE - 1) / WEIGHT_SCALE;
    }

    /**
     * The same weight in 1/16 units (HAProxy's {@code eweight}): {@code configuredWeight * 16} at full
     * speed, for a balancer that wants the ramp's full resolution.
     */
    public static int scaledWeight(int configuredWeight, Instant upSince, Instant now, Duration slowstart) {
        if (configuredWeight <= 0) {
            return 0;
        }
        return configuredWeight * step(upSince, now, slowstart);
    }

    /** True while the ramp is in progress. */
    public static boolean isRamping(Instant upSince, Instant now, Duration slowstart) {
        return step(upSince, now, slowstart) < WEIGHT_SCALE;
    }

    private static int step(Instant upSince, Instant now, Duration slowstart) {
        if (upSince == null || slowstart == null || slowstart.isZero() || slowstart.isNegative()
                || now.isBefore(upSince)) {
            return WEIGHT_SCALE;
        }
        return SlowStartRamp.step(Duration.between(upSince, now).toMillis(), Math.max(1, slowstart.toMillis()));
    }
}
