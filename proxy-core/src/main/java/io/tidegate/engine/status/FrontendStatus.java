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
 */
public record FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions,
                             long sessionRate, long bytesIn, long bytesOut, long requestErrors) {
    public FrontendStatus {
        binds = List.copyOf(binds);
    }
}
