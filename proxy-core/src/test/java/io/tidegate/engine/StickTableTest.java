package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.StickDataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stick-table counters, HAProxy's frequency counters, expiry and LRU, on a fake clock (no sleeping). */
class StickTableTest {
    private long now = 1_000_000;

    private StickTable table(long size, long expireMs, String store) {
        return new StickTable("t", "ip", size, expireMs, false, store, () -> now);
    }

    @Test
    void rateCountsTheCurrentPeriodPlusTheRemainingShareOfThePreviousOne() {
        StickTable t = table(10, 60_000, "http_req_rate(10000)");
        StickTable.Entry e = t.getOrCreate("10.0.0.1");
        for (int i = 0; i < 20; i++) t.count(e, StickDataType.HTTP_REQ_CNT, StickDataType.HTTP_REQ_RATE, 1);
        assertEquals(20, t.read(e, StickDataType.HTTP_REQ_RATE), "20 events in the current period");
        now += 2_500;
        assertEquals(20, t.read(e, StickDataType.HTTP_REQ_RATE), "still the same period");
        now += 10_000;       // 12.5 s after the first event: the next period, 2.5 s into it
        // previous 20 * (10000 - 2500) / 10000 = 15
        assertEquals(15, t.read(e, StickDataType.HTTP_REQ_RATE));
        for (int i = 0; i < 4; i++) t.count(e, StickDataType.HTTP_REQ_CNT, StickDataType.HTTP_REQ_RATE, 1);
        assertEquals(19, t.read(e, StickDataType.HTTP_REQ_RATE), "15 of the past period + 4 of this one");
        now += 5_000;        // 7.5 s into the period: 20 * 2500 / 10000 + 4
        assertEquals(9, t.read(e, StickDataType.HTTP_REQ_RATE));
        now += 10_000;       // two periods later: the 4 weigh 2500/10000 (=1), the 20 are gone
        assertEquals(1, t.read(e, StickDataType.HTTP_REQ_RATE));
        now += 10_000;
        assertEquals(0, t.read(e, StickDataType.HTTP_REQ_RATE));
        assertEquals(Long.MIN_VALUE, t.read(e, StickDataType.HTTP_REQ_CNT), "not stored");
    }

    @Test
    void anEventAfterTwoIdlePeriodsStartsAFreshPeriod() {
        long[] v = {StickTable.NO_PERIOD_YET, 0, 0};
        StickTable.update(v, 0, 1000, now, 3);
        assertEquals(now, v[0]);
        StickTable.update(v, 0, 1000, now + 1500, 1);       // next period: starts at now + 1000
        assertEquals(now + 1000, v[0]);
        assertEquals(3, v[2]);
        assertEquals(1, v[1]);
        // 500 ms into it: 3 * 500 / 1000 + 1 = 2 (integer arithmetic as HAProxy's)
        assertEquals(2, StickTable.rate(v, 0, 1000, now + 1500));
        StickTable.update(v, 0, 1000, now + 9000, 5);       // missed periods: previous count is 0
        assertEquals(now + 9000, v[0]);
        assertEquals(0, v[2]);
        assertEquals(5, StickTable.rate(v, 0, 1000, now + 9000));
    }

    @Test
    void aRateOfOneDoesNotFlapToZero() {
        long[] v = {StickTable.NO_PERIOD_YET, 0, 0};
        StickTable.update(v, 0, 1000, now, 1);
        // next period, 900 ms in: 1 * 100 / 1000 would be 0; HAProxy reports the past 1
        assertEquals(1, StickTable.rate(v, 0, 1000, now + 1900));
        assertEquals(0, StickTable.rate(v, 0, 1000, now + 2100));
    }

    @Test
    void trackingCountsConnectionsAndConnCurFallsWhenTheyEnd() {
        StickTable t = table(10, 30_000, "conn_cur,conn_cnt,conn_rate(1000)");
        StickTable.Entry e = t.getOrCreate("10.0.0.1");
        t.startTracking(e);
        t.startTracking(e);
        assertEquals(2, t.read(e, StickDataType.CONN_CUR));
        assertEquals(2, t.read(e, StickDataType.CONN_CNT));
        assertEquals(2, t.read(e, StickDataType.CONN_RATE));
        t.stopTracking(e);
        t.stopTracking(e);
        t.stopTracking(e);       // never below 0
        assertEquals(0, t.read(e, StickDataType.CONN_CUR));
        assertEquals(2, t.read(e, StickDataType.CONN_CNT));
        assertEquals(List.of(StickDataType.CONN_CNT, StickDataType.CONN_RATE, StickDataType.CONN_CUR), t.storedTypes(),
                "HAProxy's order, whatever the order written");
    }

