package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real haproxy.cfg files of public projects (src/test/resources/corpus, each with its source in a
 * header comment, server and bind addresses replaced by loopback): how many load, and for each
 * one that does not, exactly why (the statements that block it and its first error), as listed in
 * corpus/expected-outcomes.txt. When a feature lands, files move to "valid": the test writes this
 * build's outcomes to proxy-core/target/corpus-actual-outcomes.txt; review the diff and update that list.
 */
class CorpusTest {

    private static Path corpus() throws URISyntaxException {
        return Path.of(CorpusTest.class.getResource("/corpus").toURI());
    }

    /** {@code FILE: valid} or {@code FILE: blocked by A, B | first error without the file name}. */
    static String outcome(ConfigSurvey.FileResult f) {
        String name = f.file().getFileName().toString();
        if (f.valid()) return name + ": valid";
        ConfigProblem first = f.errors().get(0);
        // a message naming another place in the file names it by its path: keep only the file name (same on every machine)
        String message = first.message().replace(f.file().toString(), name);
        return name + ": blocked by " + String.join(", ", f.blockers()) + " | " + first.pos().line() + ":"
                + first.pos().column() + ": " + message;
    }

    @Test
    void everyFileLoadsOrSaysPreciselyWhy() throws Exception {
        ConfigSurvey.Result r = ConfigSurvey.survey(corpus(), SupportedFeatures.CURRENT);
        assertTrue(r.files().size() >= 30, "at least 30 real files");
        List<String> actual = new ArrayList<>();
        for (ConfigSurvey.FileResult f : r.files()) actual.add(outcome(f));
        List<String> expected = Files.readAllLines(corpus().resolve("expected-outcomes.txt"), StandardCharsets.UTF_8)
                .stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        // what this build says, beside the expected list: after a feature lands, review the diff and copy it over
        Path written = Path.of("target", "corpus-actual-outcomes.txt");
        Files.createDirectories(written.getParent());
        Files.write(written, actual, StandardCharsets.UTF_8);
        assertEquals(String.join("\n", expected), String.join("\n", actual),
                "differs from expected-outcomes.txt; this build's outcomes are in proxy-core/" + written);
        assertEquals(20, r.validCount(), "files valid of " + r.files().size());
    }

    @Test
    void checkDirPrintsTheSummaryWithBlockersRankedByFiles() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int status = ConfigCheck.run(new String[] {"--dir", corpus().toString()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(ConfigCheck.INVALID, status);
        assertTrue(text.contains("valid    100f__rinha-backend-2025.cfg"), text);
        assertTrue(text.contains("20 of 33 files are valid"), text);
        List<String> ranked = text.lines().dropWhile(l -> !l.startsWith("Statements that block")).skip(1).toList();
        assertEquals("6  bind ... ssl", ranked.get(0).strip(), "the most common blocker comes first");
        int previous = Integer.MAX_VALUE;
        for (String l : ranked) {
            int n = Integer.parseInt(l.strip().split("\\s+")[0]);
            assertTrue(n <= previous, "ranked by number of files: " + l);
            previous = n;
        }
    }

    @Test
    void everyFileNamesItsSource() throws Exception {
        try (var files = Files.list(corpus())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".cfg")).toList()) {
                assertTrue(Files.readString(p).startsWith("# Source: https://github.com/"), p.toString());
            }
        }
    }
}
