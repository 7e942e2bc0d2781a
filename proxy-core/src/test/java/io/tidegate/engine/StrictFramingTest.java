package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests whose framing is ambiguous or malformed are answered locally and never forwarded. */
class StrictFramingTest {
    private TestBackend backend;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend("A");
        engine = Engine.start(plan(frontend(), backendOf(backend)), 1);
    }

    @AfterEach
    void stop() {
        engine.close();
        backend.close();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("Content-Length with Transfer-Encoding",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("duplicate Content-Length",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
                Arguments.of("Content-Length list",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 5\r\n\r\nhello", 400),
                Arguments.of("non-numeric Content-Length",
                        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello", 400),
                Arguments.of("unknown transfer coding",
                        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("repeated chunked coding",
                        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("bad chunk size",
                        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk data longer than its size",
                        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("whitespace before colon",
                        "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400),
                Arguments.of("obs-fold",
                        "GET / HTTP/1.1\r\nHost: t\r\nX-Long: a\r\n  continued\r\n\r\n", 400),
                Arguments.of("bad request line",
                        "GET  / HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("request line without version",
                        "GET /\r\nHost: t\r\n\r\n", 400),
                Arguments.of("bare LF line ends",
                        "GET / HTTP/1.1\nHost: t\n\n", 400),
                Arguments.of("missing Host in HTTP/1.1",
                        "GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Host fields",
                        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("control character in a value",
                        "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u0001b\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding in HTTP/1.0",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("unsupported HTTP version",
                        "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
                Arguments.of("oversized head",
                        "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectedWithoutReachingTheServer(String what, String request, int expectedStatus) throws Exception {
        try (RawClient c = new RawClient(port(engine))) {
            c.send(request);
            RawClient.Response r = c.read();
            assertEquals(expectedStatus, r.status(), what);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByPeer(5_000), "connection closed after the rejection");
        }
        assertEquals(0, backend.requests(), "the server never sees a rejected request");
        assertEquals(0, backend.connections(), "no server connection was even opened");
    }

    @ParameterizedTest(name = "{0} after a good request")
    @MethodSource("malformed")
    void rejectedOnAKeepAliveConnectionAfterAGoodRequest(String what, String request, int expectedStatus) throws Exception {
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals(200, c.get("/fine").status());
            c.send(request);
            assertEquals(expectedStatus, c.read().status(), what);
            assertTrue(c.isClosedByPeer(5_000));
        }
        assertEquals(1, backend.requests(), "only the good request reached the server");
    }
}
