package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code KEYWORD N} setting declared once in {@link ProxyCount} is parsed, refused where it does
 * not belong, written back, layered from {@code defaults}, given its built-in value and listed as
 * supported, with no other place to edit.
 */
class ProxyCountTest {

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
    void eachCountIsParsedInItsSectionsAndWrittenBack() {
        for (ProxyCount c : ProxyCount.values()) {
            for (SectionType type : c.sections()) {
                String text = sectionText(type, c.keyword() + " 7");
                Config config = TestConfigs.parseClean("count.cfg", text);
                Section section = config.sections().get(0);
                assertEquals(7, c.in(section.settings()), c.keyword() + " in " + type.keyword());
                assertEquals(config, TestConfigs.parseClean("count.cfg", ConfigWriter.write(config)),
                        c.keyword() + " in " + type.keyword() + " reads back as written");
            }
        }
    }

    @Test
    void aCountOutsideItsSectionsIsRefusedWithWhereItIsValid() {
        for (ProxyCount c : ProxyCount.values()) {
            for (SectionType type : List.of(SectionType.FRONTEND, SectionType.BACKEND)) {
                if (c.sections().contains(type)) continue;
                List<ConfigProblem> errors = TestConfigs.errors(
                        TestConfigs.parse("bad.cfg", sectionText(type, c.keyword() + " 7")).problems());
                assertEquals(1, errors.size(), c.keyword() + " in " + type.keyword() + ": " + errors);
                assertTrue(errors.get(0).toString().contains("valid in: " + Keywords.sectionsOf(c.sections())),
                        errors.get(0).toString());
            }
        }
    }

    @Test
    void aCountNeedsOneWholeNumber() {
        for (ProxyCount c : ProxyCount.values()) {
            SectionType type = c.sections().iterator().next();
            for (String bad : List.of(c.keyword(), c.keyword() + " many", c.keyword() + " 1 2")) {
                assertFalse(TestConfigs.errors(TestConfigs.parse("bad.cfg", sectionText(type, bad)).problems())
                        .isEmpty(), "'" + bad + "' is refused");
            }
        }
    }

    @Test
    void builtInValuesAndDefaultsLayering() {
        Config config = TestConfigs.parseClean("layers.cfg", """
                defaults
                    retries 5
                backend written
                    retries 1
                    server s 127.0.0.1:9000
                backend inherited
                    server s 127.0.0.1:9001
                frontend nothing
                    bind 127.0.0.1:8080
                    default_backend written
                """);
        assertEquals(1, ProxyCount.RETRIES.in(config.effective(config.backend("written").orElseThrow())));
        assertEquals(5, ProxyCount.RETRIES.in(config.effective(config.backend("inherited").orElseThrow())));
        ProxySection nothing = config.proxy("nothing").orElseThrow();
        assertEquals(ProxyCount.MAXCONN.builtIn(), ProxyCount.MAXCONN.in(config.effective(nothing)));
        for (ProxyCount c : ProxyCount.values()) {
            assertEquals(c.builtIn(), c.in(ProxySettings.BUILT_IN), c.keyword());
            assertNull(c.in(ProxySettings.NONE), c.keyword() + " is not written in NONE");
            assertTrue(SupportedFeatures.CURRENT.isSupported(c.keyword()), c.keyword() + " is a supported feature");
            assertEquals(c.sections(), Keywords.PROXY.get(c.keyword()), c.keyword() + " in the keyword table");
        }
    }
}
