package io.tidegate.engine;

/**
 * Events per second as HAProxy shows session rates: the number counted during the last complete
 * second (0 once a whole second passed without events). Cheap enough to tick once per session.
 */
final class EventRate {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private long currentSecond = Long.MIN_VALUE;
    private long inCurrent;
    private long inPrevious;

    synchronized void tick() {
        roll(System.nanoTime() / SECOND_NANOS);
        inCurrent++;
    }

    /** Events counted in the last complete second. */
    synchronized long perSecond() {
        roll(System.nanoTime() / SECOND_NANOS);
        return inPrevious;
    }

    private void roll(long second) {
        if (second == currentSecond) return;
        inPrevious = second == currentSecond + 1 ? inCurrent : 0;
        inCurrent = 0;
        currentSecond = second;
    }
}
