package io.tidegate.engine;

import io.tidegate.engine.status.LatencyHistogram;
import io.tidegate.engine.status.ServerLatency;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's latency histograms (queue, connect, response, total), recorded by the IO threads at
 * the end of each exchange. Each IO thread writes only its own array (one writer per slot: a plain
 * load and an opaque store, no atomic instruction, no lock, no allocation, no cache line shared
 * between threads); a reader sums the threads' arrays with opaque loads, so it sees every
 * thread's recent figures without stopping them.
 */
final class LatencyRecorder {
    /** Bucket upper bounds in microseconds (0.5 ms .. 30 s); +Inf follows. */
    static final long[] BOUNDS_MICROS = {500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
        500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000};
    static final int QUEUE = 0, CONNECT = 1, RESPONSE = 2, TOTAL = 3;
    private static final int KINDS = 4;
    /** Per kind: one slot per bucket (non-cumulative) and +Inf, then the sum (µs); the count is the buckets' sum. */
    private static final int SLOTS = BOUNDS_MICROS.length + 1 + 1;
    private static final int SUM = BOUNDS_MICROS.length + 1;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[][] perThread;

    LatencyRecorder(int ioThreads) {
        perThread = new long[Math.max(1, ioThreads)][KINDS * SLOTS];
    }

    /** Records one observation of {@code kind}; must be called by IO thread {@code thread} only. */
    void record(int thread, int kind, long micros) {
        long[] a = perThread[thread < 0 || thread >= perThread.length ? 0 : thread];
        int base = kind * SLOTS;
        int b = 0;
        while (b < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[b]) b++;
        increment(a, base + b, 1);
        increment(a, base + SUM, micros);
    }

    private static void increment(long[] a, int i, long by) {
        LONGS.setOpaque(a, i, (long) LONGS.getOpaque(a, i) + by);
    }

    ServerLatency snapshot() {
        return new ServerLatency(histogram(QUEUE), histogram(CONNECT), histogram(RESPONSE), histogram(TOTAL));
    }

    private LatencyHistogram histogram(int kind) {
        int base = kind * SLOTS;
        long[] sums = new long[SLOTS];
        for (long[] a : perThread) for (int i = 0; i < SLOTS; i++) sums[i] += (long) LONGS.getOpaque(a, base + i);
        List<Double> bounds = new ArrayList<>(BOUNDS_MICROS.length);
        List<Long> cumulative = new ArrayList<>(BOUNDS_MICROS.length);
        long running = 0;
        for (int b = 0; b < BOUNDS_MICROS.length; b++) {
            running += sums[b];
            bounds.add(BOUNDS_MICROS[b] / 1e6);
            cumulative.add(running);
        }
        long count = running + sums[BOUNDS_MICROS.length];
        return new LatencyHistogram(bounds, cumulative, sums[SUM] / 1e6, count);
    }
}
