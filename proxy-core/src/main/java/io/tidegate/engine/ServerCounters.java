package io.tidegate.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic statistics of one server (HAProxy's per-server stats columns): requests in progress and
 * their peak, totals, responses by status class, connection errors, retries, redispatches, queue
 * timeouts, bytes. Updated from any IO thread without locking. The requests in progress are also the
 * server's used slots when it has a {@code maxconn} ({@link #tryRequestStarted}).
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
    private final LongAdder queueTimeouts = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    /** Clients and requests that brought the server's persistence cookie value recently. */
    private final CookieHolderCounts cookieHolders = new CookieHolderCounts();

    ServerCounters() {
        for (int i = 0; i < responses.length; i++) responses[i] = new LongAdder();
    }

    void requestStarted() {
        started(current.incrementAndGet());
    }

    /**
     * Counts a request in progress only while fewer than {@code limit} are (a free slot, taken
     * atomically); false when the server is full. No lock, no allocation.
     */
    boolean tryRequestStarted(int limit) {
        while (true) {
            long c = current.get();
            if (c >= limit) return false;
            if (current.compareAndSet(c, c + 1)) {
                started(c + 1);
                return true;
            }
        }
    }

    private void started(long now) {
        total.increment();
        long peak;
        while (now > (peak = max.get()) && !max.compareAndSet(peak, now)) {
            // another thread raised the peak meanwhile: try again against the new one
        }
    }

    void requestEnded() { current.decrementAndGet(); }

    /** A tunnel taken over from the previous deployment runs on this server again (not a new request). */
    void resumed() { current.incrementAndGet(); }

    void response(int status) {
        int c = status / 100;
        responses[c >= 1 && c <= 5 ? c : 0].increment();
    }

    void connectError() { connectErrors.increment(); }
    void retry() { retries.increment(); }
    void redispatch() { redispatches.increment(); }
    /** A request waited in this server's queue longer than {@code timeout queue}. */
    void queueTimeout() { queueTimeouts.increment(); }

    void bytes(long in, long out) {
        if (in > 0) bytesIn.add(in);
        if (out > 0) bytesOut.add(out);
    }

    CookieHolderCounts cookieHolders() { return cookieHolders; }
    long current() { return current.get(); }
    long max() { return max.get(); }
    long total() { return total.sum(); }
    long connectErrors() { return connectErrors.sum(); }
    long retries() { return retries.sum(); }
    long redispatches() { return redispatches.sum(); }
    long queueTimeouts() { return queueTimeouts.sum(); }
    long bytesIn() { return bytesIn.sum(); }
    long bytesOut() { return bytesOut.sum(); }

    /** Responses per class: index 0 = other, 1..5 = 1xx..5xx. */
    long[] responses() {
        long[] r = new long[responses.length];
        for (int i = 0; i < r.length; i++) r[i] = responses[i].sum();
        return r;
    }
}
