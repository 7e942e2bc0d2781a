package io.tidegate.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * Application servers with their own session cookie, on free 127.0.0.1 ports: a request without
 * {@code JSESSIONID} gets {@code Set-Cookie: JSESSIONID=<name>-<n>}; every response names the
 * server ({@code X-Backend}) and repeats the Cookie header the server received ({@code X-Seen-Cookie}),
 * so a test sees what the proxy did to the cookies on both sides.
 */
final class SessionBackends implements AutoCloseable {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    SessionBackends(String... names) {
        for (String name : names) {
            start(name);
        }
    }

    private void start(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            AtomicInteger sessions = new AtomicInteger();
            server.createContext("/", exchange -> {
                String cookie = exchange.getRequestHeaders().getFirst("Cookie");
                if (cookie == null || !cookie.contains("JSESSIONID=")) {
                    exchange.getResponseHeaders().add("Set-Cookie", "JSESSIONID=" + name + "-" + sessions.incrementAndGet() + "; Path=/");
                }
                exchange.getResponseHeaders().add("X-Backend", name);
                exchange.getResponseHeaders().add("X-Seen-Cookie", cookie == null ? "-" : cookie);
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(executor);
            server.start();
            servers.put(name, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port(String name) {
        return servers.get(name).getAddress().getPort();
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
