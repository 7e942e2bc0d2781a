package io.tidegate.engine;

import java.util.function.LongSupplier;

/**
 * Events per second as HAProxy shows session rates: the number counted during the last complete
 * second (0 once a whole second passed without events). Cheap enough to tick once per session.
 */
final class EventRate {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private long currentSecond = Long.MIN_VALUE;
    private long inCurrent;
    private long inPrevious;

    EventRate() {
        this(System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds (tests drive their own) */
    EventRate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    synchronized void tick() {
        roll(nanoClock.getAsLong() / SECOND_NANOS);
        inCurrent++;
    }

    /** Events counted in the last complete second. */
    synchronized long perSecond() {
        roll(nanoClock.getAsLong() / SECOND_NANOS);
        return inPrevious;
    }

    private void roll(long second) {
        if (second == currentSecond) return;
        inPrevious = second == currentSecond + 1 ? inCurrent : 0;
        inCurrent = 0;
        currentSecond = second;
    }
}
