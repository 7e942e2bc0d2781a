package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.engine.GuideClient.Style;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request/response flows of the architecture guide's §1, §2, §3 and §3.1, sent as the guide
 * sends them to its configurations (loopback ports for its addresses), asserting what the client
 * and what each application server see. Every flow runs on a keep-alive client connection and
 * with {@code option httpclose} (HTTP/1.0, a connection per request, as the guide's diagrams).
 */
class GuideFlowsTest extends EngineTestSupport {
    private final Map<String, RecordingBackend> servers = new LinkedHashMap<>();

    /** Application servers A..D (server webX has cookie X). */
    private void startServers() {
        for (String n : List.of("A", "B", "C", "D")) servers.put(n, track(new RecordingBackend(n)));
    }

    private String serverLines(String cookieWord) {
        StringBuilder b = new StringBuilder();
        for (RecordingBackend s : servers.values()) {
            b.append("    server web").append(s.name()).append(" 127.0.0.1:").append(s.port()).append(' ')
                    .append(cookieWord).append(' ').append(s.name()).append(" check\n");
        }
        return b.toString();
    }

    /** The guide's connection option for the style: httpclose as written, or keep-alive instead. */
    private static String connectionOption(Style style) {
        return style == Style.HTTPCLOSE ? "    option httpclose\n" : "    option http-keep-alive\n";
    }

    private Engine start(String config) throws Exception {
        return track(GuideConfigs.start(config));
    }

    /** What the server that answered {@code r} received for it. */
    private RecordingBackend.Seen seenBy(RawClient.Response r) throws InterruptedException {
        RecordingBackend s = servers.get(r.header("X-Server"));
        assertNotNull(s, "answered by a known server");
        return s.take();
    }

    private static void assertServerConnectionHeader(Style style, RecordingBackend.Seen seen) {
        if (style == Style.HTTPCLOSE) {
            assertEquals(List.of("close"), seen.all("Connection"), "httpclose: the server is told the connection closes");
        } else {
            assertFalse(seen.all("Connection").contains("close"), "keep-alive towards the server");
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void section1CookieInsertIndirect(Style style) throws Exception {
        startServers();
        int port = GuideConfigs.freePort();
        Engine engine = start("""
                listen webfarm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                %s    cookie SERVERID insert indirect
                    option httpchk HEAD /index.html HTTP/1.0
                %s""".formatted(port, connectionOption(style), serverLines("cookie")));
        try (GuideClient client = new GuideClient(style, port)) {
            // no cookie: load-balanced, and the answer carries the chosen server's cookie
            RawClient.Response r1 = client.get("/URI1");
            String x = r1.header("X-Server");
            assertEquals(List.of("SERVERID=" + x + "; path=/"), r1.all("Set-Cookie"));
            assertNull(r1.header("Cache-Control"), "no nocache: the response stays cacheable");
            RecordingBackend.Seen s1 = seenBy(r1);
            assertEquals(List.of(), s1.all("Cookie"));
            assertServerConnectionHeader(style, s1);

            // SERVERID=X: to server X, which never sees SERVERID; nothing is set again
            for (int i = 0; i < 4; i++) {
                RawClient.Response r = client.get("/URI2", "Cookie: theme=dark; SERVERID=" + x + "; lang=en\r\n");
                assertEquals(x, r.header("X-Server"), "the cookie wins over round robin");
                assertEquals(List.of(), r.all("Set-Cookie"), "the client already holds this server's value");
                assertEquals(List.of("theme=dark; lang=en"), seenBy(r).all("Cookie"));
            }

            // webX goes down: another server answers and the cookie is set again
            engine.setServerUp("webfarm", "web" + x, false);
            RawClient.Response r3 = client.get("/URI3", "Cookie: SERVERID=" + x + "\r\n");
            String y = r3.header("X-Server");
            assertNotEquals(x, y);
            assertEquals(List.of("SERVERID=" + y + "; path=/"), r3.all("Set-Cookie"));
            assertEquals(List.of(), seenBy(r3).all("Cookie"), "a Cookie line left empty is not forwarded");
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void section2CookiePrefixFlowsWithForwardedFor(Style style) throws Exception {
        startServers();
        int port = GuideConfigs.freePort();
        start("""
                listen webfarm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie JSESSIONID prefix
                %s    option forwardfor
                    option httpchk HEAD /index.html HTTP/1.0
                %s""".formatted(port, connectionOption(style), serverLines("cookie")));
        try (GuideClient client = new GuideClient(style, port)) {
            // GET /URI1, no cookie: load-balanced, X-Forwarded-For added; no cookie back, nothing changed
            RawClient.Response r1 = client.get("/URI1");
            RecordingBackend.Seen s1 = seenBy(r1);
            assertEquals("/URI1", s1.path());
            assertEquals(List.of("127.0.0.1"), s1.all("X-Forwarded-For"));
            assertEquals(List.of(), s1.all("Cookie"));
            assertEquals(List.of(), r1.all("Set-Cookie"));
            assertServerConnectionHeader(style, s1);

            // GET /URI2: the server sets JSESSIONID=123, the client receives it prefixed with the server's cookie
            for (RecordingBackend s : servers.values()) s.setCookies("JSESSIONID=123");
            RawClient.Response r2 = client.get("/URI2");
            String a = r2.header("X-Server");
            assertEquals(List.of("JSESSIONID=" + a + "~123"), r2.all("Set-Cookie"));
            assertEquals(List.of("127.0.0.1"), seenBy(r2).all("X-Forwarded-For"));
            for (RecordingBackend s : servers.values()) s.setCookies();

            // GET /URI3 with JSESSIONID=A~123: to server A, which sees the cookie it sent
            for (int i = 0; i < 3; i++) {
                RawClient.Response r3 = client.get("/URI3", "Cookie: JSESSIONID=" + a + "~123\r\n");
                assertEquals(a, r3.header("X-Server"));
                RecordingBackend.Seen s3 = seenBy(r3);
                assertEquals(List.of("JSESSIONID=123"), s3.all("Cookie"));
                assertEquals(List.of("127.0.0.1"), s3.all("X-Forwarded-For"));
                assertEquals(List.of(), r3.all("Set-Cookie"), "no cookie, nothing changed");
            }

            // every Cookie line and every Set-Cookie line; other cookies and attributes are untouched
            servers.get(a).setCookies("JSESSIONID=\"456\"; Path=/app; HttpOnly", "theme=light; Max-Age=60");
            RawClient.Response r4 = client.get("/URI4",
                    "Cookie: theme=dark\r\nCookie: JSESSIONID=\"" + a + "~123\"; lang=en;other=x\r\n");
            assertEquals(a, r4.header("X-Server"));
            assertEquals(List.of("JSESSIONID=\"" + a + "~456\"; Path=/app; HttpOnly", "theme=light; Max-Age=60"),
                    r4.all("Set-Cookie"));
            // (Undertow hands the application its Cookie lines joined with "; "; HeadLevelCookieTest checks the lines)
            assertEquals(List.of("theme=dark; JSESSIONID=\"123\"; lang=en;other=x"), seenBy(r4).all("Cookie"));
            servers.get(a).setCookies();
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void section3CookieInsertNocacheBehindACache(Style style) throws Exception {
        startServers();
        int port = GuideConfigs.freePort();
        start("""
                listen 127.0.0.1:%d
                    mode http
                    balance roundrobin
                %s    cookie SERVERID insert indirect nocache
                    option httpchk HEAD /index.html HTTP/1.0
                %s""".formatted(port, connectionOption(style), serverLines("cookie")));
        try (GuideClient apache = new GuideClient(style, port)) {
            // no cookie: the proxy adds the server cookie and Cache-Control: private in return
            RawClient.Response r1 = apache.get("/URI1");
            String a = r1.header("X-Server");
            assertEquals(List.of("SERVERID=" + a + "; path=/"), r1.all("Set-Cookie"));
            assertEquals(List.of("private"), r1.all("Cache-Control"));
            seenBy(r1);

            // Cookie: SERVERID=A: forwarded to A with the cookie deleted; no cookie added back
            for (String uri : List.of("/URI2", "/URI3")) {
                RawClient.Response r = apache.get(uri, "Cookie: SERVERID=" + a + "\r\n");
                assertEquals(a, r.header("X-Server"));
                assertEquals(List.of(), r.all("Set-Cookie"), "the client knows the cookie");
                assertEquals(List.of(), r.all("Cache-Control"), "nothing to hide from the cache");
                RecordingBackend.Seen s = seenBy(r);
                assertEquals(uri, s.path());
                assertEquals(List.of(), s.all("Cookie"));
            }

            // a server setting SERVERID itself: its cookie is removed, the proxy's is inserted
            for (RecordingBackend s : servers.values()) s.setCookies("SERVERID=app-value", "cart=3");
            RawClient.Response r4 = apache.get("/URI4");
            String b = r4.header("X-Server");
            assertEquals(List.of("cart=3", "SERVERID=" + b + "; path=/"), r4.all("Set-Cookie"));
            seenBy(r4);
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void section3_1ForwardforExceptTheLocalStunnel(Style style) throws Exception {
        startServers();
        int port = GuideConfigs.freePort();
        // the guide's stunnel and haproxy share 192.168.1.1; here both are 127.0.0.1
        start("""
                listen 127.0.0.1:%d
                    mode http
                    balance roundrobin
                %s    option forwardfor except 127.0.0.1
                    cookie SERVERID insert indirect nocache
                    option httpchk HEAD /index.html HTTP/1.0
                %s""".formatted(port, connectionOption(style), serverLines("cookie")));
        try (GuideClient stunnel = new GuideClient(style, port)) {
            // stunnel already added the client's address: the proxy adds none
            RawClient.Response r = stunnel.get("/secure", "X-Forwarded-For: 203.0.113.7\r\n");
            assertEquals(List.of("203.0.113.7"), seenBy(r).all("X-Forwarded-For"));
            assertEquals(1, r.all("Set-Cookie").size());
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void section3_1ForwardforForClientsOutsideTheExceptedNetwork(Style style) throws Exception {
        startServers();
        int port = GuideConfigs.freePort();
        // the stunnel's network is 192.168.1.1 as in the guide: the loopback client is an ordinary HTTP client
        start("""
                listen 127.0.0.1:%d
                    mode http
                    balance roundrobin
                %s    option forwardfor except 192.168.1.1
                    cookie SERVERID insert indirect nocache
                %s""".formatted(port, connectionOption(style), serverLines("cookie")));
        try (GuideClient client = new GuideClient(style, port)) {
            assertEquals(List.of("127.0.0.1"), seenBy(client.get("/plain")).all("X-Forwarded-For"));
            // a header the client sent itself stays; the proxy's is appended as a line of its own
            RawClient.Response r = client.get("/plain", "X-Forwarded-For: 198.51.100.1\r\n");
            assertEquals(List.of("198.51.100.1", "127.0.0.1"), seenBy(r).all("X-Forwarded-For"));
        }
    }
}
