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
 * @param deniedConnections connections a {@code tcp-request connection reject} closed (HAProxy's dcon; not sessions)
 * @param deniedRequests    requests denied by {@code tcp-request content reject} or {@code http-request deny} (dreq)
 */
public record FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions,
                             long sessionRate, long bytesIn, long bytesOut, long requestErrors, long[] responses,
                             long deniedConnections, long deniedRequests) {
    public FrontendStatus {
        binds = List.copyOf(binds);
        responses = responses == null ? null : responses.clone();
    }

    /** Nothing denied. */
    public FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions,
                          long sessionRate, long bytesIn, long bytesOut, long requestErrors, long[] responses) {
        this(name, binds, mode, currentSessions, totalSessions, sessionRate, bytesIn, bytesOut, requestErrors, responses, 0, 0);
    }

    /** Connections accepted (HAProxy's conn_tot): sessions plus the connections denied before becoming one. */
    public long totalConnections() {
        return totalSessions + deniedConnections;
    }

    /** Without response counts (they show as empty, never as 0). */
    public FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions,
                          long sessionRate, long bytesIn, long bytesOut, long requestErrors) {
        this(name, binds, mode, currentSessions, totalSessions, sessionRate, bytesIn, bytesOut, requestErrors, null);
    }
}
