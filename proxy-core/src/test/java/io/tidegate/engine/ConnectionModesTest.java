package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code option http-keep-alive} (the default), {@code option http-server-close} and
 * {@code option httpclose} with HAProxy's meanings on both sides: what the client's connection does,
 * what the server is told, and how many server connections the requests take.
 */
class ConnectionModesTest extends EngineTestSupport {

    private RecordingBackend server;
    private int port;

    private void start(String frontendOption, String backendOption) throws Exception {
        server = track(new RecordingBackend("A"));
        port = GuideConfigs.freePort();
        track(GuideConfigs.start("""
                frontend fe
                    bind 127.0.0.1:%d
                    mode http
                %s    default_backend be
                backend be
                    mode http
                %s    cookie JSESSIONID prefix
                    server webA 127.0.0.1:%d cookie A
                """.formatted(port, frontendOption, backendOption, server.port())));
        server.setCookies("JSESSIONID=1");
    }

    private RawClient.Response exchange(RawClient c, String cookie) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: lb\r\nCookie: " + cookie + "\r\n\r\n");
        return c.read();
    }

    @Test
    void keepAliveByDefaultOnBothSides() throws Exception {
        start("", "");
        try (RawClient c = new RawClient(port)) {
            for (int i = 1; i <= 3; i++) {
                RawClient.Response r = exchange(c, "JSESSIONID=A~" + i);
                assertEquals(List.of("JSESSIONID=A~1"), r.all("Set-Cookie"), "prefix on every keep-alive response");
                assertNotEquals("close", r.header("Connection"));
                RecordingBackend.Seen seen = server.take();
                assertEquals(List.of("JSESSIONID=" + i), seen.all("Cookie"), "prefix removed on every keep-alive request");
                assertFalse(seen.all("Connection").contains("close"));
            }
            assertFalse(c.isClosedByPeer(100));
        }
        assertEquals(1, server.connections(), "one server connection carried every request");
    }

    @Test
    void httpServerCloseKeepsTheClientAndClosesTowardsTheServer() throws Exception {
        start("    option http-server-close\n", "");
        try (RawClient c = new RawClient(port)) {
            for (int i = 1; i <= 3; i++) {
                RawClient.Response r = exchange(c, "JSESSIONID=A~" + i);
                assertEquals(List.of("JSESSIONID=A~1"), r.all("Set-Cookie"));
                assertNotEquals("close", r.header("Connection"));
                RecordingBackend.Seen seen = server.take();
                assertEquals(List.of("close"), seen.all("Connection"));
                assertEquals(List.of("JSESSIONID=" + i), seen.all("Cookie"));
            }
            assertFalse(c.isClosedByPeer(100), "the client connection stays open");
        }
        assertEquals(3, server.connections(), "a server connection per request");
    }

    @Test
    void httpcloseClosesBothSidesAfterTheResponse() throws Exception {
        start("", "    option httpclose\n");
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = exchange(c, "JSESSIONID=A~7");
            assertEquals("close", r.header("Connection"), "the client is told");
            assertEquals(List.of("JSESSIONID=A~1"), r.all("Set-Cookie"));
            RecordingBackend.Seen seen = server.take();
            assertEquals(List.of("close"), seen.all("Connection"), "the server is told");
            assertEquals(List.of("JSESSIONID=7"), seen.all("Cookie"));
            assertTrue(c.isClosedByPeer(3_000), "closed after the response");
        }
    }

    @Test
    void theStricterOfFrontendAndBackendWins() throws Exception {
        start("    option http-keep-alive\n", "    option http-server-close\n");
        try (RawClient c = new RawClient(port)) {
            exchange(c, "a=b");
            exchange(c, "a=b");
            assertEquals(List.of("close"), server.take().all("Connection"));
            assertEquals(List.of("close"), server.take().all("Connection"));
            assertFalse(c.isClosedByPeer(100));
        }
        assertEquals(2, server.connections());
    }
}
