package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidegate.config.ServerOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckIntervalsTest {

    private static final Duration INTER = Duration.ofMillis(2000);
    private static final Duration FAST = Duration.ofMillis(500);
    private static final Duration DOWNI = Duration.ofMillis(10000);
    private static final CheckIntervals INTERVALS = new CheckIntervals(INTER, FAST, DOWNI);
    private static final CheckResult OK = CheckResult.of(CheckStatus.L4OK);
    private static final CheckResult KO = CheckResult.of(CheckStatus.L4CON);

    @Test
    void interWhenSteadyFastinterWhileChangingDowninterWhenDown() {
        Instant t = Instant.EPOCH;
        HealthState s = HealthState.initial(2, 3, InitialState.FULLY_UP);
        assertEquals(INTER, INTERVALS.next(s));
        s = s.after(KO, t);
        assertEquals(FAST, INTERVALS.next(s), "UP, going down");
        s = s.after(KO, t).after(KO, t);
        assertEquals(DOWNI, INTERVALS.next(s), "DOWN");
        s = s.after(OK, t);
        assertEquals(FAST, INTERVALS.next(s), "DOWN, going up");
        s = s.after(OK, t);
        assertEquals(INTER, INTERVALS.next(s), "UP again");
    }

    @Test
    void aJustStartedServerIsCheckedAtFastinterUntilItsFirstVerdict() {
        assertEquals(FAST, INTERVALS.next(HealthState.initial(2, 3)));
        assertEquals(INTER, INTERVALS.next(HealthState.initial(2, 1)), "with fall 1 there is nothing in progress");
    }

    @Test
    void fastinterAndDowninterDefaultToInter() {
        CheckIntervals c = CheckIntervals.of(ServerOptions.NONE.withInter(Duration.ofMillis(300)));
        assertEquals(CheckIntervals.every(Duration.ofMillis(300)), c);
        assertEquals(Duration.ofMillis(2000), CheckIntervals.of(ServerOptions.NONE).inter());
        CheckIntervals written = CheckIntervals.of(ServerOptions.NONE.withInter(INTER).withFastinter(FAST)
                .withDowninter(DOWNI));
        assertEquals(INTERVALS, written);
    }

    @Test
    void firstChecksAreSpreadOverOneInterval() {
        assertEquals(Duration.ZERO, CheckIntervals.firstDelay(INTER, 0, 4));
        assertEquals(Duration.ofMillis(500), CheckIntervals.firstDelay(INTER, 1, 4));
        assertEquals(Duration.ofMillis(1500), CheckIntervals.firstDelay(INTER, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> CheckIntervals.firstDelay(INTER, 4, 4));
    }

    @Test
    void rejectsZeroInterval() {
        assertThrows(IllegalArgumentException.class, () -> CheckIntervals.every(Duration.ZERO));
    }
}
