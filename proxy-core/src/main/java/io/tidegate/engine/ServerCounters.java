package io.tidegate.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic statistics of one server (HAProxy's per-server stats columns): requests in progress and
 * their peak, totals, responses by status class, connection errors, retries, redispatches, bytes.
 * Updated from any IO thread without locking.
 */
final class ServerCounters {
    private final AtomicLong current = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final LongAdder total = new LongAdder();
    /** index 0 = other, 1..5 = 1xx..5xx */
    private final LongAdder[] responses = new LongAdder[6];
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder redispatches = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    ServerCounters() {
        for (int i = 0; i < responses.length; i++) responses[i] = new LongAdder();
    }

    void requestStarted() {
        long now = current.incrementAndGet();
        total.increment();
        long peak;
        while (now > (peak = max.get()) && !max.compareAndSet(peak, now)) {
            // another thread raised the peak meanwhile: try again against the new one
        }
    }

    void requestEnded() { current.decrementAndGet(); }

    void response(int status) {
        int c = status / 100;
        responses[c >= 1 && c <= 5 ? c : 0].increment();
    }

    void connectError() { connectErrors.increment(); }
    void retry() { retries.increment(); }
    void redispatch() { redispatches.increment(); }

    void bytes(long in, long out) {
        if (in > 0) bytesIn.add(in);
        if (out > 0) bytesOut.add(out);
    }

    long current() { return current.get(); }
    long max() { return max.get(); }
    long total() { return total.sum(); }
    long connectErrors() { return connectErrors.sum(); }
    long retries() { return retries.sum(); }
    long redispatches() { return redispatches.sum(); }
    long bytesIn() { return bytesIn.sum(); }
    long bytesOut() { return bytesOut.sum(); }

    /** Responses per class: index 0 = other, 1..5 = 1xx..5xx. */
    long[] responses() {
        long[] r = new long[responses.length];
        for (int i = 0; i < r.length; i++) r[i] = responses[i].sum();
        return r;
    }
}
