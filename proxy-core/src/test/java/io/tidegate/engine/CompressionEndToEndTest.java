package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP compression against a real backend, side by side with HAProxy 2.6: the same requests get
 * the same decision (compressed or not, and the head edits), a compressed body decompresses to the
 * backend's bytes (GZIPInputStream / InflaterInputStream), keep-alive goes on after it, and
 * {@code compression offload} keeps Accept-Encoding from the server.
 */
class CompressionEndToEndTest extends EngineTestSupport {

    @TempDir
    Path dir;
    private Undertow backend;
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) haproxy.close();
        if (backend != null) backend.stop();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The body the backend sends for {@code path}: 60 KB of text (several receive buffers), varying by path. */
    private static byte[] bodyOf(String path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 60_000; i++) b.append(path).append(" line ").append(i).append(" of a compressible page\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void handle(HttpServerExchange ex) {
        String path = ex.getRequestPath();
        String ae = ex.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING);
        ex.getResponseHeaders().put(new HttpString("X-AE"), ae == null ? "none" : ae);
        byte[] body = bodyOf(path);
        String type = "text/html; charset=utf-8";
        switch (path) {
            case "/png" -> type = "image/png";
            case "/multi" -> type = "multipart/mixed; boundary=x";
            case "/encoded" -> ex.getResponseHeaders().put(Headers.CONTENT_ENCODING, "br");
            case "/notransform" -> ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, no-transform");
            case "/404" -> ex.setStatusCode(404);
            case "/201" -> ex.setStatusCode(201);
            case "/etag2" -> {
                ex.getResponseHeaders().add(Headers.ETAG, "\"a\"");
                ex.getResponseHeaders().add(Headers.ETAG, "\"b\"");
            }
            case "/weak" -> ex.getResponseHeaders().put(Headers.ETAG, "W/\"w1\"");
            case "/text" -> ex.getResponseHeaders().put(Headers.ETAG, "\"strong1\"");
            case "/plain" -> type = "TEXT/PLAIN";
            default -> { }
        }
        if (path.equals("/204")) {
            ex.setStatusCode(204);
            ex.endExchange();
            return;
        }
        if (!path.equals("/notype")) ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        if (path.equals("/chunked")) {
            ex.getResponseHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
        } else {
            ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        }
        ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
    }

    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            frontend www
                bind 127.0.0.1:%d
                compression algo gzip deflate
                compression type text/html text/plain
                default_backend app
            backend app
                compression offload
                server s 127.0.0.1:%d
            """;

    private record Ask(String method, String path, String version, String acceptEncoding, String userAgent) {
        String text() {
            return method + " " + path + " HTTP/" + version + "\r\nHost: t\r\n"
                    + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n")
                    + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n") + "\r\n";
        }
    }

    private static final List<Ask> ASKS = List.of(
            new Ask("GET", "/text", "1.1", "gzip", null),
            new Ask("GET", "/text", "1.1", "deflate", null),
            new Ask("GET", "/text", "1.1", "deflate;q=0.5, gzip;q=0.8", null),
            new Ask("GET", "/text", "1.1", "gzip;q=0, deflate;q=0", null),
            new Ask("GET", "/text", "1.1", null, null),
            new Ask("GET", "/chunked", "1.1", "gzip", null),
            new Ask("HEAD", "/text", "1.1", "gzip", null),
            new Ask("GET", "/png", "1.1", "gzip", null),
            new Ask("GET", "/multi", "1.1", "gzip", null),
            new Ask("GET", "/encoded", "1.1", "gzip", null),
            new Ask("GET", "/notransform", "1.1", "gzip", null),
            new Ask("GET", "/404", "1.1", "gzip", null),
            new Ask("GET", "/201", "1.1", "gzip", null),
            new Ask("GET", "/204", "1.1", "gzip", null),
            new Ask("GET", "/etag2", "1.1", "gzip", null),
            new Ask("GET", "/weak", "1.1", "gzip", null),
            new Ask("GET", "/notype", "1.1", "gzip", null),
            new Ask("GET", "/plain", "1.1", "gzip", null),
            new Ask("GET", "/text", "1.1", "*", null),
            new Ask("GET", "/text", "1.1", "br, identity", null),
            new Ask("GET", "/text", "1.1", "gzip", "Mozilla/4.0 (compatible; MSIE 5.5; Windows 98)"),
            new Ask("GET", "/text", "1.0", "gzip", null));

    /** One line per request: status, the head edits, whether the body decodes to the backend's, what the server saw. */
    private List<String> observe(int port) throws Exception {
        List<String> seen = new ArrayList<>();
        RawClient c = new RawClient(port);
        try {
            for (Ask ask : ASKS) {
                c.send(ask.text());
                RawClient.Response r = c.read(ask.method().equals("HEAD"));
                String ce = r.header("Content-Encoding");
                byte[] decoded = r.body();
                if ("gzip".equals(ce)) decoded = readAll(new GZIPInputStream(new ByteArrayInputStream(r.body())));
                if ("deflate".equals(ce)) decoded = readAll(new InflaterInputStream(new ByteArrayInputStream(r.body())));
                boolean same = r.body().length == 0 || Arrays.equals(decoded, bodyOf(ask.path()));
                seen.add(ask.method() + " " + ask.path() + " " + ask.acceptEncoding() + " -> " + r.status() + " ce=" + ce
                        + " vary=" + r.header("Vary") + " etag=" + r.headers().get("etag") + " chunked="
                        + r.headers().containsKey("transfer-encoding") + " length=" + r.headers().containsKey("content-length")
                        + " same=" + same + " server-saw=" + r.header("X-AE"));
                if (ask.version().equals("1.0") || r.headers().getOrDefault("connection", List.of()).contains("close")) {
                    c.close();
                    c = new RawClient(port);
                }
            }
        } finally {
            c.close();
        }
        return seen;
    }

    private static byte[] readAll(InputStream in) throws Exception {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void compressesWhenAndHowHaproxyDoesAndTheBytesSurvive() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        backend = Undertow.builder().setIoThreads(1).setWorkerThreads(1).addHttpListener(0, "127.0.0.1")
                .setHandler(this::handle).build();
        backend.start();
        int backendPort = ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
        int hport = freePort();
        int tport = freePort();
        haproxy = HaproxyProcess.start(dir, CONFIG.formatted(hport, backendPort), hport);
        List<String> fromHaproxy = observe(hport);
        track(Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("comp.cfg",
                CONFIG.formatted(tport, backendPort))), SupportedFeatures.CURRENT).config()));
        List<String> fromTidegate = observe(tport);
        assertEquals(String.join("\n", fromHaproxy), String.join("\n", fromTidegate));
        for (String line : fromTidegate) assertTrue(line.contains("same=true"), line);
        assertTrue(fromTidegate.get(0).contains("ce=gzip vary=Accept-Encoding etag=[W/\"strong1\"] chunked=true length=false"
                + " same=true server-saw=none"), fromTidegate.get(0));
        assertTrue(fromTidegate.get(1).contains("ce=deflate "), fromTidegate.get(1));
        assertTrue(fromTidegate.get(4).contains("ce=null vary=null"), "no Accept-Encoding: " + fromTidegate.get(4));
        assertTrue(fromTidegate.get(5).contains("ce=gzip"), "a chunked body is compressed too: " + fromTidegate.get(5));
        assertTrue(fromTidegate.get(18).contains("ce=deflate"), "'*' takes the algorithm written last (HAProxy's list order): "
                + fromTidegate.get(18));
    }
}
