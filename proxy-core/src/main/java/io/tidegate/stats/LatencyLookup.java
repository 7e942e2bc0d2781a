package io.tidegate.stats;

import io.tidegate.engine.status.ServerLatency;
import java.util.Optional;

/** A server's latency histograms ({@link io.tidegate.engine.Engine#serverLatency}), empty when unknown. */
@FunctionalInterface
public interface LatencyLookup {
    LatencyLookup NONE = (backend, server) -> Optional.empty();

    Optional<ServerLatency> latency(String backend, String server);
}
