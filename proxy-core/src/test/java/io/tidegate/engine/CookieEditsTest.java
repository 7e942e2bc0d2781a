package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConnectionMode;
import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.HttpSyntax;
import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact heads Tidegate forwards for each cookie mode and option (HAProxy's meanings), byte for
 * byte: which server a request's cookie chooses, what the server receives, what the client receives.
 */
class CookieEditsTest {
    private static final long NOW = 1_790_000_000L;     // a fixed clock, in epoch seconds

    static RuntimeBackend backend(CookieSpec policy) {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 9);
        List<EnginePlan.Server> servers = List.of(
                EnginePlanServerBuilder.builder()
                        .name("webA")
                        .address(any)
                        .weight(1)
                        .cookie("A")
                        .build(),
                EnginePlanServerBuilder.builder()
                        .name("webB")
                        .address(any)
                        .weight(1)
                        .cookie("B")
                        .build(),
                EnginePlanServerBuilder.builder().name("plain").address(any).build());
        return new RuntimeBackend(EnginePlanBackendBuilder.builder()
                .name("be")
                .balance("roundrobin")
                .servers(servers)
                .cookie(policy)
                .retries(3)
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build(), 1);
    }

    static RuntimeServer server(RuntimeBackend b, String name) {
        return b.servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    static RequestHead request(String text) throws HttpParseException {
        ByteBuffer b = direct(text);
        RequestHead h = new RequestHead();
        h.parse(b, 0, MessageHead.findHeadEnd(b, 0, b.limit(), 431));
        return h;
    }

    static ResponseHead response(String text) throws HttpParseException {
        ByteBuffer b = direct(text);
        ResponseHead h = new ResponseHead();
        h.parse(b, 0, MessageHead.findHeadEnd(b, 0, b.limit(), 502));
        return h;
    }

    private static String forwarded(RequestHead h, CookieExchange x) {
        ByteBuffer out = ByteBuffer.allocate(16 * 1024);
        HeadWriter.request(h, out, HeadWriter.ConnectionEdit.KEEP, null, x.editsRequest() ? x : null);
        return new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
    }

    static String answered(ResponseHead h, CookieExchange x, RuntimeServer served) {
        boolean edits = x.readResponse(h, served);
        ByteBuffer out = ByteBuffer.allocate(16 * 1024);
        HeadWriter.response(h, out, HeadWriter.ConnectionEdit.KEEP, edits ? x : null);
        String s = new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
        if (!edits) {
            assertEquals(HttpSyntax.ascii(h.buffer(), h.start(), h.end()), s, "no edit: the head passes as received");
        }
        return s;
    }

    @Test
    void indirectInsertRemovesTheCookieFromEveryCookieLineKeepingTheRestAsWritten() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        CookieExchange x = new CookieExchange();
        RequestHead h = request("GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1;SERVERID=B ; b=2\r\n"
                + "Cookie: SERVERID=B\r\nCookie: c=\"3\"\r\n\r\n");
        assertSame(server(be, "webB"), x.readRequest(h, be, NOW));
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1 ; b=2\r\nCookie: c=\"3\"\r\n\r\n", forwarded(h, x));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                answered(response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), x, server(be, "webB")),
                "the client holds webB's value: nothing inserted");
    }

    @Test
    void insertWithoutIndirectForwardsTheCookieAndReplacesTheServersOwn() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", false, true));
        CookieExchange x = new CookieExchange();
        RequestHead h = request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=nobody\r\n\r\n");
        assertNull(x.readRequest(h, be, NOW), "an unknown value chooses no server");
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=nobody\r\n\r\n", forwarded(h, x));
        assertEquals("HTTP/1.1 200 OK\r\nSet-Cookie: cart=1\r\nContent-Length: 0\r\n"
                        + "Set-Cookie: SERVERID=A; path=/\r\nCache-Control: private\r\n\r\n",
                answered(response("HTTP/1.1 200 OK\r\nSet-Cookie: SERVERID=mine; Path=/x\r\nSet-Cookie: cart=1\r\n"
                        + "Content-Length: 0\r\n\r\n"), x, server(be, "webA")));
    }

    @Test
    void preserveLeavesTheServersCookieAndInsertsNone() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, true).withPreserve(true));
        CookieExchange x = new CookieExchange();
        x.readRequest(request("GET /logout HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=A\r\n\r\n"), be, NOW);
        String logout = "HTTP/1.1 200 OK\r\nSet-Cookie: SERVERID=; Expires=Thu, 01-Jan-1970 00:00:01 GMT\r\n"
                + "Content-Length: 0\r\n\r\n";
        assertEquals(logout, answered(response(logout), x, server(be, "webA")), "the server ends persistence itself");
    }

    @Test
    void insertedCookieAttributes() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false).withHttponly(true).withSecure(true)
                .withDomains(List.of(".example.com", "example.org")).withAttrs(List.of("SameSite=Lax")));
        CookieExchange x = new CookieExchange();
        x.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), be, NOW);
        assertEquals("HTTP/1.1 204 No Content\r\nSet-Cookie: SERVERID=B; path=/; domain=.example.com; "
                        + "domain=example.org; HttpOnly; Secure; SameSite=Lax\r\n\r\n",
                answered(response("HTTP/1.1 204 No Content\r\n\r\n"), x, server(be, "webB")));
    }

    @Test
    void aServerWithoutCookieClearsTheClientsCookie() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        CookieExchange x = new CookieExchange();
        x.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=Z\r\n\r\n"), be, NOW);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                        + "Set-Cookie: SERVERID=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/\r\n\r\n",
                answered(response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), x, server(be, "plain")));
    }

    @Test
    void postonlyInsertsOnlyInAnswersToPost() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false).withPostonly(true));
        CookieExchange x = new CookieExchange();
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        x.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), be, NOW);
        assertEquals(ok, answered(response(ok), x, server(be, "webA")));
        x.readRequest(request("POST /login HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"), be, NOW);
        assertTrue(answered(response(ok), x, server(be, "webA")).contains("Set-Cookie: SERVERID=A; path=/\r\n"));
    }

    @Test
    void prefixStripsEveryOccurrenceAndTheFirstChoosesTheServer() throws Exception {
        RuntimeBackend be = backend(CookieSpec.prefix("JSESSIONID"));
        CookieExchange x = new CookieExchange();
        RequestHead h = request("GET / HTTP/1.1\r\nHost: h\r\nCookie: JSESSIONID=B~1; JSESSIONID=A~2;x=y~z\r\n"
                + "Cookie: JSESSIONID=plain\r\n\r\n");
        assertSame(server(be, "webB"), x.readRequest(h, be, NOW));
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nCookie: JSESSIONID=1; JSESSIONID=2;x=y~z\r\n"
                + "Cookie: JSESSIONID=plain\r\n\r\n", forwarded(h, x));
        assertEquals("HTTP/1.1 200 OK\r\nSet-Cookie: JSESSIONID=B~9; Path=/\r\nSet-Cookie: JSESSIONIDX=9\r\n\r\n",
                answered(response("HTTP/1.1 200 OK\r\nSet-Cookie: JSESSIONID=9; Path=/\r\n"
                        + "Set-Cookie: JSESSIONIDX=9\r\n\r\n"), x, server(be, "webB")));
    }

    @Test
    void rewriteReplacesTheServersValue() throws Exception {
        RuntimeBackend be = backend(CookieSpec.of("SRV", CookieMode.REWRITE));
        CookieExchange x = new CookieExchange();
        RequestHead h = request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SRV=A\r\n\r\n");
        assertSame(server(be, "webA"), x.readRequest(h, be, NOW));
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nCookie: SRV=A\r\n\r\n", forwarded(h, x), "the server reads its id");
        assertEquals("HTTP/1.1 200 OK\r\nSet-Cookie: SRV=A; Path=/; HttpOnly\r\n\r\n",
                answered(response("HTTP/1.1 200 OK\r\nSet-Cookie: SRV=to-be-replaced; Path=/; HttpOnly\r\n\r\n"),
                        x, server(be, "webA")));
    }

    @Test
    void passiveOnlyReadsTheCookie() throws Exception {
        RuntimeBackend be = backend(CookieSpec.of("SITE", CookieMode.PASSIVE));
        CookieExchange x = new CookieExchange();
        RequestHead h = request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SITE=B; JSESSIONID=W14~123\r\n\r\n");
        assertSame(server(be, "webB"), x.readRequest(h, be, NOW));
        assertEquals("GET / HTTP/1.1\r\nHost: h\r\nCookie: SITE=B; JSESSIONID=W14~123\r\n\r\n", forwarded(h, x));
        String r = "HTTP/1.1 200 OK\r\nSet-Cookie: SITE=A\r\n\r\n";
        assertEquals(r, answered(response(r), x, server(be, "webB")));
    }

    @Test
    void aDownServersCookieIsIgnoredAndReplaced() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        server(be, "webA").setUp(false);
        CookieExchange x = new CookieExchange();
        assertNull(x.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=A\r\n\r\n"), be, NOW));
        assertTrue(answered(response("HTTP/1.1 200 OK\r\n\r\n"), x, server(be, "webB"))
                .contains("Set-Cookie: SERVERID=B; path=/\r\n"));
    }

    @Test
    void maxidleAndMaxlifeDateTheCookieAsHAProxyDoes() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false).withMaxidle(java.time.Duration.ofSeconds(1800))
                .withMaxlife(java.time.Duration.ofSeconds(8 * 3600)));
        CookieExchange x = new CookieExchange();
        x.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), be, NOW);
        String first = answered(response("HTTP/1.1 200 OK\r\n\r\n"), x, server(be, "webA"));
        String value = first.substring(first.indexOf("SERVERID=") + 9, first.indexOf("; path=/"));
        String date = dateOf(NOW);
        assertEquals("A|" + date + "|" + date, value, "server value, last-seen date, first-seen date");

        // presented again at once: still valid, nothing to refresh
        CookieExchange again = new CookieExchange();
        assertSame(server(be, "webA"), again.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID="
                + value + "\r\n\r\n"), be, NOW));
        assertFalse(answered(response("HTTP/1.1 200 OK\r\n\r\n"), again, server(be, "webA")).contains("Set-Cookie"));

        // ten minutes later: valid, the last-seen date is refreshed, the first-seen date kept
        CookieExchange later = new CookieExchange();
        assertSame(server(be, "webA"), later.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID="
                + value + "\r\n\r\n"), be, NOW + 600));
        assertTrue(answered(response("HTTP/1.1 200 OK\r\n\r\n"), later, server(be, "webA"))
                .contains("Set-Cookie: SERVERID=A|" + dateOf(NOW + 600) + "|" + date + "; path=/\r\n"));

        // idle longer than maxidle, or alive longer than maxlife, or dated a day ahead: ignored
        String idle = "A|" + dateOf(NOW - 3600) + "|" + dateOf(NOW - 3600);
        String old = "A|" + dateOf(NOW - 60) + "|" + dateOf(NOW - 9 * 3600);
        String future = "A|" + dateOf(NOW + 2 * 86_400) + "|" + date;
        for (String v : List.of(idle, old, future)) {
            CookieExchange e = new CookieExchange();
            assertNull(e.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=" + v + "\r\n\r\n"),
                    be, NOW), v);
            assertTrue(answered(response("HTTP/1.1 200 OK\r\n\r\n"), e, server(be, "webB"))
                    .contains("Set-Cookie: SERVERID=B|" + date + "|" + date + "; path=/"), "a fresh cookie: " + v);
        }

        // a cookie without dates is accepted and gets its dates
        CookieExchange undated = new CookieExchange();
        assertSame(server(be, "webA"), undated.readRequest(request("GET / HTTP/1.1\r\nHost: h\r\nCookie: SERVERID=A"
                + "\r\n\r\n"), be, NOW));
        assertTrue(answered(response("HTTP/1.1 200 OK\r\n\r\n"), undated, server(be, "webA"))
                .contains("SERVERID=A|" + date + "|" + date + ";"));
    }

    private static String dateOf(long epochSeconds) {
        ByteBuffer b = ByteBuffer.allocate(8);
        CookieDate.write(b, epochSeconds);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void cookieDatesUseHAProxysBase64OfFourSecondUnits() {
        ByteBuffer b = ByteBuffer.allocate(8);
        CookieDate.write(b, 0);
        assertEquals("AAAAA", new String(b.array(), 0, 5, StandardCharsets.US_ASCII));
        b.clear();
        CookieDate.write(b, 4 * 64 + 4);      // units 65 = 1*64 + 1
        assertEquals("AAABB", new String(b.array(), 0, 5, StandardCharsets.US_ASCII));
        b.flip();
        assertEquals(4 * 64 + 4, CookieDate.read(b, 0, 5));
        assertEquals(-1, CookieDate.read(direct("AA*AA"), 0, 5));
        assertEquals(-1, CookieDate.read(direct("AAAA"), 0, 4));
        b.clear();
        CookieDate.write(b, NOW);
        b.flip();
        long back = CookieDate.read(b, 0, 5);
        assertTrue(back >= NOW && back < NOW + 4, "rounded up to the next 4-second unit");
    }
}
