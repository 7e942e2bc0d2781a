package io.tidegate.health;

/**
 * The log line HAProxy writes when a server changes state, word for word:
 * <pre>
 * Server B/S is DOWN, reason: Layer7 wrong status, code: 404, info: "Not Found", check duration: 3ms.
 *   1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
 * Backup Server B/S is UP, reason: Layer4 check passed, check duration: 0ms.
 *   2 active and 1 backup servers online. 0 sessions requeued, 0 total in queue.
 * </pre>
 * (each on one line), with {@code Running on backup.} after the server counts when only backup servers
 * are left.
 */
public final class TransitionMessage {

    private TransitionMessage() {
    }

    public static String of(HealthTransition t, ServerCounts c) {
        StringBuilder b = new StringBuilder(200);
        if (t.backup()) {
            b.append("Backup ");
        }
        b.append("Server ").append(t.server()).append(" is ").append(t.wentDown() ? "DOWN" : "UP")
                .append(", ").append(t.result().describe())
                .append(". ").append(c.activeServers()).append(" active and ").append(c.backupServers())
                .append(" backup servers ").append(t.wentDown() ? "left." : "online.");
        if (c.backupServers() > 0 && c.activeServers() == 0) {
            b.append(" Running on backup.");
        }
        if (t.wentDown()) {
            b.append(' ').append(c.sessionsActive()).append(" sessions active, ").append(c.requeued())
                    .append(" requeued, ").append(c.queued()).append(" remaining in queue.");
        } else {
            b.append(' ').append(c.requeued()).append(" sessions requeued, ").append(c.queued())
                    .append(" total in queue.");
        }
        return b.toString();
    }

    /**
     * The line of {@code option log-health-checks} after a check that changed the check status or the
     * health counter: {@code Health check for [backup ]server B/S succeeded|failed|conditionally
     * succeeded, reason: ..., check duration: Nms, status: X/Y UP|DOWN.} (X/Y: the passed checks
     * left before going down out of fall while up, the passed checks out of rise while down).
     */
    public static String checkLine(ServerKey server, boolean backup, CheckResult result, HealthState after) {
        StringBuilder b = new StringBuilder(160).append("Health check for ").append(backup ? "backup " : "")
                .append("server ").append(server).append(' ')
                .append(result.status() == CheckStatus.L7OKC ? "conditionally " : "")
                .append(result.passed() ? "succeeded" : "failed").append(", ").append(result.describe());
        boolean up = after.isUp();
        b.append(", status: ").append(up ? after.health() - after.rise() + 1 : after.health()).append('/')
                .append(up ? after.fall() : after.rise()).append(up ? " UP." : " DOWN.");
        return b.toString();
    }

    /** HAProxy's alert when a backend has no usable server left. */
    public static String noServerAvailable(String backend) {
        return "backend '" + backend + "' has no server available!";
    }
}
