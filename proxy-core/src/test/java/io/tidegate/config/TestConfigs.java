package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the test configurations and parses text the way the tests need it. */
final class TestConfigs {

    /** Every seed example (guide sections 1 to 7), resource names under /config/seed/. */
    static final List<String> SEEDS = List.of("s1_cookie_insert.cfg", "s2_cookie_prefix.cfg", "s2_weighted.cfg",
            "s2_1_l4.cfg", "s2_2_tcp_syslog.cfg", "s3_https_insert.cfg", "s3_1_stunnel.cfg",
            "s4_1_soft_stop_file.cfg", "s4_2_backup_soft_stop.cfg", "s4_2_1_tcp_check_relay.cfg", "s5_op1.cfg",
            "s5_op2.cfg", "s5_op3.cfg", "s5_sd1.cfg", "s5_sd2.cfg", "s5_s1l1.cfg", "s5_s2l1.cfg", "s6_source.cfg",
            "s7_maxconn.cfg", "s7_minconn.cfg");

    /** Seeds that also exist in modern spelling under /config/modern/. */
    static final List<String> MODERN = List.of("s3_https_insert.cfg", "s4_1_soft_stop_file.cfg",
            "s4_2_1_tcp_check_relay.cfg", "s5_s1l1.cfg", "s7_minconn.cfg");

    private TestConfigs() {
    }

    static String resource(String path) {
        try (InputStream in = TestConfigs.class.getResourceAsStream("/config/" + path)) {
            assertNotNull(in, "missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses with a small fixed environment (LB_PORT=8080, BACKEND=app) instead of the process one. */
    static ParsedConfig parse(String source, String text) {
        return new ConfigParser(name -> Map.of("LB_PORT", "8080", "BACKEND", "app").get(name)).parse(source, text);
    }

    /** Parses and asserts the text has no error (warnings allowed). */
    static Config parseClean(String source, String text) {
        ParsedConfig parsed = parse(source, text);
        assertEquals(List.of(), errors(parsed.problems()), "parse errors in " + source);
        return parsed.config();
    }

    static List<ConfigProblem> errors(List<ConfigProblem> problems) {
        return problems.stream().filter(ConfigProblem::isError).toList();
    }

    /** The 1-based numbers of the lines of {@code text} that contain {@code snippet}. */
    static List<Integer> linesOf(String text, String snippet) {
        List<Integer> lines = new ArrayList<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            if (all[i].contains(snippet)) {
                lines.add(i + 1);
            }
        }
        return lines;
    }

    /** The 1-based numbers of the lines of {@code text} that end with {@code suffix}. */
    static List<Integer> linesEndingWith(String text, String suffix) {
        List<Integer> lines = new ArrayList<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            if (all[i].stripTrailing().endsWith(suffix)) {
                lines.add(i + 1);
            }
        }
        return lines;
    }

    /** The only line containing {@code snippet}. */
    static int lineOf(String text, String snippet) {
        List<Integer> lines = linesOf(text, snippet);
        assertEquals(1, lines.size(), "lines containing '" + snippet + "': " + lines);
        return lines.get(0);
    }
}
