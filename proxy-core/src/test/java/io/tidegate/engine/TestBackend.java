package io.tidegate.engine;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Undertow server on 127.0.0.1 and a free port. By default it answers "NAME PATH" with
 * headers telling what it received; special paths: /echo (returns the request body), /head-ok,
 * /nocontent (204), /notmodified (304), /chunked (a chunked response), /setcookie (sets
 * JSESSIONID=123).
 */
final class TestBackend implements AutoCloseable {
    private final String name;
    private final Undertow server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<ServerConnection> connections = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    TestBackend(String name) {
        this.name = name;
        this.server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(2)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(new io.undertow.server.handlers.HttpContinueReadHandler(this::handle))
                .build();
        server.start();
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    String name() {
        return name;
    }

    int requests() {
        return requests.get();
    }

    int connections() {
        return connections.size();
    }

    private void handle(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread() && ex.getRequestPath().equals("/chunked")) {
            ex.dispatch(this::handle);
            return;
        }
        requests.incrementAndGet();
        connections.add(ex.getConnection());
        var h = ex.getResponseHeaders();
        h.put(new HttpString("X-Server"), name);
        String cookie = ex.getRequestHeaders().getFirst(Headers.COOKIE);
        if (cookie != null) h.put(new HttpString("X-Seen-Cookie"), cookie);
        String xff = ex.getRequestHeaders().getFirst("X-Forwarded-For");
        if (xff != null) h.put(new HttpString("X-Seen-XFF"), xff);
        h.put(new HttpString("X-Seen-XFF-Count"), ex.getRequestHeaders().count(new HttpString("X-Forwarded-For")));
        switch (ex.getRequestPath()) {
            case "/echo" -> ex.getRequestReceiver().receiveFullBytes((e, data) -> e.getResponseSender().send(
                    java.nio.ByteBuffer.wrap(data)));
            case "/nocontent" -> {
                ex.setStatusCode(204);
                ex.endExchange();
            }
            case "/notmodified" -> {
                ex.setStatusCode(304);
                ex.endExchange();
            }
            case "/chunked" -> {
                ex.startBlocking();
                var out = ex.getOutputStream();
                for (int i = 0; i < 5; i++) {
                    out.write(("part" + i + ";").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                out.close();
            }
            case "/big" -> {
                byte[] big = new byte[4 << 20];
                for (int i = 0; i < big.length; i++) big[i] = (byte) ('a' + i % 23);
                ex.getResponseSender().send(java.nio.ByteBuffer.wrap(big));
            }
            case "/setcookie" -> {
                h.put(Headers.SET_COOKIE, "JSESSIONID=123; Path=/");
                ex.getResponseSender().send(name);
            }
            default -> ex.getResponseSender().send(name + " " + ex.getRequestPath());
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A handler-less helper for tests that want their own behaviour. */
    static Undertow custom(HttpHandler handler) {
        Undertow u = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(0, "127.0.0.1")
                .setHandler(handler).build();
        u.start();
        return u;
    }
}
