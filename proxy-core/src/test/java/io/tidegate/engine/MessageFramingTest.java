package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageFramingTest extends EngineTestSupport {

    @Test
    void chunkedRequestBodyReachesTheServer() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n");
            Thread.sleep(50);   // the body arrives in several segments
            c.send("7;ext=1\r\n, world\r\n0\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("hello, world", r.bodyText());
            assertEquals("A /x", c.get("/x").bodyText(), "connection usable after a chunked body");
        }
    }

    @Test
    void contentLengthBodySpanningManyBuffers() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        String body = "0123456789abcdef".repeat(20_000);    // 320 KB, much larger than one buffer
        try (RawClient c = new RawClient(port(engine))) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            RawClient.Response r = c.read();
            assertEquals(body.length(), r.body().length);
            assertEquals(body, r.bodyText());
        }
    }

    @Test
    void chunkedResponseIsRelayedIntact() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response r = c.get("/chunked");
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("part0;part1;part2;part3;part4;", r.bodyText());
            assertEquals("A /after", c.get("/after").bodyText());
        }
    }

    @Test
    void headNoContentAndNotModifiedHaveNoBody() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("HEAD /page HTTP/1.1\r\nHost: t\r\n\r\n");
            RawClient.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals(String.valueOf("A /page".length()), head.header("Content-Length"));
            assertEquals(204, c.get("/nocontent").status());
            assertEquals(304, c.get("/notmodified").status());
            // if any of those had been framed wrong, this response would be garbled or missing
            assertEquals("A /last", c.get("/last").bodyText());
        }
        assertEquals(1, a.connections());
    }

    @Test
    void expectContinueIsRelayed() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Response interim = c.read();
            assertEquals(100, interim.status());
            c.send("ping");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("ping", r.bodyText());
        }
    }

    @Test
    void closeDelimitedResponseEndsWithTheServerConnection() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = rawServer(ss, (in, out) -> {
                readHead(in);
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".getBytes(StandardCharsets.US_ASCII));
            });
            Engine engine = start(plan(frontend(), backendPlan(java.util.List.of(server("raw", addr(ss), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                RawClient.Response r = c.get("/");
                assertEquals("until the end", r.bodyText());
                assertEquals("close", r.header("Connection"));
            }
            server.join(5_000);
        }
    }

    @Test
    void upgradeBecomesATunnelAfter101() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = rawServer(ss, (in, out) -> {
                readHead(in);
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] buf = new byte[64];
                for (int i = 0; i < 3; i++) {
                    int n = in.read(buf);
                    if (n < 0) return;
                    out.write(("echo:" + new String(buf, 0, n, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            });
            Engine engine = start(plan(frontend(), backendPlan(java.util.List.of(server("raw", addr(ss), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                c.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals(101, r.status());
                for (String word : new String[] {"one", "two", "three"}) {
                    c.send(word);
                    byte[] got = c.input().readNBytes(5 + word.length());
                    assertEquals("echo:" + word, new String(got, StandardCharsets.US_ASCII));
                }
            }
            server.join(5_000);
        }
    }

    @Test
    void truncatedResponseClosesTheClient() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = rawServer(ss, (in, out) -> {
                readHead(in);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part".getBytes(StandardCharsets.US_ASCII));
            });
            Engine engine = start(plan(frontend(), backendPlan(java.util.List.of(server("raw", addr(ss), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                byte[] all = c.input().readAllBytes();   // ends because the proxy closes
                String text = new String(all, StandardCharsets.US_ASCII);
                assertTrue(text.startsWith("HTTP/1.1 200 OK"));
                assertTrue(text.endsWith("only part"));
            }
            server.join(5_000);
        }
    }

    @Test
    void malformedResponseGives502() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread server = rawServer(ss, (in, out) -> {
                readHead(in);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!".getBytes(StandardCharsets.US_ASCII));
            });
            Engine engine = start(plan(frontend(), backendPlan(java.util.List.of(server("raw", addr(ss), 1)))));
            try (RawClient c = new RawClient(port(engine))) {
                assertEquals(502, c.get("/").status());
            }
            server.join(5_000);
        }
    }

    interface Exchange {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    /** A one-connection raw server for responses Undertow would never send. */
    private static Thread rawServer(ServerSocket ss, Exchange exchange) {
        Thread t = new Thread(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout(10_000);
                exchange.run(s.getInputStream(), s.getOutputStream());
                s.getOutputStream().flush();
            } catch (Exception e) {
                // the test's assertions report what went wrong
            }
        }, "raw-test-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void readHead(InputStream in) throws java.io.IOException {
        int state = 0;
        for (int i = 0; i < 65536 && state < 4; i++) {
            int c = in.read();
            if (c < 0) return;
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    static java.net.InetSocketAddress addr(ServerSocket ss) {
        return new java.net.InetSocketAddress("127.0.0.1", ss.getLocalPort());
    }
}
