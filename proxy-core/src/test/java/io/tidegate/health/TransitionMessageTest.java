package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransitionMessageTest {

    private static final ServerKey WEB_A = new ServerKey("bk_web", "webA");

    private static HealthTransition down(boolean backup, CheckResult r) {
        HealthState before = HealthState.initial(2, 2, InitialState.FULLY_UP);
        HealthState after = before.after(r, java.time.Instant.EPOCH).after(r, java.time.Instant.EPOCH);
        return new HealthTransition(WEB_A, backup, before, after, r);
    }

    private static HealthTransition up(boolean backup, CheckResult r) {
        HealthState before = HealthState.initial(1, 2, InitialState.FULLY_DOWN);
        return new HealthTransition(WEB_A, backup, before, before.after(r, java.time.Instant.EPOCH), r);
    }

    @Test
    void downLineIsHaproxysWordForWord() {
        CheckResult r = new CheckResult(CheckStatus.L7STS, 404, "Not Found", Duration.ofMillis(3));
        assertEquals("Server bk_web/webA is DOWN, reason: Layer7 wrong status, code: 404, info: \"Not Found\", "
                        + "check duration: 3ms. 1 active and 0 backup servers left. "
                        + "0 sessions active, 0 requeued, 0 remaining in queue.",
                TransitionMessage.of(down(false, r), ServerCounts.servers(1, 0)));
    }

    @Test
    void upLineIsHaproxysWordForWord() {
        CheckResult r = new CheckResult(CheckStatus.L7OK, 200, "", Duration.ofMillis(1));
        assertEquals("Server bk_web/webA is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. "
                        + "2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                TransitionMessage.of(up(false, r), ServerCounts.servers(2, 0)));
    }

    @Test
    void backupServersAndRunningOnBackupAndSessionFigures() {
        CheckResult refused = new CheckResult(CheckStatus.L4CON, 0, "Connection refused", Duration.ZERO);
        assertEquals("Backup Server bk_web/webA is DOWN, reason: Layer4 connection problem, info: "
                        + "\"Connection refused\", check duration: 0ms. 0 active and 1 backup servers left. "
                        + "Running on backup. 7 sessions active, 2 requeued, 1 remaining in queue.",
                TransitionMessage.of(down(true, refused), new ServerCounts(0, 1, 7, 2, 1)));
        CheckResult ok = new CheckResult(CheckStatus.L4OK, 0, "", Duration.ofMillis(2));
        assertEquals("Backup Server bk_web/webA is UP, reason: Layer4 check passed, check duration: 2ms. "
                        + "0 active and 2 backup servers online. Running on backup. 3 sessions requeued, "
                        + "0 total in queue.",
                TransitionMessage.of(up(true, ok), new ServerCounts(0, 2, 0, 3, 0)));
    }

    @Test
    void noServerAlert() {
        assertEquals("backend 'bk_web' has no server available!", TransitionMessage.noServerAvailable("bk_web"));
    }
}
