package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KeepAliveTest extends EngineTestSupport {

    @Test
    void keepAliveReusesOneConnectionOnEachSide() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 50; i++) {
                RawClient.Response r = c.get("/r" + i);
                assertEquals(200, r.status());
                assertEquals("A /r" + i, r.bodyText());
            }
        }
        assertEquals(50, a.requests());
        assertEquals(1, a.connections(), "server connection is pooled and reused");
    }

    @Test
    void httpCloseClosesBothSidesAfterEachExchange() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend().withConnectionMode(ConnectionMode.CLOSE), backendOf(a)));
        for (int i = 0; i < 3; i++) {
            try (RawClient c = new RawClient(port(engine))) {
                RawClient.Response r = c.get("/x");
                assertEquals(200, r.status());
                assertEquals("close", r.header("Connection"));
                assertTrue(c.isClosedByPeer(5_000), "client connection closed after the response");
            }
        }
        assertEquals(3, a.connections(), "a new server connection per exchange");
    }

    @Test
    void httpServerCloseKeepsClientButNotServerConnections() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a).withConnectionMode(ConnectionMode.SERVER_CLOSE)));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 4; i++) {
                RawClient.Response r = c.get("/s" + i);
                assertEquals("A /s" + i, r.bodyText());
                assertNotEquals("close", r.header("Connection"));
            }
        }
        assertEquals(4, a.connections());
    }

    @Test
    void http10KeepAliveOnRequestAndCloseOtherwise() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /ten HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals("A /ten", r.bodyText());
                assertEquals("keep-alive", r.header("Connection").toLowerCase());
            }
        }
        for (int i = 0; i < 3; i++) {
            try (RawClient c = new RawClient(port(engine))) {
                c.send("GET /ten HTTP/1.0\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals("A /ten", r.bodyText());
                assertTrue(c.isClosedByPeer(5_000), "HTTP/1.0 without keep-alive is closed");
            }
        }
        assertEquals(6, a.requests());
        // server connections are pooled per IO thread (the test engine has 2), not per client
        assertTrue(a.connections() <= 2, "server side stays keep-alive for HTTP/1.0 clients: " + a.connections());
    }

    @Test
    void clientConnectionCloseIsHonoured() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET /bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("A /bye", r.bodyText());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByPeer(5_000));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) sb.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            c.send(sb.toString());
            for (int i = 0; i < 10; i++) {
                assertEquals("A /p" + i, c.read().bodyText());
            }
        }
        assertEquals(10, a.requests());
    }
}
