package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.util.List;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The engine started from configuration text, as the lead's code will start it. */
class ConfigDrivenEngineTest extends EngineTestSupport {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Engine startConfig(String text) throws Exception {
        // mode tcp is relayed by the engine; the config branch still lists it as unsupported
        SupportedFeatures features = SupportedFeatures.CURRENT.with("mode tcp");
        Engine e = Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("test.cfg", text)), features).config());
        track(e);
        return e;
    }

    @Test
    void seedStyleListenWithCookieInsert() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        int port = freePort();
        Engine engine = startConfig("""
                listen webfarm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    server webA 127.0.0.1:%d cookie A
                    server webB 127.0.0.1:%d cookie B
                """.formatted(port, a.port(), b.port()));
        assertNotNull(engine.config());
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r1 = c.get("/");
            RawClient.Response r2 = c.get("/");
            assertNotEquals(r1.header("X-Server"), r2.header("X-Server"), "round robin over two servers");
            assertEquals("SERVERID=" + r1.header("X-Server") + "; path=/", r1.header("Set-Cookie"));
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=B\r\n\r\n");
            assertEquals("B", c.read().header("X-Server"));
        }
        var status = engine.status();
        assertEquals("webfarm", status.frontends().get(0).name());
        assertEquals("roundrobin", status.backends().get(0).balance());
        assertEquals("A", status.backends().get(0).servers().get(0).cookie());
    }

    @Test
    void frontendBackendWithDefaultsForwardforAndHttpclose() throws Exception {
        TestBackend a = backend("A");
        int port = freePort();
        Engine engine = startConfig("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    option forwardfor
                frontend www
                    bind 127.0.0.1:%d
                    default_backend app
                backend app
                    option httpclose
                    server s1 127.0.0.1:%d weight 3
                """.formatted(port, a.port()));
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/x");
            assertEquals("A /x", r.bodyText());
            assertEquals("127.0.0.1", r.header("X-Seen-XFF"));
            assertTrue(c.isClosedByPeer(5_000), "httpclose from the backend applies");
        }
        assertEquals(3, engine.status().backends().get(0).servers().get(0).weight());
    }

    @Test
    void globalNbthreadAndMaxconnApply() throws Exception {
        TestBackend a = backend("A");
        int port = freePort();
        Engine engine = startConfig("""
                global
                    maxconn 100
                    nbthread 3
                listen web 127.0.0.1:%d
                    mode http
                    server s1 127.0.0.1:%d
                """.formatted(port, a.port()));
        assertEquals(3, engine.ioThreadCount());
        assertEquals(100, engine.plan().maxConnections());
        try (RawClient c = new RawClient(port)) {
            assertEquals("A /", c.get("/").bodyText());
        }
    }

    @Test
    void tcpModeRelaysAServerFirstProtocol() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = smtp.accept()) {
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] buf = new byte[64];
                    int n = in.read(buf);
                    out.write(("250 got " + new String(buf, 0, n, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception ignored) {
                    // assertions on the client side report failures
                }
            });
            t.setDaemon(true);
            t.start();
            int port = freePort();
            startConfig("""
                    listen smtp 127.0.0.1:%d
                        mode tcp
                        balance roundrobin
                        server mail 127.0.0.1:%d
                    """.formatted(port, smtp.getLocalPort()));
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                assertEquals("220 ready\r\n", new String(in.readNBytes(11), StandardCharsets.US_ASCII));
                s.getOutputStream().write("HELO x\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("250 got HELO x\r\n", new String(in.readNBytes(16), StandardCharsets.US_ASCII));
            }
            t.join(5_000);
        }
    }
}
