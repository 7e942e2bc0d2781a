package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthStateTest {

    private static final CheckResult OK = CheckResult.of(CheckStatus.L7OK).withCode(200);
    private static final CheckResult KO = CheckResult.of(CheckStatus.L7STS).withCode(503);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HealthState run(HealthState s, CheckResult... results) {
        for (int i = 0; i < results.length; i++) {
            s = s.after(results[i], T0.plusSeconds(i + 1));
        }
        return s;
    }

    @Test
    void startsUpAndTheFirstFailureTakesItDownAsHaproxyDoes() {
        HealthState s = HealthState.initial(2, 3);
        assertTrue(s.isUp());
        assertEquals("UP 1/3", s.statusText());
        HealthState down = s.after(KO, T0);
        assertFalse(down.isUp());
        assertEquals(HealthStatus.DOWN, down.status());
        assertEquals(1, down.downTransitions());
        assertEquals(T0, down.lastChange());
    }

    @Test
    void aPassedFirstCheckMakesItFullyUpThenFallFailuresInARowTakeItDown() {
        HealthState s = run(HealthState.initial(2, 3), OK);
        assertEquals(HealthStatus.UP, s.status());
        assertEquals("UP", s.statusText());

        s = run(s, KO);
        assertEquals(HealthStatus.UP_GOING_DOWN, s.status());
        assertEquals("UP 2/3", s.statusText());
        s = run(s, KO);
        assertEquals("UP 1/3", s.statusText());
        assertTrue(s.isUp());
        s = run(s, KO);
        assertEquals(HealthStatus.DOWN, s.status());
        assertEquals(1, s.downTransitions());
        assertEquals(3, s.failedChecks());
        assertEquals(4, s.checks());
    }

    @Test
    void onePassedCheckWhileGoingDownRestoresFullHealth() {
        HealthState s = run(HealthState.initial(2, 3, InitialState.FULLY_UP), KO, KO, OK);
        assertEquals(HealthStatus.UP, s.status());
        s = run(s, KO, KO);
        assertTrue(s.isUp(), "two failures after a reset are not yet three in a row");
        assertEquals(0, s.downTransitions());
    }

    @Test
    void riseSuccessesInARowBringItUpAndAFailureInBetweenStartsOver() {
        HealthState s = HealthState.initial(3, 2, InitialState.FULLY_DOWN);
        assertEquals("DOWN", s.statusText());
        s = run(s, OK);
        assertEquals(HealthStatus.DOWN_GOING_UP, s.status());
        assertEquals("DOWN 1/3", s.statusText());
        s = run(s, OK);
        assertEquals("DOWN 2/3", s.statusText());
        s = run(s, KO);
        assertEquals("DOWN", s.statusText());
        s = run(s, OK, OK);
        assertFalse(s.isUp());
        s = run(s, OK);
        assertEquals(HealthStatus.UP, s.status());
        assertEquals(1, s.upTransitions());
        assertEquals(0, s.downTransitions());
    }

    @Test
    void failuresWhileFullyDownAreNotCountedAgain() {
        HealthState s = run(HealthState.initial(2, 2, InitialState.FULLY_DOWN), KO, KO, KO);
        assertEquals(0, s.failedChecks());
        assertEquals(3, s.checks());
        assertEquals(KO, s.lastResult());
    }

    @Test
    void initialStatesFollowHaproxyInitState() {
        assertEquals("UP", HealthState.initial(2, 3, InitialState.FULLY_UP).statusText());
        assertEquals("DOWN 1/2", HealthState.initial(2, 3, InitialState.DOWN).statusText());
        assertTrue(run(HealthState.initial(2, 3, InitialState.DOWN), OK).isUp());
        assertEquals("DOWN", HealthState.initial(2, 3, InitialState.FULLY_DOWN).statusText());
        assertNull(HealthState.initial(2, 3).lastResult());
    }

    @Test
    void riseAndFallOfOneFlipOnEveryResult() {
        HealthState s = HealthState.initial(1, 1);
        assertEquals("UP", s.statusText());
        s = run(s, KO);
        assertEquals("DOWN", s.statusText());
        s = run(s, OK);
        assertEquals("UP", s.statusText());
        assertEquals(1, s.upTransitions());
        assertEquals(1, s.downTransitions());
    }

    @Test
    void upSinceIsOnlyKnownAfterComingBackUp() {
        HealthState s = HealthState.initial(1, 1);
        assertTrue(s.upSince().isEmpty());
        s = s.after(KO, T0);
        assertTrue(s.upSince().isEmpty());
        Instant back = T0.plusSeconds(5);
        s = s.after(OK, back);
        assertEquals(back, s.upSince().orElseThrow());
    }

    @Test
    void rejectsImpossibleParameters() {
        assertThrows(IllegalArgumentException.class, () -> HealthState.initial(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new HealthState(2, 3, 5, 0, 0, 0, 0, null, null));
    }
}
