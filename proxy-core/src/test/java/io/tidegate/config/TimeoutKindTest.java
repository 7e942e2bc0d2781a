package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A timeout declared once in {@link TimeoutKind} is parsed in its sections, refused elsewhere,
 * written back, and its 1.4 spelling sets the same value, with no other place to edit.
 */
class TimeoutKindTest {

    private static String sectionText(SectionType type, String body) {
        String header = switch (type) {
            case DEFAULTS -> "defaults";
            case LISTEN -> "listen p\n    bind 127.0.0.1:8080\n    server s 127.0.0.1:9000";
            case FRONTEND -> "frontend p\n    bind 127.0.0.1:8080";
            case BACKEND -> "backend p\n    server s 127.0.0.1:9000";
            default -> throw new IllegalArgumentException(type.toString());
        };
        return header + "\n    " + body + "\n";
    }

    @Test
    void eachTimeoutIsParsedInItsSectionsAndWrittenBack() {
        for (TimeoutKind k : TimeoutKind.values()) {
            for (SectionType type : k.sections()) {
                String text = sectionText(type, "timeout " + k.keyword() + " 1500ms");
                Config config = TestConfigs.parseClean("t.cfg", text);
                Timeouts written = config.sections().get(0).settings().timeouts();
                assertEquals(Duration.ofMillis(1500), k.in(written), k.feature() + " in " + type.keyword());
                for (TimeoutKind other : TimeoutKind.values()) {
                    if (other != k) assertNull(other.in(written), k.feature() + " sets " + other.feature() + " too");
                }
                assertEquals(config, TestConfigs.parseClean("t.cfg", ConfigWriter.write(config)),
                        k.feature() + " in " + type.keyword() + " reads back as written");
            }
        }
    }

    @Test
    void aTimeoutOutsideItsSectionsIsRefusedWithWhereItIsValid() {
        for (TimeoutKind k : TimeoutKind.values()) {
            for (SectionType type : List.of(SectionType.FRONTEND, SectionType.BACKEND)) {
                if (k.sections().contains(type)) continue;
                List<ConfigProblem> errors = TestConfigs.errors(
                        TestConfigs.parse("bad.cfg", sectionText(type, "timeout " + k.keyword() + " 1s")).problems());
                assertEquals(1, errors.size(), k.feature() + " in " + type.keyword() + ": " + errors);
                assertTrue(errors.get(0).toString().contains("valid in: " + Keywords.sectionsOf(k.sections())),
                        errors.get(0).toString());
            }
        }
    }

    @Test
    void theOldSpellingSetsTheSameTimeout() {
        for (TimeoutKind k : TimeoutKind.values()) {
            if (k.legacyKeyword() == null) continue;
            SectionType type = k.sections().iterator().next();
            Config modern = TestConfigs.parseClean("t.cfg", sectionText(type, "timeout " + k.keyword() + " 7s"));
            Config legacy = TestConfigs.parseClean("t.cfg", sectionText(type, k.legacyKeyword() + " 7000"));
            assertEquals(modern.sections().get(0).settings(), legacy.sections().get(0).settings(), k.legacyKeyword());
            assertEquals(k.sections(), Keywords.PROXY.get(k.legacyKeyword()),
                    k.legacyKeyword() + " in the keyword table");
        }
    }
}
