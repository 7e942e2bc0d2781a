package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code [no] option redispatch-drained T}: parsing, layering over defaults, writing back, errors. */
class RedispatchDrainedConfigTest {

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("d.cfg", text).problems()).stream()
                .map(ConfigProblem::toString).toList();
    }

    private static Duration effective(Config c, String proxy) {
        return c.effective(c.proxy(proxy).orElseThrow()).redispatchDrainedAfter();
    }

    @Test
    void timeInHaproxyUnitsInDefaultsListenAndBackend() {
        Config c = TestConfigs.parseClean("d.cfg", """
                defaults
                    mode http
                    option redispatch-drained 90s
                backend inherits
                    server s 127.0.0.1:8081
                backend own
                    option redispatch-drained 1500
                    server s 127.0.0.1:8082
                listen web
                    bind 127.0.0.1:8080
                    option redispatch-drained 2m
                    server s 127.0.0.1:8083
                """);
        assertEquals(Duration.ofSeconds(90), effective(c, "inherits"));
        assertEquals(Duration.ofMillis(1500), effective(c, "own"), "no unit = milliseconds");
        assertEquals(Duration.ofMinutes(2), effective(c, "web"));
    }

    @Test
    void noOptionCancelsTheDefaultsInOneSection() {
        Config c = TestConfigs.parseClean("d.cfg", """
                defaults
                    mode http
                    option redispatch-drained 10m
                backend keeps
                    no option redispatch-drained
                    server s 127.0.0.1:8081
                backend moves
                    server s 127.0.0.1:8082
                """);
        assertNull(effective(c, "keeps"));
        assertEquals(Duration.ofMinutes(10), effective(c, "moves"));
    }

    @Test
    void offWhenNeverWritten() {
        Config c = TestConfigs.parseClean("d.cfg", "backend b\n    server s 127.0.0.1:8081\n");
        assertNull(effective(c, "b"));
    }

    @Test
    void writerRoundTripsBothSpellings() {
        String text = """
                defaults
                    option redispatch-drained 45s
                backend a
                    no option redispatch-drained
                    server s 127.0.0.1:8081
                backend b
                    option redispatch-drained 1h
                    server s 127.0.0.1:8082
                """;
        Config model = TestConfigs.parseClean("d.cfg", text);
        String written = ConfigWriter.write(model);
        assertTrue(written.contains("    option redispatch-drained 45s\n"), written);
        assertTrue(written.contains("    no option redispatch-drained\n"), written);
        assertTrue(written.contains("    option redispatch-drained 1h\n"), written);
        assertEquals(model, TestConfigs.parseClean("d.cfg", written));
    }

    @Test
    void missingTimeIsAnError() {
        assertEquals(List.of("d.cfg:2:12: error: option redispatch-drained needs a time, e.g. "
                        + "'option redispatch-drained 10m'"),
                errors("backend b\n    option redispatch-drained\n    server s 127.0.0.1:8081\n"));
    }

    @Test
    void badTimeUnitIsAnError() {
        assertEquals(List.of("d.cfg:2:31: error: invalid time unit 'x' in '5x': supported units are us, ms, s, m, "
                        + "h, d (milliseconds by default)"),
                errors("backend b\n    option redispatch-drained 5x\n    server s 127.0.0.1:8081\n"));
    }

    @Test
    void zeroAndExtraWordsAndNegatedWithTimeAreErrors() {
        List<String> e = errors("""
                backend b
                    option redispatch-drained 0
                    option redispatch-drained 5s now
                    no option redispatch-drained 5s
                    server s 127.0.0.1:8081
                """);
        assertEquals(List.of(
                "d.cfg:2:31: error: option redispatch-drained needs a time above 0 (write 'no option "
                        + "redispatch-drained' to keep a drained server's persistent clients)",
                "d.cfg:3:34: error: unexpected 'now' after option redispatch-drained 5s",
                "d.cfg:4:34: error: unexpected '5s' after no option redispatch-drained"), e);
    }

    @Test
    void notAllowedInAFrontend() {
        assertEquals(List.of("d.cfg:3:12: error: 'option redispatch-drained' is not allowed in a frontend section "
                        + "(valid in: defaults, listen, backend)"),
                errors("frontend f\n    bind :80\n    option redispatch-drained 5s\n"));
    }

    @Test
    void theEngineSupportsIt() {
        ParsedConfig parsed = TestConfigs.parse("d.cfg", """
                backend b
                    mode http
                    option redispatch-drained 5s
                    server s 127.0.0.1:8081
                """);
        assertEquals(List.of(), new ConfigValidator(SupportedFeatures.CURRENT).validate(parsed).stream()
                .filter(ConfigProblem::isError).map(ConfigProblem::toString).toList());
    }
}
