package io.tidegate.engine;

/**
 * HAProxy's {@code slowstart} ramp in 16 steps ({@code BE_WEIGHT_SCALE}): a server that came back up
 * after being down is at step {@code 1 + 16 * elapsed / period} (integer division) until the
 * period has passed, and balances with {@code weight * step / 16}. The engine applies it to the
 * operator's weight at pick time; {@link io.tidegate.health.SlowStart} states the same rule in
 * instants and weights.
 */
public final class SlowStartRamp {
    /** The number of steps, and the scale of a weight at full speed. */
    public static final int STEPS = 16;

    private SlowStartRamp() {
    }

    /**
     * The step, 1..16, {@code elapsed} after the server came up in a ramp of {@code period}
     * (any time unit, the same for both); 16 once the period has passed, for a period of 0 or less,
     * and for a negative elapsed time.
     */
    public static int step(long elapsed, long period) {
        if (period <= 0 || elapsed < 0 || elapsed >= period) return STEPS;
        return (int) Math.min(STEPS, (STEPS * elapsed + period) / period);
    }
}
