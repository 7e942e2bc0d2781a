package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ACLs and rules against real loopback backends: routing by path and by host, deny, redirect,
 * return, header rewrites on the request and on the response side, 1.x rules.
 */
class RulesEndToEndTest extends EngineTestSupport {

    private final List<RecordingBackend> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(RecordingBackend::close);
    }

    private RecordingBackend server(String name) {
        RecordingBackend b = new RecordingBackend(name);
        servers.add(b);
        return b;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Engine startConfig(String text, Map<String, LocalService> services) throws Exception {
        var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("rules.cfg", text)),
                SupportedFeatures.CURRENT.with("http-request use-service hello"));
        Engine e = Engine.start(loaded.config(), services);
        track(e);
        return e;
    }

    private static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            """;

    @Test
    void routesByPathAndHostFirstMatchWinsThenDefaultBackend() throws Exception {
        RecordingBackend api = server("api");
        RecordingBackend static_ = server("static");
        RecordingBackend app = server("app");
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend www
                    bind 127.0.0.1:%d
                    acl is_api path_beg /api/
                    acl is_static path_end .css .js
                    acl static_host hdr(host) -i static.example.com
                    use_backend api if is_api
                    use_backend static if is_static || static_host
                    default_backend app
                backend api
                    server a 127.0.0.1:%d
                backend static
                    server s 127.0.0.1:%d
                backend app
                    server p 127.0.0.1:%d
                """.formatted(port, api.port(), static_.port(), app.port()), Map.of());
        try (RawClient c = new RawClient(port)) {
            assertEquals("api", c.get("/api/users").header("X-Server"));
            assertEquals("static", c.get("/site.css").header("X-Server"));
            assertEquals("app", c.get("/index.html").header("X-Server"));
            c.send("GET /index.html HTTP/1.1\r\nHost: STATIC.example.com\r\n\r\n");
            assertEquals("static", c.read().header("X-Server"), "-i matches the host in any case");
            assertEquals("api", c.get("/api/x.js").header("X-Server"), "the first rule that applies wins");
        }
    }

    @Test
    void denyReturnAndRedirectAnswerWithoutAServer() throws Exception {
        RecordingBackend app = server("app");
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend www
                    bind 127.0.0.1:%d
                    acl admin path_beg /admin
                    http-request deny if admin !LOCALHOST
                    http-request deny deny_status 429 if { hdr_cnt(x-flood) gt 1 }
                    http-request return status 200 content-type text/plain string pong if { path /ping }
                    http-request redirect prefix /new code 301 if { path_beg /old }
                    http-request redirect scheme https if { hdr(host) -m beg secure. }
                    http-request use-service hello if { path /hello }
                    default_backend app
                backend app
                    server p 127.0.0.1:%d
                """.formatted(port, app.port()), Map.of("hello", req -> LocalResponse.of(200, "OK",
                Map.of("Content-Type", "text/plain"), "hello from a local service".getBytes())));
        try (RawClient c = new RawClient(port)) {
            assertEquals(200, c.get("/admin/panel").status(), "LOCALHOST is not denied");
        }
        assertEquals("/admin/panel", app.take().path());
        try (RawClient c = new RawClient(port)) {
            c.send("GET /x HTTP/1.1\r\nHost: t\r\nX-Flood: 1\r\nX-Flood: 2\r\n\r\n");
            assertEquals(429, c.read().status());
        }
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/ping");
            assertEquals(200, r.status());
            assertEquals("pong", r.bodyText());
            assertEquals("text/plain", r.header("Content-Type"));
        }
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/old/page?x=1");
            assertEquals(301, r.status());
            assertEquals("/new/old/page?x=1", r.header("Location"));
        }
        try (RawClient c = new RawClient(port)) {
            c.send("GET /a?b=c HTTP/1.1\r\nHost: secure.example.com\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(302, r.status());
            assertEquals("https://secure.example.com/a?b=c", r.header("Location"));
        }
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/hello");
            assertEquals("hello from a local service", r.bodyText());
        }
        assertTrue(app.idle(), "no answered request reached the server");
    }

    @Test
    void rewritesHeadersOnBothSides() throws Exception {
        RecordingBackend app = server("app");
        app.setCookies("a=1");
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend www
                    bind 127.0.0.1:%d
                    http-request set-header X-Real-IP %%[src]
                    http-request add-header X-Via tidegate
                    http-request del-header X-Secret
                    http-request replace-header User-Agent ^curl/(.*) Curl-\\1
                    http-request set-path /v2%%[path] if { path_beg /api }
                    http-request set-header X-Api yes if { path_beg /api }
                    http-response set-header X-Frame-Options DENY
                    http-response del-header X-Server
                    http-response add-header X-Status-Was-200 yes if { status 200 }
                    default_backend app
                backend app
                    http-response set-header X-Backend app
                    server p 127.0.0.1:%d
                """.formatted(port, app.port()), Map.of());
        try (RawClient c = new RawClient(port)) {
            c.send("GET /api/items?q=1 HTTP/1.1\r\nHost: t\r\nX-Secret: s3cr3t\r\nUser-Agent: curl/8.0\r\n"
                    + "X-Real-IP: 6.6.6.6\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("DENY", r.header("X-Frame-Options"));
            assertNull(r.header("X-Server"), "del-header on the response");
            assertEquals("yes", r.header("X-Status-Was-200"));
            assertEquals("app", r.header("X-Backend"));
            assertEquals("a=1", r.header("Set-Cookie"));
        }
        RecordingBackend.Seen seen = app.take();
        assertEquals("/v2/api/items", seen.path());
        assertEquals(List.of("127.0.0.1"), seen.all("X-Real-IP"), "set-header replaces what the client sent");
        assertEquals("tidegate", seen.first("X-Via"));
        assertTrue(seen.all("X-Secret").isEmpty());
        assertEquals("Curl-8.0", seen.first("User-Agent"));
        assertEquals("yes", seen.first("X-Api"));
    }

    @Test
    void legacyRulesOfHaproxy1() throws Exception {
        RecordingBackend app = server("app");
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend www
                    bind 127.0.0.1:%d
                    acl bad path_beg /bad
                    block if bad
                    reqadd X-Legacy:\\ yes
                    reqidel ^X-Drop:.*
                    reqrep ^([^\\ :]*)\\ /static/(.*) \\1\\ /s/\\2
                    rspadd X-Resp:\\ legacy
                    rspidel ^X-Server:.*
                    default_backend app
                backend app
                    server p 127.0.0.1:%d
                """.formatted(port, app.port()), Map.of());
        try (RawClient c = new RawClient(port)) {
            c.send("GET /static/logo.png HTTP/1.1\r\nHost: t\r\nx-drop: 1\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("legacy", r.header("X-Resp"));
            assertNull(r.header("X-Server"));
        }
        RecordingBackend.Seen seen = app.take();
        assertEquals("/s/logo.png", seen.path());
        assertEquals("yes", seen.first("X-Legacy"));
        assertTrue(seen.all("X-Drop").isEmpty());
        try (RawClient c = new RawClient(port)) {
            assertEquals(403, c.get("/bad").status());
        }
    }

    @Test
    void tcpRequestConnectionRejectClosesAtOnce() throws Exception {
        RecordingBackend app = server("app");
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend www
                    bind 127.0.0.1:%d
                    tcp-request connection reject if LOCALHOST
                    default_backend app
                backend app
                    server p 127.0.0.1:%d
                """.formatted(port, app.port()), Map.of());
        try (RawClient c = new RawClient(port)) {
            assertTrue(c.isClosedByPeer(5000));
        }
        assertTrue(app.idle());
    }

    /**
     * {@code tcp-request content} in mode tcp: the first rule whose condition holds decides, so an
     * {@code accept} ends the evaluation and a later {@code reject} no longer applies (section 4.2
     * of HAProxy's configuration.txt); a {@code reject} closes the connection before any server.
     */
    @Test
    void tcpRequestContentFirstMatchingRuleDecidesInModeTcp() throws Exception {
        RecordingBackend app = server("app");
        int open = freePort();
        int closed = freePort();
        startConfig(DEFAULTS + """
                frontend letsin
                    mode tcp
                    bind 127.0.0.1:%d
                    tcp-request content accept if LOCALHOST
                    tcp-request content reject
                    default_backend app
                frontend shuts
                    mode tcp
                    bind 127.0.0.1:%d
                    tcp-request content reject if { src 127.0.0.0/8 }
                    tcp-request content accept
                    default_backend app
                backend app
                    mode tcp
                    server p 127.0.0.1:%d
                """.formatted(open, closed, app.port()), Map.of());
        try (RawClient c = new RawClient(open)) {
            assertEquals("app", c.get("/through").header("X-Server"), "accept ended the rules before the reject");
        }
        assertEquals("/through", app.take().path());
        try (RawClient c = new RawClient(closed)) {
            assertTrue(c.isClosedByPeer(5000));
        }
        assertTrue(app.idle(), "the rejected connection reached no server");
    }

    /** A content reject is logged as HAProxy 2.6 logs it: {@code f f/<NOSRV> -1/-1/0 0 PR ...}. */
    @Test
    void aContentRejectIsLoggedRefusedByTheProxyWithoutServer() throws Exception {
        RecordingBackend app = server("app");
        int port = freePort();
        try (AccessLogCapture log = new AccessLogCapture()) {
            startConfig(DEFAULTS + """
                    frontend shuts
                        mode tcp
                        option tcplog
                        bind 127.0.0.1:%d
                        tcp-request inspect-delay 5s
                        tcp-request content reject if { req.payload(0,4) -m str EVIL }
                        default_backend app
                    backend app
                        mode tcp
                        server p 127.0.0.1:%d
                    """.formatted(port, app.port()), Map.of());
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("EVIL".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals(-1, s.getInputStream().read(), "closed by the proxy");
            }
            for (int i = 0; i < 500 && log.lines().isEmpty(); i++) Thread.sleep(10);
            assertEquals(1, log.lines().size(), log.lines().toString());
            assertTrue(log.lines().get(0).contains(" shuts shuts/<NOSRV> ") && log.lines().get(0).contains(" PR "),
                    log.lines().get(0));
        }
        assertTrue(app.idle());
    }
}
