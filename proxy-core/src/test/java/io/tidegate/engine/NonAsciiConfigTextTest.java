package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UTF-8 configuration file with non-ASCII text, as HAProxy reads it: its text means its UTF-8
 * bytes on the wire. An ACL pattern (on its line or in a -f file) matches a header carrying those bytes, a header value set by a
 * rule reaches the server as those bytes, and an errorfile is sent byte for byte. The matching
 * case is checked beside HAProxy 2.6 on the same file.
 */
class NonAsciiConfigTextTest {
    @TempDir
    Path dir;
    private Engine engine;
    private final RawServer server = new RawServer();

    @AfterEach
    void stop() throws IOException {
        if (engine != null) engine.close();
        server.close();
    }

    /** The bytes of {@code text} in UTF-8, one char each (what RawClient sends and reads). */
    private static String wire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String config(int port) throws IOException {
        Path page = dir.resolve("503.http");
        Files.write(page, ("HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Dienst nicht verfügbar — bitte später 😀\n").getBytes(StandardCharsets.UTF_8));
        Path cities = dir.resolve("cities.lst");
        Files.writeString(cities, "# a pattern file\nGenève\nSão Paulo\n", StandardCharsets.UTF_8);
        return """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                    errorfile 503 %s
                frontend www
                    bind 127.0.0.1:%d
                    acl zurich hdr(x-city) Zürich
                    acl zurich_i hdr(x-city) -i zürich
                    acl munich req.hdr(x-city) -m beg Münch
                    acl listed hdr(x-city) -f %s
                    http-request return status 200 content-type text/plain string exact if zurich
                    http-request return status 200 content-type text/plain string nocase if zurich_i
                    http-request return status 200 content-type text/plain string prefix if munich
                    http-request return status 200 content-type text/plain string listed if listed
                    http-request return status 200 content-type text/plain string none if { path /match }
                    use_backend empty if { path /down }
                    default_backend app
                backend app
                    http-request set-header X-Greeting "Grüße aus Zürich"
                    http-response set-header X-Reply "Antwort für dich"
                    server s1 127.0.0.1:%d
                backend empty
                """.formatted(page, port, cities, server.port());
    }

    /** The body answered for /match with header X-City carrying the UTF-8 bytes of {@code city}. */
    private static String matched(int port, String city) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send("GET /match HTTP/1.1\r\nHost: t\r\nX-City: " + wire(city) + "\r\n\r\n");
            return c.read().bodyText();
        }
    }

    private static final List<String> CITIES = List.of("Zürich", "ZüRICH", "ZÜRICH", "Zurich", "München", "Munchen",
            "Genève", "São Paulo", "Geneve");

    @Test
    void nonAsciiTextMeansItsUtf8BytesOnTheWire() throws Exception {
        int port = freePort();
        Path cfg = dir.resolve("tidegate.cfg");
        String text = config(port);
        Files.writeString(cfg, text, StandardCharsets.UTF_8);
        engine = Engine.start(ConfigLoader.load(cfg).config());

        List<String> ours = new ArrayList<>();
        for (String city : CITIES) ours.add(city + "=" + matched(port, city));
        // -i folds ASCII letters only: ü and Ü are other bytes
        assertEquals(List.of("Zürich=exact", "ZüRICH=nocase", "ZÜRICH=none", "Zurich=none", "München=prefix",
                "Munchen=none", "Genève=listed", "São Paulo=listed", "Geneve=none"), ours);

        try (RawClient c = new RawClient(port)) {
            c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals(wire("Antwort für dich"), r.header("X-Reply"), "the response header arrives as UTF-8 bytes");
        }
        String head = server.heads.poll(10, TimeUnit.SECONDS);
        assertNotNull(head);
        assertTrue(head.contains("\r\nX-Greeting: " + wire("Grüße aus Zürich") + "\r\n"),
                "the request header set by the rule arrives as its UTF-8 bytes: " + head);

        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/down");
            assertEquals(503, r.status());
            assertArrayEquals("Dienst nicht verfügbar — bitte später 😀\n".getBytes(StandardCharsets.UTF_8), r.body(),
                    "the errorfile is sent byte for byte");
        }

        // HAProxy 2.6 on the same file matches the same requests
        engine.close();
        engine = null;
        try (HaproxyProcess h = HaproxyProcess.start(dir, text, port)) {
            List<String> theirs = new ArrayList<>();
            for (String city : CITIES) theirs.add(city + "=" + matched(port, city));
            assertEquals(ours, theirs);
        }
    }

    /** A server that records each request head as bytes (one char each) and answers 200 without a body. */
    private static final class RawServer implements AutoCloseable {
        final LinkedBlockingQueue<String> heads = new LinkedBlockingQueue<>();
        private final ServerSocket socket;
        private final Thread thread;

        RawServer() {
            try {
                socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            thread = new Thread(this::serve, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    int b;
                    while ((b = in.read()) >= 0) {
                        head.write(b);
                        byte[] h = head.toByteArray();
                        int n = h.length;
                        if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
                        if (n > 65536) break;
                    }
                    heads.add(head.toString(StandardCharsets.ISO_8859_1));
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // closed, or a client gone: wait for the next one
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
