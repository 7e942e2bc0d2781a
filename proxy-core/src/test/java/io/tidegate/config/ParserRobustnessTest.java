package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Damaged configurations: whatever the text, parsing reports problems instead of throwing, every
 * problem has a real position, and whenever the damaged text still parses cleanly, writing and
 * reading it back gives the same model. Deterministic (fixed seeds) and bounded in count.
 */
class ParserRobustnessTest {

    private static final int MUTANTS_PER_SEED = 150;
    private static final String[] INSERTS = {" ", "\"", "'", "\\", "#", "$", "${X}", ":", ",", "0", "99999", "-1",
            "\n", "\t", "s", "ms", "x", "check", "backup", "weight", "option", "no ", "listen ", "backend b\n",
            "server", "bind", "(", ")", "[::1]:80", "*:", "\u00e9", "\r\n"};

    @Test
    void damagedSeedConfigurationsNeverCrashTheParser() {
        int clean = 0;
        List<String> sources = new java.util.ArrayList<>(TestConfigs.SEEDS.stream().map(s -> "seed/" + s).toList());
        sources.add("tricky/all_keywords.cfg");
        for (String name : sources) {
            String original = TestConfigs.resource(name);
            Random random = new Random(name.hashCode());
            for (int i = 0; i < MUTANTS_PER_SEED; i++) {
                String mutant = mutate(original, random);
                ParsedConfig parsed;
                try {
                    parsed = TestConfigs.parse(name, mutant);
                } catch (RuntimeException e) {
                    throw new AssertionError("parser threw on mutant of " + name + ":\n" + mutant, e);
                }
                for (ConfigProblem p : parsed.problems()) {
                    assertTrue(p.pos().line() >= 1 && p.pos().column() >= 1, () -> p + "\nin:\n" + mutant);
                }
                if (!parsed.hasErrors()) {
                    clean++;
                    String written = ConfigWriter.write(parsed.config());
                    ParsedConfig reread = TestConfigs.parse(name, written);
                    if (reread.hasErrors()) {
                        fail("written text does not parse: " + reread.problems() + "\nmutant:\n" + mutant
                                + "\nwritten:\n" + written);
                    }
                    assertEquals(parsed.config(), reread.config(), () -> "mutant:\n" + mutant + "\nwritten:\n" + written);
                }
            }
        }
        assertTrue(clean > 0, "some mutants stay valid, so the round trip was exercised");
    }

    private static String mutate(String text, Random random) {
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
                default -> {
                    int end = Math.min(b.length(), at + 1 + random.nextInt(8));
                    b.delete(at, end);
                }
            }
        }
        return b.toString();
    }

    @Test
    void emptyAndCommentOnlyTextsAreEmptyConfigurations() {
        for (String text : List.of("", "\n\n", "# only a comment\n   # another\n", "\r\n")) {
            ParsedConfig parsed = TestConfigs.parse("e.cfg", text);
            assertEquals(List.of(), parsed.problems());
            assertEquals(new Config("e.cfg", GlobalSection.EMPTY, List.of()), parsed.config());
            assertEquals("", ConfigWriter.write(parsed.config()));
        }
    }
}
