package io.tidegate.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a free 127.0.0.1 port with the seed guide's check file (§4.1): {@code /running}
 * answers 200 while the file "exists" and 404 once the test removed it; every other path is traffic,
 * answered with the server's name and counted apart from the checks. It can also answer on a second
 * port (the guide's §4.2 port 81 redirected to port 80) that the test opens and closes.
 */
final class SwitchableBackend implements AutoCloseable {

    private final String name;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpServer main;
    private HttpServer checkPort;
    private volatile boolean running = true;
    final AtomicInteger traffic = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();

    SwitchableBackend(String name) {
        this.name = name;
        this.main = open(0);
    }

    private HttpServer open(int port) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            s.createContext("/", this::handle);
            s.setExecutor(executor);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean check = "HEAD".equals(exchange.getRequestMethod());
        if (check) {
            checks.incrementAndGet();
            int status = !path.equals("/running") || running ? 200 : 404;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        traffic.incrementAndGet();
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Backend", name);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    int port() {
        return main.getAddress().getPort();
    }

    /** Creates ({@code true}) or removes the check file {@code /running}. */
    void running(boolean exists) {
        running = exists;
    }

    /** Opens the second port (like the guide's port 81 redirected to 80); returns it. */
    synchronized int openCheckPort(int port) {
        if (checkPort == null) {
            checkPort = open(port);
        }
        return checkPort.getAddress().getPort();
    }

    /** Stops answering on the second port (the guide removes the port-81 redirect). */
    synchronized void closeCheckPort() {
        if (checkPort != null) {
            checkPort.stop(0);
            checkPort = null;
        }
    }

    /** Stops the whole server (the guide's "httpd stop"). */
    void stopServer() {
        main.stop(0);
    }

    @Override
    public void close() {
        closeCheckPort();
        main.stop(0);
        executor.shutdownNow();
    }
}
