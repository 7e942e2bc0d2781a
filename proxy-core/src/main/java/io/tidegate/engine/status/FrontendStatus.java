package io.tidegate.engine.status;

import java.util.List;

/** One frontend (or listen section): its bound addresses ("127.0.0.1:8088"), mode and session counters. */
public record FrontendStatus(String name, List<String> binds, String mode, long currentSessions, long totalSessions) {
    public FrontendStatus {
        binds = List.copyOf(binds);
    }
}
