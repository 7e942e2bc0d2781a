package io.tidegate.engine.status;

import java.util.List;

/** Immutable snapshot of the engine for the admin page and JMX. */
public record EngineStatus(List<FrontendStatus> frontends, List<BackendStatus> backends) {
    public EngineStatus {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
    }
}
