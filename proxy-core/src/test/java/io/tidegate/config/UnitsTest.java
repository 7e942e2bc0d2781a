package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** HAProxy time and size notations. */
class UnitsTest {

    @Test
    void timesDefaultToMillisecondsAndAcceptEveryUnit() {
        assertEquals(Duration.ofMillis(5000), Units.parseTime("5000"));
        assertEquals(Duration.ofNanos(250_000), Units.parseTime("250us"));
        assertEquals(Duration.ofMillis(1500), Units.parseTime("1500ms"));
        assertEquals(Duration.ofSeconds(30), Units.parseTime("30s"));
        assertEquals(Duration.ofMinutes(2), Units.parseTime("2m"));
        assertEquals(Duration.ofHours(1), Units.parseTime("1h"));
        assertEquals(Duration.ofDays(24), Units.parseTime("24d"));
        assertEquals(Duration.ZERO, Units.parseTime("0"));
    }

    @Test
    void badTimesSayWhy() {
        assertEquals("invalid time unit 'sec' in '5sec': supported units are us, ms, s, m, h, d "
                + "(milliseconds by default)", assertThrows(IllegalArgumentException.class,
                () -> Units.parseTime("5sec")).getMessage());
        assertEquals("invalid time '-5': expected a number with an optional unit us, ms, s, m, h or d "
                + "(milliseconds by default)", assertThrows(IllegalArgumentException.class,
                () -> Units.parseTime("-5")).getMessage());
        assertEquals("time '25d' is too large: the maximum is 2147483647 ms (about 24.8 days)",
                assertThrows(IllegalArgumentException.class, () -> Units.parseTime("25d")).getMessage());
    }

    @Test
    void timesAreWrittenInTheLargestExactUnit() {
        assertEquals("5s", Units.formatTime(Duration.ofMillis(5000)));
        assertEquals("1500ms", Units.formatTime(Duration.ofMillis(1500)));
        assertEquals("1m", Units.formatTime(Duration.ofSeconds(60)));
        assertEquals("90s", Units.formatTime(Duration.ofSeconds(90)));
        assertEquals("2d", Units.formatTime(Duration.ofHours(48)));
        assertEquals("250us", Units.formatTime(Duration.ofNanos(250_000)));
        assertEquals("0", Units.formatTime(Duration.ZERO));
        for (String t : new String[] {"1", "999us", "61s", "3h", "17m"}) {
            assertEquals(Units.parseTime(t), Units.parseTime(Units.formatTime(Units.parseTime(t))), t);
        }
    }

    @Test
    void sizesUsePowersOf1024() {
        assertEquals(512, Units.parseSize("512"));
        assertEquals(16 * 1024, Units.parseSize("16k"));
        assertEquals(2L * 1024 * 1024, Units.parseSize("2m"));
        assertEquals(3L * 1024 * 1024 * 1024, Units.parseSize("3g"));
        assertEquals("invalid size unit 'kb' in '4kb': supported units are k, m, g",
                assertThrows(IllegalArgumentException.class, () -> Units.parseSize("4kb")).getMessage());
    }

    @Test
    void integers() {
        assertEquals(10000, Units.parseInt("10000", "maxconn"));
        assertEquals("invalid maxconn 'many': expected a non-negative integer",
                assertThrows(IllegalArgumentException.class, () -> Units.parseInt("many", "maxconn")).getMessage());
        assertEquals("maxconn '99999999999' is too large",
                assertThrows(IllegalArgumentException.class, () -> Units.parseInt("99999999999", "maxconn"))
                        .getMessage());
    }
}
