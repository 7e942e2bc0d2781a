package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** HAProxy's server limits: maxconn, the minconn..maxconn ramp driven by fullconn, normalisation. */
class ServerLimitsTest {

    @Test
    void staticMaxconnIgnoresTheBackendLoad() {
        ServerLimits l = ServerLimits.maxconn(4);
        assertTrue(l.limited());
        assertFalse(l.dynamic());
        for (long load : new long[] {0, 1, 50, 1_000, 100_000}) assertEquals(4, l.at(load, 1_000));
    }

    @Test
    void noMaxconnIsUnlimited() {
        assertFalse(ServerLimits.NONE.limited());
        assertEquals(0, ServerLimits.NONE.at(10, 100));
    }

    @Test
    void dynamicLimitClimbsFromMinconnToMaxconnAsTheLoadApproachesFullconn() {
        // the guide's 7.x example: minconn 4 maxconn 12, listen maxconn 10000 -> fullconn 1000
        ServerLimits l = new ServerLimits(12, 4, 0);
        int fullconn = 1_000;
        assertEquals(4, l.at(0, fullconn), "idle backend: minconn");
        assertEquals(4, l.at(300, fullconn), "300*12/1000 = 3 is below minconn");
        assertEquals(4, l.at(416, fullconn), "416*12/1000 = 4");
        assertEquals(5, l.at(417, fullconn), "417*12/1000 = 5 (integer division)");
        assertEquals(6, l.at(500, fullconn));
        assertEquals(11, l.at(999, fullconn));
        assertEquals(12, l.at(1_000, fullconn), "at fullconn: maxconn");
        assertEquals(12, l.at(9_000, fullconn), "above fullconn: still maxconn");
    }

    @Test
    void withoutFullconnTheLimitIsMaxconn() {
        assertEquals(12, new ServerLimits(12, 4, 0).at(0, 0));
    }

    @Test
    void minconnAloneOrAboveMaxconnBecomesAStaticLimit() {
        ServerLimits alone = new ServerLimits(0, 5, 0);
        assertEquals(5, alone.maxconn());
        assertFalse(alone.dynamic());
        ServerLimits above = new ServerLimits(3, 8, 0);
        assertEquals(8, above.maxconn());
        assertEquals(8, above.at(0, 100));
        ServerLimits noMin = new ServerLimits(6, 0, 2);
        assertEquals(6, noMin.minconn());
        assertEquals(2, noMin.maxqueue());
    }

    @Test
    void negativeValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ServerLimits(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ServerLimits(1, 0, -2));
    }
}
