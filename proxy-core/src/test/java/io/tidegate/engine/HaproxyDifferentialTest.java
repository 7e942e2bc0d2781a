package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Replays every request {@link StrictInputTest} refuses through a real HAProxy (Debian's
 * /usr/sbin/haproxy, installed by {@code ./tidegate test}) and through Tidegate with the same
 * configuration: wherever HAProxy refuses, Tidegate refuses too, and the requests HAProxy forwards
 * but Tidegate refuses are exactly the ones README lists ("Input Tidegate refuses that HAProxy 2.6
 * accepts").
 */
class HaproxyDifferentialTest extends EngineTestSupport {
    /** The cases README documents as stricter than HAProxy 2.6. */
    private static final Set<String> DOCUMENTED_STRICTER = Set.of(
            "absolute-form with userinfo", "absolute-form with another scheme",
            "NUL in a value (HAProxy 2.6 forwards it)", "SOH in a value (HAProxy 2.6 forwards it)",
            "ESC in a value", "DEL in a value", "more than 16 Connection options");

    @Test
    void tidegateRefusesEverythingHaproxyRefusesAndTheDifferencesAreDocumented(@TempDir Path dir) throws Exception {
                PeerRecorder server = track(new PeerRecorder(true));
        int tgPort = GuideConfigs.freePort();
        int hxPort = GuideConfigs.freePort();
        String body = """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                listen web
                    bind 127.0.0.1:%d
                    server s1 127.0.0.1:%d
                """;
        track(GuideConfigs.start(body.formatted(tgPort, server.port())));
        try (HaproxyProcess haproxy = HaproxyProcess.start(dir, "global\n    nbthread 1\n" + body.formatted(hxPort, server.port()), hxPort)) {
            Map<String, String> stricter = new TreeMap<>();
            for (Arguments a : StrictInputTest.rejected().toList()) {
                String what = (String) a.get()[0];
                String request = (String) a.get()[1];
                int hx = status(hxPort, request);
                int tg = status(tgPort, request);
                assertEquals(400, tg, what + ": Tidegate");
                if (hx == 200 || hx == 404) stricter.put(what, "HAProxy answered " + hx);
                else assertTrue(hx >= 400 && hx < 500, what + ": HAProxy answered " + hx);
            }
            assertEquals(DOCUMENTED_STRICTER, stricter.keySet(), stricter.toString());
        }
    }

    /**
     * Requests Tidegate's parser refuses (with the status given) that HAProxy 2.6 forwards: framing and
     * syntax that RFC 9112 lets a server refuse and that smuggling attacks rely on. README's "Input
     * Tidegate refuses that HAProxy 2.6 accepts" names each with its reason.
     */
    static Stream<Arguments> refusedOnlyByTidegate() {
        return Stream.of(
                Arguments.of("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("Host twice with the same value", "GET / HTTP/1.1\r\nHost: t\r\nHost: t\r\n\r\n", 400),
                Arguments.of("absolute-form without Host", "GET http://a.example/ HTTP/1.1\r\n\r\n", 400),
                Arguments.of("absolute-form :80 against Host without port",
                        "GET http://a.example:80/ HTTP/1.1\r\nHost: a.example\r\n\r\n", 400),
                Arguments.of("absolute-form with an empty authority", "GET http:///x HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("lines ended by a bare LF", "GET / HTTP/1.1\nHost: t\n\n", 400),
                Arguments.of("obs-fold (a header line continued)", "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400),
                Arguments.of("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("Content-Length and Transfer-Encoding together",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("Content-Length twice with the same value",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400),
                Arguments.of("Content-Length as a list (1, 1)", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1, 1\r\n\r\nx", 400),
                Arguments.of("Content-Length of more than 18 digits",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0000000000000000001\r\n\r\nx", 400),
                Arguments.of("Transfer-Encoding in an HTTP/1.0 request",
                        "POST / HTTP/1.0\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("chunk lines ended by a bare LF",
                        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\n0\n\n", 400),
                Arguments.of("CONNECT", "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n", 405),
                Arguments.of("HTTP/1.2 on the request line", "GET / HTTP/1.2\r\nHost: t\r\n\r\n", 505),
                Arguments.of("HTTP/2.0 on the request line", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505));
    }

    @Test
    void theParsersOtherRefusalsAreRequestsHaproxyForwards(@TempDir Path dir) throws Exception {
                PeerRecorder server = track(new PeerRecorder(true));
        int tgPort = GuideConfigs.freePort();
        int hxPort = GuideConfigs.freePort();
        String body = """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 2s
                    timeout server 5s
                listen web
                    bind 127.0.0.1:%d
                    server s1 127.0.0.1:%d
                """;
        track(GuideConfigs.start(body.formatted(tgPort, server.port())));
        try (HaproxyProcess haproxy = HaproxyProcess.start(dir, "global\n    nbthread 1\n" + body.formatted(hxPort, server.port()), hxPort)) {
            for (Arguments a : refusedOnlyByTidegate().toList()) {
                String what = (String) a.get()[0];
                String request = (String) a.get()[1];
                assertEquals(200, status(hxPort, request), what + ": HAProxy 2.6 forwards it (the server answers 200)");
                int heads = server.heads().size();
                assertEquals((int) a.get()[2], status(tgPort, request), what + ": Tidegate");
                assertEquals(heads, server.heads().size(), what + ": Tidegate forwarded nothing");
            }
        }
    }

    /** The status of the first response to {@code request}. */
    private static int status(int port, String request) throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            c.shutdownOutput();
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            List<String> parts = List.of(answer.split(" ", 3));
            assertTrue(parts.size() >= 2 && parts.get(0).startsWith("HTTP/1."), answer);
            return Integer.parseInt(parts.get(1));
        }
    }
}