    @Test
    void entriesExpireAfterTheirLastUseButNotWhileTracked() {
        StickTable t = table(10, 30_000, "gpc0");
        StickTable.Entry a = t.getOrCreate("a");
        StickTable.Entry b = t.getOrCreate("b");
        t.startTracking(b);
        now += 20_000;
        assertSame(a, t.getOrCreate("a"), "touched: lives 30 s from now");
        now += 29_999;
        assertNotNull(t.lookup("a"));
        assertEquals(1, t.remainingMs(a));
        now += 1;
        assertNull(t.lookup("a"), "expired 30 s after its last use");
        assertSame(b, t.lookup("b"), "a tracked entry does not expire");
        t.stopTracking(b);
        now += 30_000;
        assertNull(t.lookup("b"));
        assertEquals(0, t.used());
    }

    @Test
    void aFullTableDropsItsLeastRecentlyUsedEntries() {
        StickTable t = table(3, 60_000, "http_req_cnt");
        t.getOrCreate("a");
        now += 1;
        t.getOrCreate("b");
        now += 1;
        t.getOrCreate("c");
        now += 1;
        t.getOrCreate("a");      // a is now the most recently used
        now += 1;
        assertNotNull(t.getOrCreate("d"));      // size/256 + 1 = 1 entry goes: b
        assertNull(t.lookup("b"));
        assertNotNull(t.lookup("a"));
        assertNotNull(t.lookup("c"));
        assertEquals(3, t.used());
    }

    @Test
    void aFullTableWithoutExpireOrWithNopurgeRefusesNewKeys() {
        StickTable noExpire = table(1, 0, "gpc0");
        assertNotNull(noExpire.getOrCreate("a"));
        assertNull(noExpire.getOrCreate("b"));
        StickTable nopurge = new StickTable("t", "ip", 1, 1000, true, "gpc0", () -> now);
        assertNotNull(nopurge.getOrCreate("a"));
        assertNull(nopurge.getOrCreate("b"));
        now += 1000;
        assertNotNull(nopurge.getOrCreate("b"), "the expired entry makes room");
    }

    @Test
    void aFullNopurgeTableTakesNewKeysAsItsEntriesExpireOneByOne() {
        StickTable t = new StickTable("t", "ip", 2, 1000, true, "gpc0", () -> now);
        long start = now;
        assertNotNull(t.getOrCreate("a"));
        now = start + 500;
        assertNotNull(t.getOrCreate("b"));
        now = start + 600;
        assertNull(t.getOrCreate("c"), "full, nothing expired");
        now = start + 1000;
        assertNotNull(t.getOrCreate("c"), "a expired at 1000: room for c");
        now = start + 1100;
        assertNull(t.getOrCreate("d"), "b lives until 1500");
        StickTable.Entry c = t.lookup("c");
        t.startTracking(c);
        now = start + 1500;
        assertNotNull(t.getOrCreate("d"), "b expired at 1500");
        now = start + 5000;
        assertNotNull(t.getOrCreate("e"), "d expired at 2500 and makes room; c is tracked and stays");
        assertNotNull(t.lookup("c"));
        assertNull(t.lookup("d"));
    }

    @Test
    void aStringTableCutsKeysToItsLength() {
        StickTable t = new StickTable("t", "string", 10, 0, false, "http_req_cnt", () -> now, 4);
        StickTable.Entry e = t.getOrCreate("abcdef");
        assertEquals("abcd", e.key);
        assertSame(e, t.lookup("abcdXYZ"), "keys alike in their first 4 characters share the entry");
        StickTable byDefault = new StickTable("t", "string", 10, 0, false, "", () -> now);
        assertEquals(32, byDefault.getOrCreate("x".repeat(40)).key.length(), "HAProxy's default len");
        StickTable ip = new StickTable("t", "ip", 10, 0, false, "", () -> now);
        assertEquals("2001:db8::1", ip.getOrCreate("2001:db8::1").key);
    }

    @Test
    void gpcAndGptAreSetAndClearedAndClearTableKeepsTrackedEntries() {
        StickTable t = table(10, 60_000, "gpt0,gpc0,gpc0_rate(60000),gpc1");
        StickTable.Entry e = t.getOrCreate("k");
        t.count(e, StickDataType.GPC0, StickDataType.GPC0_RATE, 1);
        t.count(e, StickDataType.GPC0, StickDataType.GPC0_RATE, 1);
        t.count(e, StickDataType.GPC1, StickDataType.GPC1_RATE, 1);
        t.set(e, StickDataType.GPT0, 7);
        assertEquals(2, t.read(e, StickDataType.GPC0));
        assertEquals(2, t.read(e, StickDataType.GPC0_RATE));
        assertEquals(1, t.read(e, StickDataType.GPC1));
        assertEquals(7, t.read(e, StickDataType.GPT0));
        assertTrue(t.stores(StickDataType.GPC1));
        assertFalse(t.stores(StickDataType.GPC1_RATE));
        t.set(e, StickDataType.GPC0, 0);
        assertEquals(0, t.read(e, StickDataType.GPC0));
        StickTable.Entry tracked = t.getOrCreate("tracked");
        t.startTracking(tracked);
        assertEquals(1, t.clear());
        assertEquals(1, t.used());
        assertTrue(t.remove("tracked"));
    }
}
