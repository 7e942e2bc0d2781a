package io.tidegate.engine;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An application server for the guide's flows, on 127.0.0.1 and a free port: it records every
 * request exactly as it arrived (request line, every header line in order) and answers 200 with
 * {@code X-Server: NAME}, plus the Set-Cookie lines it was told to send ({@link #setCookies}).
 */
final class RecordingBackend implements AutoCloseable {
    /** A request as the server saw it; header names lower-cased, one entry per received line. */
    record Seen(String method, String path, String protocol, Map<String, List<String>> headers, String query) {
        List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String first(String name) {
            List<String> v = all(name);
            return v.isEmpty() ? null : v.get(0);
        }
    }

    private final String name;
    private final Undertow server;
    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private volatile List<String> setCookies = List.of();
    private final Set<ServerConnection> connections = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    RecordingBackend(String name) {
        this.name = name;
        this.server = Undertow.builder().setIoThreads(1).setWorkerThreads(1)
                .addHttpListener(0, "127.0.0.1").setHandler(this::handle).build();
        server.start();
    }

    String name() {
        return name;
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The Set-Cookie lines of the following responses (none: no Set-Cookie). */
    void setCookies(String... lines) {
        setCookies = List.of(lines);
    }

    /** The next request this server received, waiting up to 5 s; fails if none came. */
    Seen take() throws InterruptedException {
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        if (s == null) throw new AssertionError(name + " received no request");
        return s;
    }

    /** How many connections the requests came on. */
    int connections() {
        return connections.size();
    }

    /** True when no request arrived that was not taken yet. */
    boolean idle() {
        return seen.isEmpty();
    }

    private void handle(HttpServerExchange ex) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderValues values : ex.getRequestHeaders()) {
            headers.computeIfAbsent(values.getHeaderName().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(values);
        }
        connections.add(ex.getConnection());
        seen.add(new Seen(ex.getRequestMethod().toString(), ex.getRequestURI(), ex.getProtocol().toString(), headers,
                ex.getQueryString()));
        ex.getResponseHeaders().put(new HttpString("X-Server"), name);
        for (String c : setCookies) ex.getResponseHeaders().add(Headers.SET_COOKIE, c);
        ex.getResponseSender().send(name + " " + ex.getRequestURI());
    }

    @Override
    public void close() {
        server.stop();
    }
}
