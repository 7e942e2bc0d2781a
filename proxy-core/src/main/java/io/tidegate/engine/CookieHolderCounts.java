package io.tidegate.engine;

import io.tidegate.engine.status.CookieHolders;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many clients a server's persistence cookie value brought recently: the client connections that
 * carried the value (each counted once, at its first request with it) and the requests that carried
 * it, during the current minute and the {@value #WINDOW_MINUTES} whole minutes before it.
 *
 * <p>One bucket per minute in a ring; each bucket is one {@code long} holding the minute it counts
 * (high bits) and its count (low bits), so counting is one compare-and-set from any IO thread: no
 * lock, no allocation, and a bucket left from an older minute starts again from zero in the same
 * step. The minute comes from the caller's clock reading (the exchange already reads it for the
 * cookie's dates), so tests drive their own time.
 */
final class CookieHolderCounts {
    /** Whole minutes counted besides the current one. */
    static final int WINDOW_MINUTES = 5;
    private static final int BUCKETS = WINDOW_MINUTES + 1;
    private static final int COUNT_BITS = 40;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    /** The minute is kept modulo 2^23 (about 16 years): enough to tell the last six apart. */
    private static final long MINUTE_MASK = (1L << (Long.SIZE - 1 - COUNT_BITS)) - 1;

    private final AtomicLongArray sessions = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);

    /**
     * A request carried the server's cookie value at {@code nowSeconds} (epoch seconds);
     * {@code newSession}: the first such request of its client connection.
     */
    void arrived(long nowSeconds, boolean newSession) {
        long minute = Math.floorDiv(nowSeconds, 60);
        add(requests, minute);
        if (newSession) add(sessions, minute);
    }

    /** The counts of the window ending at {@code nowSeconds}. */
    CookieHolders at(long nowSeconds) {
        long minute = Math.floorDiv(nowSeconds, 60);
        return new CookieHolders(sum(sessions, minute), sum(requests, minute), WINDOW_MINUTES);
    }

    private static void add(AtomicLongArray buckets, long minute) {
        int i = (int) Math.floorMod(minute, BUCKETS);
        long tag = minute & MINUTE_MASK;
        while (true) {
            long v = buckets.get(i);
            long next = (v >>> COUNT_BITS) == tag ? v + 1 : (tag << COUNT_BITS) | 1;
            if (buckets.compareAndSet(i, v, next)) return;
        }
    }

    private static long sum(AtomicLongArray buckets, long minute) {
        long tag = minute & MINUTE_MASK;
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long v = buckets.get(i);
            long age = (tag - (v >>> COUNT_BITS)) & MINUTE_MASK;
            if (age < BUCKETS) total += v & COUNT_MASK;
        }
        return total;
    }
}
