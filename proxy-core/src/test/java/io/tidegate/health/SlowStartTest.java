package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlowStartTest {

    private static final Instant UP = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SLOW = Duration.ofSeconds(16);

    private static int at(int weight, long secondsAfterUp) {
        return SlowStart.effectiveWeight(weight, UP, UP.plusSeconds(secondsAfterUp), SLOW);
    }

    @Test
    void rampsLinearlyInSixteenStepsFromOneSixteenth() {
        assertEquals(2, at(32, 0), "step 1 of 16");
        assertEquals(4, at(32, 1), "step 2 of 16");
        assertEquals(16, at(32, 7), "step 8 of 16");
        assertEquals(30, at(32, 14), "step 15 of 16");
        assertEquals(32, at(32, 16), "full weight once the period is over");
        assertEquals(32, at(32, 3600));
    }

    @Test
    void neverBelowOneForAPositiveWeightAndZeroStaysZero() {
        assertEquals(1, at(1, 0));
        assertEquals(1, at(3, 0));
        assertEquals(0, at(0, 5));
    }

    @Test
    void roundsUpInConfiguredUnitsAndKeepsFullResolutionScaled() {
        // weight 10 at step 5: 10 * 5 / 16 = 3.125 -> 4
        assertEquals(4, at(10, 4));
        assertEquals(50, SlowStart.scaledWeight(10, UP, UP.plusSeconds(4), SLOW));
        assertEquals(160, SlowStart.scaledWeight(10, UP, UP.plusSeconds(16), SLOW));
    }

    @Test
    void noRampWithoutSlowstartOrForAServerUpSinceStart() {
        assertEquals(32, SlowStart.effectiveWeight(32, UP, UP, null));
        assertEquals(32, SlowStart.effectiveWeight(32, UP, UP, Duration.ZERO));
        assertEquals(32, SlowStart.effectiveWeight(32, null, UP, SLOW));
        assertFalse(SlowStart.isRamping(null, UP, SLOW));
        assertTrue(SlowStart.isRamping(UP, UP.plusSeconds(3), SLOW));
        assertFalse(SlowStart.isRamping(UP, UP.plusSeconds(16), SLOW));
    }

    @Test
    void worksWithTheUpSinceOfAHealthState() {
        HealthState s = HealthState.initial(1, 1).after(CheckResult.of(CheckStatus.L4CON), UP.minusSeconds(60))
                .after(CheckResult.of(CheckStatus.L4OK), UP);
        assertEquals(2, SlowStart.effectiveWeight(32, s.upSince().orElse(null), UP, SLOW));
    }
}
