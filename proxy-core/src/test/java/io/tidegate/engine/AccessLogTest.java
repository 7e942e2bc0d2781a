package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One httplog-like line per request on category io.tidegate.access (JBoss Logging over JUL here). */
class AccessLogTest extends EngineTestSupport {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("io.tidegate.access");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String msg = r.getMessage();
            if (r.getParameters() != null && r.getParameters().length > 0) {
                msg = String.format(msg, r.getParameters());
            }
            lines.add(msg);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void captureAccessLog() {
        previous = jul.getLevel();
        jul.setLevel(Level.INFO);
        jul.addHandler(capture);
    }

    @AfterEach
    void restore() {
        jul.removeHandler(capture);
        jul.setLevel(previous);
    }

    @Test
    void logsOneLinePerRequestWithServerStatusAndRequestLine() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.get("/one");
            c.get("/two");
            c.send("GET /bad HTTP/1.1\r\n\r\n");   // no Host: rejected
            assertEquals(400, c.read().status());
        }
        for (int i = 0; i < 50 && lines.size() < 3; i++) Thread.sleep(20);
        assertEquals(3, lines.size(), lines.toString());
        // HAProxy 2.x's httplog layout (the fields are checked one by one in HttpLogLayoutTest)
        assertTrue(lines.get(0).matches("127\\.0\\.0\\.1:\\d+ \\[.+\\] fe be/A \\d+/\\d+/\\d+/\\d+/\\d+ 200 \\d+ - - ---- "
                + "\\d+/\\d+/\\d+/\\d+/0 0/0 \"GET /one HTTP/1.1\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"GET /two HTTP/1.1\""));
        // a request refused before any backend: the frontend's name, <NOSRV>, PR--, <BADREQ>, as HAProxy logs it
        assertTrue(lines.get(2).matches(".* fe fe/<NOSRV> -1/-1/-1/-1/\\d+ 400 \\d+ - - PR-- .* \"<BADREQ>\""), lines.get(2));
    }

    @Test
    void withoutHttplogNothingIsLogged() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend().withAccessLog(false), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals(200, c.get("/quiet").status());
        }
        assertEquals(1, a.requests());
        assertTrue(lines.isEmpty(), lines.toString());
    }

    @Test
    void httplogInTheConfigurationTurnsItOn() throws Exception {
        TestBackend a = backend("A");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Engine engine = track(Engine.start(io.tidegate.config.ConfigLoader.load("t.cfg", """
                listen web 127.0.0.1:%d
                    mode http
                    option httplog
                    server s1 127.0.0.1:%d
                """.formatted(port, a.port())).config()));
        try (RawClient c = new RawClient(port)) {
            assertEquals(200, c.get("/logged").status());
        }
        for (int i = 0; i < 50 && lines.isEmpty(); i++) Thread.sleep(20);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains(" web web/s1 ") && lines.get(0).contains("\"GET /logged HTTP/1.1\""), lines.get(0));
        assertNotNull(engine.config());
    }

    /** HAProxy's "no log": that proxy writes no line although its defaults say httplog. */
    @Test
    void noLogSilencesOneProxyWhileItsNeighbourLogs() throws Exception {
        TestBackend a = backend("A");
        int loud = GuideConfigs.freePort();
        int quiet = GuideConfigs.freePort();
        track(Engine.start(io.tidegate.config.ConfigLoader.load("t.cfg", """
                defaults
                    mode http
                    option httplog
                listen quiet 127.0.0.1:%d
                    no log
                    server s1 127.0.0.1:%d
                listen loud 127.0.0.1:%d
                    server s1 127.0.0.1:%d
                """.formatted(quiet, a.port(), loud, a.port())).config()));
        try (RawClient c = new RawClient(quiet)) {
            assertEquals(200, c.get("/quiet").status());
        }
        try (RawClient c = new RawClient(loud)) {
            assertEquals(200, c.get("/loud").status());
        }
        for (int i = 0; i < 50 && lines.isEmpty(); i++) Thread.sleep(20);
        Thread.sleep(100);     // room for a line of the quiet proxy, had it written one
        assertEquals(2, a.requests());
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(" loud loud/s1 ") && lines.get(0).contains("\"GET /loud HTTP/1.1\""), lines.get(0));
    }

    @Test
    void tcpModeLogsOneLinePerSession() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = echo.accept()) {
                    s.getOutputStream().write(s.getInputStream().readNBytes(4));
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.setDaemon(true);
            t.start();
            EnginePlan.Frontend fe = EnginePlanFrontendBuilder.builder()
                    .name("tcpfe")
                    .binds(List.of(new java.net.InetSocketAddress("127.0.0.1", 0)))
                    .mode("tcp")
                    .backend("be")
                    .connectionMode(io.tidegate.config.ConnectionMode.KEEP_ALIVE)
                    .timeouts(ProxyFixture.TIMEOUTS)
                    .accessLog(true)
                    .build();
            Engine engine = start(EnginePlanBuilder.builder()
                    .frontends(List.of(fe))
                    .backends(List.of(backendPlan(List.of(
                            server("echo", new java.net.InetSocketAddress("127.0.0.1", echo.getLocalPort()), 1)))))
                    .build());
            int port = engine.boundAddresses().get("tcpfe").get(0).getPort();
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("ping".getBytes());
                assertEquals("ping", new String(s.getInputStream().readNBytes(4)));
            }
            for (int i = 0; i < 100 && lines.isEmpty(); i++) Thread.sleep(20);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("127\\.0\\.0\\.1:\\d+ \\[.+\\] tcpfe be/echo \\d+/\\d+/\\d+ 4 -- "
                    + "\\d+/\\d+/\\d+/\\d+/0 0/0"), lines.get(0));
        }
    }
}
