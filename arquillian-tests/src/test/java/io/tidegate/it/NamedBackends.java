package io.tidegate.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * Real HTTP backends on free 127.0.0.1 ports; each answers with its own name and counts what it
 * served, so a test can see where the proxy sent each request.
 */
final class NamedBackends implements AutoCloseable {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> hits = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    NamedBackends(String... names) {
        for (String name : names) {
            start(name);
        }
    }

    private void start(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            AtomicInteger count = new AtomicInteger();
            server.createContext("/", exchange -> {
                count.incrementAndGet();
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Backend", name);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(executor);
            server.start();
            servers.put(name, server);
            hits.put(name, count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port(String name) {
        return servers.get(name).getAddress().getPort();
    }

    int hits(String name) {
        return hits.get(name).get();
    }

    List<String> names() {
        return new ArrayList<>(servers.keySet());
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
