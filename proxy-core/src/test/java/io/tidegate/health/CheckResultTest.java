package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckResultTest {

    @Test
    void describesAWrongStatusTheHaproxyWay() {
        CheckResult r = new CheckResult(CheckStatus.L7STS, 404, "Not Found", Duration.ofMillis(3));
        assertEquals("reason: Layer7 wrong status, code: 404, info: \"Not Found\", check duration: 3ms", r.describe());
    }

    @Test
    void layer4ResultsHaveNoCodeAndInfoOnlyWhenKnown() {
        assertEquals("reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms",
                CheckResult.of(CheckStatus.L4CON, "Connection refused").describe());
        assertEquals("reason: Layer4 timeout, check duration: 2001ms",
                CheckResult.of(CheckStatus.L4TOUT).withDuration(Duration.ofMillis(2001)).describe());
    }

    @Test
    void infoEscapesAngleBracketsQuotesAndControlsAsHex() {
        CheckResult r = CheckResult.of(CheckStatus.L7RSP, "a<b>\"c\"\r\né");
        assertEquals("reason: Layer7 invalid response, info: \"a<3C>b<3E><22>c<22><0D><0A><C3><A9>\", "
                + "check duration: 0ms", r.describe());
    }
}
