package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guide's cookie, backup and forwarding configurations validate against what Tidegate supports
 * today ({@link SupportedFeatures#CURRENT}): passive, insert and prefix cookies, backups sharing
 * cookies, forwardfor except, as written.
 */
class CookieSeedsSupportedTest {

    @ParameterizedTest
    @ValueSource(strings = {"s1_cookie_insert.cfg", "s2_cookie_prefix.cfg", "s2_weighted.cfg", "s3_https_insert.cfg",
            "s3_1_stunnel.cfg", "s4_2_backup_soft_stop.cfg", "s5_op1.cfg", "s5_op2.cfg", "s5_op3.cfg", "s5_sd1.cfg",
            "s5_sd2.cfg"})
    void validatesWithoutErrors(String resource) {
        ParsedConfig parsed = TestConfigs.parse(resource, TestConfigs.resource("seed/" + resource));
        List<String> errors = new ConfigValidator(SupportedFeatures.CURRENT).validate(parsed).stream()
                .filter(ConfigProblem::isError).map(p -> p.pos().line() + ": " + p.message()).toList();
        assertEquals(List.of(), errors, resource);
    }
}
