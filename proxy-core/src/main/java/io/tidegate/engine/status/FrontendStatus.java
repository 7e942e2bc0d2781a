package io.tidegate.engine.status;

import java.util.List;

/**
 * One frontend (or listen section).
 *
 * @param binds         bound addresses ("127.0.0.1:8088")
 * @param sessionRate   client connections accepted during the last complete second
 * @param bytesIn       bytes received from clients
 * @param bytesOut      bytes sent to clients
 * @param requestErrors requests rejected as malformed (answered 4xx without reaching a server)
 * @param responses     HTTP responses sent to clients by class (index 0 other, 1..5 = 1xx..5xx), null = not counted
 */
public record FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions,
                             long sessionRate, long bytesIn, long bytesOut, long requestErrors, long[] responses) {
    public FrontendStatus {
        binds = List.copyOf(binds);
        responses = responses == null ? null : responses.clone();
    }

    /** Without response counts (they show as empty, never as 0). */
    public FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions,
                          long sessionRate, long bytesIn, long bytesOut, long requestErrors) {
        this(name, binds, mode, currentSessions, totalSessions, sessionRate, bytesIn, bytesOut, requestErrors, null);
    }
}
