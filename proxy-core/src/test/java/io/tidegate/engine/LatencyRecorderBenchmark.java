package io.tidegate.engine;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the relay adds per exchange for the latency histograms: four {@link LatencyRecorder#record}
 * calls (queue 0, connect ~20 µs, response ~1.2 ms, total ~1.3 ms) by one IO thread. Run with benchmarks/jmh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LatencyRecorderBenchmark {
    private final LatencyRecorder recorder = new LatencyRecorder(2);
    private long t;

    @Benchmark
    public void oneExchange() {
        long jitter = (t++ & 7);
        recorder.record(1, LatencyRecorder.QUEUE, 0);
        recorder.record(1, LatencyRecorder.CONNECT, 20 + jitter);
        recorder.record(1, LatencyRecorder.RESPONSE, 1_200 + jitter);
        recorder.record(1, LatencyRecorder.TOTAL, 1_300 + jitter);
    }
}
