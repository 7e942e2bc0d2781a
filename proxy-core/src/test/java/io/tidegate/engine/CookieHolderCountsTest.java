package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidegate.engine.status.CookieHolders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-minute window of one server's cookie holders, on the test's own clock. */
class CookieHolderCountsTest {

    /** 2026-12-05 14:00:00 UTC, the start of a minute. */
    private static final long T0 = 1_796_479_200L;

    @Test
    void countsSessionsOnceAndEveryRequestWithinTheWindow() {
        CookieHolderCounts c = new CookieHolderCounts();
        c.arrived(T0, true);
        c.arrived(T0 + 1, false);
        c.arrived(T0 + 2, false);
        c.arrived(T0 + 61, true);
        assertEquals(new CookieHolders(2, 4, 5), c.at(T0 + 90));
    }

    @Test
    void minutesOlderThanTheWindowDropOut() {
        CookieHolderCounts c = new CookieHolderCounts();
        c.arrived(T0, true);                    // minute 0
        c.arrived(T0 + 2 * 60, true);           // minute 2
        c.arrived(T0 + 2 * 60 + 5, false);
        assertEquals(new CookieHolders(2, 3, 5), c.at(T0 + 5 * 60 + 59), "minute 0 is the oldest of minutes 0..5");
        assertEquals(new CookieHolders(1, 2, 5), c.at(T0 + 6 * 60), "at minute 6, minute 0 is gone");
        assertEquals(new CookieHolders(0, 0, 5), c.at(T0 + 8 * 60), "at minute 8 everything is gone");
    }

    @Test
    void aBucketReusedSixMinutesLaterStartsFromZero() {
        CookieHolderCounts c = new CookieHolderCounts();
        for (int i = 0; i < 10; i++) c.arrived(T0 + i, i == 0);
        c.arrived(T0 + 6 * 60, true);           // the same bucket as minute 0
        assertEquals(new CookieHolders(1, 1, 5), c.at(T0 + 6 * 60 + 1));
    }

    @Test
    void nothingSeenIsZero() {
        assertEquals(new CookieHolders(0, 0, 5), new CookieHolderCounts().at(T0));
    }

    @Test
    void concurrentCountersLoseNothing() throws Exception {
        CookieHolderCounts c = new CookieHolderCounts();
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) c.arrived(T0 + (i % 120), i % 10 == 0);    // across two minutes
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(new CookieHolders(threads * perThread / 10, (long) threads * perThread, 5), c.at(T0 + 120));
    }
}
