package io.tidegate.engine;

import java.time.Duration;
import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.CookieSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerFailureTest extends EngineTestSupport {

    /** A port nothing listens on: bound once to learn a free number, then closed. */
    private static InetSocketAddress deadAddress() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }

    @Test
    void connectFailureAfterRetriesGives503() throws Exception {
        Engine engine = start(plan(frontend(), backendPlan(List.of(server("dead", deadAddress(), 1))).withRetries(2)));
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals(503, c.get("/").status());
        }
        assertEquals(0, engine.status().backends().get(0).servers().get(0).currentRequests());
    }

    @Test
    void redispatchSendsTheLastRetryToAnotherServer() throws Exception {
        TestBackend alive = backend("alive");
        EnginePlan.Backend be = backendPlan(List.of(server("dead", deadAddress(), 1).withCookie("D"),
                server("alive", alive.address(), 1).withCookie("L")))
                .withCookie(CookieSpec.insert("SERVERID", false, false)).withRetries(1).withRedispatch(true);
        Engine engine = start(plan(frontend(), be));
        try (AccessLogCapture log = new AccessLogCapture(); RawClient c = new RawClient(port(engine))) {
            // the cookie pins the request to the dead server; the retry is redispatched
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=D\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("alive", r.header("X-Server"));
            assertEquals("SERVERID=L; path=/", r.header("Set-Cookie"), "the client is re-pinned to the new server");
            MonitorAndSourceTest.waitFor(() -> log.lines().size() == 1);
            String line = log.lines().get(0);
            // as HAProxy: the cookie was valid (V), a new one was inserted (I), one retry, redispatched (+1)
            assertTrue(line.matches(".* 200 \\d+ - - --VI \\d+/\\d+/\\d+/\\d+/\\+1 .*"), line);
        }
    }

    @Test
    void withoutRedispatchAPinnedRequestFailsWith503() throws Exception {
        TestBackend alive = backend("alive");
        EnginePlan.Backend be = backendPlan(List.of(server("dead", deadAddress(), 1).withCookie("D"),
                server("alive", alive.address(), 1).withCookie("L")))
                .withCookie(CookieSpec.insert("SERVERID", false, false)).withRetries(1);
        Engine engine = start(plan(frontend(), be));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=D\r\n\r\n");
            assertEquals(503, c.read().status());
        }
        assertEquals(0, alive.requests());
    }

    @Test
    void keepAliveTimeoutClosesIdleConnectionsButNotSlowFirstRequests() throws Exception {
        TestBackend a = backend("A");
        io.tidegate.config.Timeouts t = ProxyFixture.TIMEOUTS.withClient(Duration.ofMillis(5_000)).withHttpKeepAlive(Duration.ofMillis(200));
        Engine engine = start(plan(frontend().withTimeouts(t), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            Thread.sleep(400);   // longer than the keep-alive timeout, before the first request
            assertEquals(200, c.get("/").status());
            assertTrue(c.isClosedByPeer(3_000), "closed once idle between requests");
        }
    }

    @Test
    void serverTimeoutGives504() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    accepted.incrementAndGet();
                    s.getInputStream().readNBytes(1 << 20);   // reads, never answers
                } catch (Exception ignored) {
                    // closed by the proxy
                }
            });
            t.setDaemon(true);
            t.start();
            EnginePlan.Backend be = backendPlan(List.of(server("silent", new InetSocketAddress("127.0.0.1", silent.getLocalPort()), 1)))
                    .withTimeouts(ProxyFixture.TIMEOUTS.withServer(Duration.ofMillis(300)));
            Engine engine = start(plan(frontend(), be));
            long t0 = System.nanoTime();
            try (RawClient c = new RawClient(port(engine))) {
                RawClient.Response r = c.get("/");
                assertEquals(504, r.status());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 250, "answered after the server timeout, not before (" + ms + " ms)");
            assertEquals(1, accepted.get());
        }
    }

    @Test
    void idleClientIsClosedAfterClientTimeout() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend().withTimeouts(ProxyFixture.TIMEOUTS.withClient(Duration.ofMillis(200))), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals(200, c.get("/").status());
            assertTrue(c.isClosedByPeer(5_000), "idle keep-alive connection closed by the client timeout");
        }
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost");   // an incomplete head
            assertEquals(408, c.read().status());
        }
        assertEquals(1, a.requests());
    }

    @Test
    void bodylessRequestIsReplayedWhenAReusedConnectionClosesUnanswered() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket first = ss.accept()) {
                    MessageFramingTest.readHead(first.getInputStream());
                    first.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".getBytes());
                    first.getOutputStream().flush();
                    MessageFramingTest.readHead(first.getInputStream());   // takes the next request, then drops it
                } catch (Exception e) {
                    return;
                }
                try (Socket second = ss.accept()) {
                    MessageFramingTest.readHead(second.getInputStream());
                    second.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond".getBytes());
                    second.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.setDaemon(true);
            t.start();
            EnginePlan.Frontend fe = frontend().withForwardFor(ForwardForRule.standard());   // an edited head
            Engine engine = start(plan(fe, backendPlan(List.of(server("drop", new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                assertEquals("first", c.get("/1").bodyText());
                assertEquals("second", c.get("/2").bodyText());
            }
            t.join(5_000);
        }
    }

    @Test
    void bodylessRequestIsReplayedWhenAReusedConnectionIsReset() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket first = ss.accept()) {
                    MessageFramingTest.readHead(first.getInputStream());
                    first.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".getBytes());
                    first.getOutputStream().flush();
                    first.getInputStream().read();      // the next request arrives...
                    first.setSoLinger(true, 0);         // ...and the connection is reset
                } catch (Exception e) {
                    return;
                }
                try (Socket second = ss.accept()) {
                    MessageFramingTest.readHead(second.getInputStream());
                    second.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond".getBytes());
                    second.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.setDaemon(true);
            t.start();
            Engine engine = start(plan(frontend(), backendPlan(List.of(server("reset", new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                assertEquals("first", c.get("/1").bodyText());
                assertEquals("second", c.get("/2").bodyText());
            }
            t.join(5_000);
        }
    }

    @Test
    void replayAlsoWorksForHeadsForwardedUnchanged() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                try (Socket first = ss.accept()) {
                    MessageFramingTest.readHead(first.getInputStream());
                    first.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".getBytes());
                    first.getOutputStream().flush();
                    MessageFramingTest.readHead(first.getInputStream());
                } catch (Exception e) {
                    return;
                }
                try (Socket second = ss.accept()) {
                    byte[] head = new byte[22];
                    new java.io.DataInputStream(second.getInputStream()).readFully(head);
                    seen.add(new String(head));
                    second.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond".getBytes());
                    second.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.setDaemon(true);
            t.start();
            Engine engine = start(plan(frontend(), backendPlan(List.of(server("drop", new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                assertEquals("first", c.get("/1").bodyText());
                // a pipelined request behind the replayed one must not overwrite it
                c.send("GET /2 HTTP/1.1\r\nHost: test\r\n\r\nGET /3 HTTP/1.1\r\nHost: test\r\n\r\n");
                assertEquals("second", c.read().bodyText());
            }
            t.join(5_000);
            assertEquals(List.of("GET /2 HTTP/1.1\r\nHost:"), seen);
        }
    }

    @Test
    void staleKeepAliveServerConnectionIsReplacedTransparently() throws Exception {
        // a server that closes each connection after one response, while announcing keep-alive
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread t = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (Socket s = ss.accept()) {
                        connections.incrementAndGet();
                        MessageFramingTest.readHead(s.getInputStream());
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                        s.getOutputStream().flush();
                        Thread.sleep(100);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Engine engine = start(plan(frontend(), backendPlan(List.of(server("flaky", new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("ok", c.get("/").bodyText());
                    Thread.sleep(300);
                }
            }
            assertEquals(3, connections.get());
        }
    }
}
