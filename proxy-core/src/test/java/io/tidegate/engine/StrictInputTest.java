package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input at least as strict as HAProxy 2.6 (measured against Debian's haproxy), stricter where it
 * is lax: each bad request is answered 400 here, counted as a request error, logged with PR--, and
 * the server receives nothing.
 */
class StrictInputTest {
    private PeerRecorder server;
    private Engine engine;
    private int port;
    private AccessLogCapture log;
    private AccessLogCapture reasons;

    @BeforeEach
    void start() throws Exception {
        server = new PeerRecorder(true);
        port = GuideConfigs.freePort();
        log = new AccessLogCapture();
        reasons = new AccessLogCapture("io.tidegate.engine.rejected");
        engine = GuideConfigs.start("""
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    option httplog
                    timeout client 300ms
                    timeout http-request 300ms
                    server s1 127.0.0.1:%d
                """.formatted(port, server.port()));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        server.close();
        log.close();
        reasons.close();
    }

    private static String headers(int n) {
        StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
        for (int i = 1; i < n; i++) b.append("X-H").append(i).append(": v\r\n");
        return b.append("\r\n").toString();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("101 header lines (HAProxy: 400 from tune.http.maxhdr 101 on)", headers(101)),
                Arguments.of("absolute-form authority differs from Host",
                        "GET http://a.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n"),
                Arguments.of("absolute-form with userinfo", "GET http://u@a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n"),
                Arguments.of("absolute-form with another scheme", "GET ftp://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n"),
                Arguments.of("NUL in a value (HAProxy 2.6 forwards it)", "GET / HTTP/1.1\r\nHost: t\r\nX: a\u0000b\r\n\r\n"),
                Arguments.of("SOH in a value (HAProxy 2.6 forwards it)", "GET / HTTP/1.1\r\nHost: t\r\nX: a\u0001b\r\n\r\n"),
                Arguments.of("ESC in a value", "GET / HTTP/1.1\r\nHost: t\r\nX: a\u001bb\r\n\r\n"),
                Arguments.of("DEL in a value", "GET / HTTP/1.1\r\nHost: t\r\nX: a\u007fb\r\n\r\n"),
                Arguments.of("bare CR in a value", "GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n"),
                Arguments.of("control character in a name", "GET / HTTP/1.1\r\nHost: t\r\nX\u0001Y: a\r\n\r\n"),
                Arguments.of("NUL in a name", "GET / HTTP/1.1\r\nHost: t\r\nX\u0000: a\r\n\r\n"),
                Arguments.of("fragment in the target (HAProxy 2.6: 400)", "GET /x#y HTTP/1.1\r\nHost: t\r\n\r\n"),
                Arguments.of("more than 16 Connection options",
                        "GET / HTTP/1.1\r\nHost: t\r\nConnection: a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedCountedLoggedAndNeverForwarded(String what, String request) throws Exception {
        long errorsBefore = requestErrors();
        String answer = refused(request);
        assertTrue(answer.startsWith("HTTP/1.1 400 "), what + ": " + answer);
        assertEquals(errorsBefore + 1, requestErrors(), "counted as a request error (JMX RequestErrors)");
        MonitorAndSourceTest.waitFor(() -> !log.lines().isEmpty());
        assertEquals(1, log.lines().size());
        assertTrue(log.lines().get(0).contains(" 400 ") && log.lines().get(0).contains(" PR-- ")
                && log.lines().get(0).endsWith("\"<BADREQ>\""), log.lines().get(0));
        assertEquals(List.of(), server.peers(), "the server received nothing");
        MonitorAndSourceTest.waitFor(() -> !reasons.lines().isEmpty());
        assertEquals(1, reasons.lines().size(), reasons.lines().toString());
        assertTrue(reasons.lines().get(0).matches("web rejected a request from 127\\.0\\.0\\.1:\\d+ with 400: \\S.*"),
                "logged with its reason: " + reasons.lines().get(0));
    }

    @Test
    void onehundredHeaderLinesAndAMatchingAbsoluteFormPass() throws Exception {
        assertTrue(exchange(headers(100)).startsWith("HTTP/1.1 200"));
        assertTrue(exchange("GET http://A.example:80/x HTTP/1.1\r\nHost: a.example:80\r\nConnection: close\r\n\r\n")
                .startsWith("HTTP/1.1 200"));
        assertEquals(2, server.heads().size());
    }

    @Test
    void tuneHttpMaxhdrSetsTheLimit() throws Exception {
        int p = GuideConfigs.freePort();
        try (Engine e = GuideConfigs.start("""
                global
                    tune.http.maxhdr 10
                listen small
                    bind 127.0.0.1:%d
                    mode http
                    timeout client 300ms
                    server s1 127.0.0.1:%d
                """.formatted(p, server.port()).replace("global\n    nbthread 1\n", ""))) {
            assertTrue(exchange(p, headers(9)).startsWith("HTTP/1.1 200"));
            assertTrue(exchange(p, headers(10)).startsWith("HTTP/1.1 400"));
            assertEquals(1, server.heads().size());
        }
    }

    /** HAProxy 2.6 forwards Upgrade: h2c (a tunnel that would escape request rules); Tidegate strips the offer. */
    @Test
    void h2cUpgradeGoesOnAsPlainHttp11WithoutTheOffer() throws Exception {
        String answer = exchange("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\nX-Keep: yes\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        String head = server.heads().get(0).toLowerCase();
        assertFalse(head.contains("upgrade"), head);
        assertFalse(head.contains("http2-settings"), head);
        assertFalse(head.contains("connection:"), head);
        assertTrue(head.contains("x-keep: yes"), head);
    }

    @Test
    void hopByHopFieldsAreNotForwarded() throws Exception {
        exchange("GET / HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, X-Secret, Content-Length\r\nX-Secret: 1\r\n"
                + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-T\r\n"
                + "X-Public: 2\r\nUpgrade: websocket\r\n\r\n");
        String head = server.heads().get(0).toLowerCase();
        for (String gone : List.of("x-secret", "keep-alive", "proxy-connection", "te:", "trailer", "upgrade", "connection:")) {
            assertFalse(head.contains(gone), gone + " in " + head);
        }
        assertTrue(head.contains("x-public: 2") && head.contains("host: t"), head);
    }

    @Test
    void bytesAfterABodylessRequestAreTheNextRequestNotItsBody() throws Exception {
        String answer = exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\nSMUGGLED / HTTP/1.1\r\nHost: t\r\nX: \u0001\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("HTTP/1.1 400"), "the trailing bytes were read as a request, and refused: " + answer);
        assertEquals(1, server.heads().size());
        assertFalse(server.heads().get(0).contains("SMUGGLED"));
    }

    @Test
    void aSlowBodyIsCutByTheClientTimeout() throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789"
                    .getBytes(StandardCharsets.ISO_8859_1));
            // then nothing: the session ends on timeout client (300 ms), well within the read timeout
            byte[] rest = c.getInputStream().readAllBytes();
            assertNotNull(rest);
        }
        MonitorAndSourceTest.waitFor(() -> !log.lines().isEmpty());
        assertTrue(log.lines().get(0).contains(" cD--") || log.lines().get(0).contains(" sH--")
                || log.lines().get(0).contains(" cD"), log.lines().toString());
    }

    @Test
    void aSlowHeadIsAnsweredWith408ByTimeoutHttpRequest() throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
        assertEquals(List.of(), server.peers());
    }

    private long requestErrors() {
        return engine.status().frontends().get(0).requestErrors();
    }

    private String exchange(String request) throws Exception {
        return exchange(port, request);
    }

    /** Sends a request that may be refused: the write side is shut (a refused request is answered, then closed). */
    private String refused(String request) throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            c.shutdownOutput();
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String exchange(int port, String request) throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
