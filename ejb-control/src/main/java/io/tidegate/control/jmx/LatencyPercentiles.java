package io.tidegate.control.jmx;

import io.tidegate.engine.status.LatencyHistogram;
import io.tidegate.engine.status.ServerLatency;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@link LatencyPercentilesMXBean} figures of one backend or server, read from its latency snapshot. */
final class LatencyPercentiles {
    private final Supplier<Optional<ServerLatency>> latency;

    LatencyPercentiles(Supplier<Optional<ServerLatency>> latency) {
        this.latency = latency;
    }

    /** The {@code q} quantile of one timer in ms; 0 before the first exchange. */
    double millis(Function<ServerLatency, LatencyHistogram> timer, double q) {
        return latency.get().map(l -> timer.apply(l).quantileSeconds(q) * 1000).orElse(0.0);
    }

    double responseP50() { return millis(ServerLatency::response, 0.50); }
    double responseP95() { return millis(ServerLatency::response, 0.95); }
    double responseP99() { return millis(ServerLatency::response, 0.99); }
    double totalP99() { return millis(ServerLatency::total, 0.99); }
    double connectP99() { return millis(ServerLatency::connect, 0.99); }
    double queueP99() { return millis(ServerLatency::queue, 0.99); }
}
