package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Session rate as HAProxy shows it: what was counted during the last complete second. */
class EventRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsTheLastCompleteSecondAndForgetsIdleSeconds() {
        AtomicLong now = new AtomicLong(100 * SECOND);
        EventRate rate = new EventRate(now::get);
        for (int i = 0; i < 5; i++) rate.tick();
        assertEquals(0, rate.perSecond(), "the current second is not complete yet");

        now.addAndGet(SECOND + SECOND / 2);
        rate.tick();
        assertEquals(5, rate.perSecond(), "five in the second before");

        now.addAndGet(SECOND);
        assertEquals(1, rate.perSecond());

        now.addAndGet(3 * SECOND);
        assertEquals(0, rate.perSecond(), "nothing for several seconds");
    }
}
