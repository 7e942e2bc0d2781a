import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;

/**
 * A demo backend for `./tidegate run`: answers every request with its own name and what it saw
 * (the path, the client address Tidegate forwarded, cookies), so a user can watch the balancing.
 * {@code GET /health} is its health check (200, or 503 while failing); {@code /fail} switches
 * failing on and off, so {@code curl http://127.0.0.1:8081/fail} takes the server DOWN in Tidegate.
 * Usage: java demo/DemoBackend.java NAME PORT   (binds 127.0.0.1 only)
 */
public final class DemoBackend {
    public static void main(String[] args) throws IOException {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        AtomicBoolean failing = new AtomicBoolean();
        server.createContext("/health", exchange -> {
            int status = failing.get() ? 503 : 200;
            byte[] body = (failing.get() ? "failing (curl /fail again to recover)\n" : "ok\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/fail", exchange -> {
            boolean now = !failing.get();
            failing.set(now);
            byte[] body = ("demo backend " + name + (now ? " now FAILS its health check (GET /health answers 503); "
                    + "curl /fail again to recover\n" : " passes its health check again\n")).getBytes(StandardCharsets.UTF_8);
            System.out.print(new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/", exchange -> {
            String forwardedFor = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
            String cookie = exchange.getRequestHeaders().getFirst("Cookie");
            String text = "Hello from demo backend " + name + " (127.0.0.1:" + port + ")\n"
                    + "  path: " + exchange.getRequestURI() + "\n"
                    + "  X-Forwarded-For: " + (forwardedFor == null ? "-" : forwardedFor) + "\n"
                    + "  Cookie: " + (cookie == null ? "-" : cookie) + "\n";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().add("X-Demo-Backend", name);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("demo backend " + name + " listening on 127.0.0.1:" + port);
    }
}
