package io.tidegate.health;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on 127.0.0.1 (Undertow, free port) whose check endpoint the test turns on and off:
 * it answers every request with the current status and body, and records the requests it saw.
 */
public final class TestHttpBackend implements AutoCloseable {

    /** What the backend saw of one request. */
    record Seen(String method, String uri, String protocol, String host) {
    }

    public final AtomicInteger status = new AtomicInteger(200);
    public final AtomicReference<String> body = new AtomicReference<>("");
    /** Sends the body chunked (no Content-Length) when true. */
    volatile boolean chunked;
    final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    private final Undertow server;

    public TestHttpBackend() {
        server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(1)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(this::handle)
                .build();
        server.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    private void handle(HttpServerExchange ex) {
        requests.incrementAndGet();
        seen.add(new Seen(ex.getRequestMethod().toString(), ex.getRequestURI(), ex.getProtocol().toString(),
                ex.getRequestHeaders().getFirst(Headers.HOST)));
        ex.setStatusCode(status.get());
        byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
        if (chunked) {
            ex.getResponseHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
        } else {
            ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, b.length);
        }
        ex.getResponseHeaders().put(new HttpString("Content-Type"), "text/plain");
        ex.getResponseSender().send(body.get(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop();
    }
}
