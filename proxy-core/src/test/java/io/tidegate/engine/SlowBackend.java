package io.tidegate.engine;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 and a free port that takes its time: each request holds a worker
 * thread for {@code delayMs} (a request may ask for another delay with {@code ?sleep=MS}), and the
 * server records how many requests it handled at once at most and the order in which paths arrived.
 * It has many more worker threads than the tests send concurrent requests, so any bound on its
 * concurrency comes from the proxy.
 */
final class SlowBackend implements AutoCloseable {
    private final String name;
    private final long delayMs;
    private final Undertow server;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final List<String> arrivals = new ArrayList<>();

    SlowBackend(String name, long delayMs) {
        this.name = name;
        this.delayMs = delayMs;
        this.server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(64)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(this::handle)
                .build();
        server.start();
    }

    private void handle(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this::handle);
            return;
        }
        int now = active.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        synchronized (arrivals) {
            arrivals.add(ex.getRequestPath());
        }
        try {
            String sleep = ex.getQueryParameters().containsKey("sleep")
                    ? ex.getQueryParameters().get("sleep").getFirst() : null;
            Thread.sleep(sleep != null ? Long.parseLong(sleep) : delayMs);
        } finally {
            active.decrementAndGet();
        }
        ex.getResponseHeaders().put(new HttpString("X-Server"), name);
        ex.getResponseSender().send(name + " " + ex.getRequestPath());
    }

    String name() {
        return name;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1",
                ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }

    /** The most requests it was handling at the same time. */
    int peakConcurrency() {
        return peak.get();
    }

    /** Requests being handled now. */
    int active() {
        return active.get();
    }

    /** Request paths in the order they reached the server. */
    List<String> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
