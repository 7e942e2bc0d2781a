package io.tidegate.engine;

import static io.tidegate.engine.CookieEditsTest.answered;
import static io.tidegate.engine.CookieEditsTest.backend;
import static io.tidegate.engine.CookieEditsTest.request;
import static io.tidegate.engine.CookieEditsTest.response;
import static io.tidegate.engine.CookieEditsTest.server;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The third and fourth characters of HAProxy's termination state ("Session state at disconnection"
 * in its configuration manual), one test per documented value: what the request's persistence cookie
 * was (N I D V E O U, - without cookie) and what happened to the response's (N I U P R D, -).
 */
class CookieLogFlagsTest {
    private static final long NOW = 1_790_000_000L;
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private static String flags(CookieExchange x) {
        return "" + x.clientFlag() + x.serverFlag();
    }

    private static String get(String cookie) {
        return "GET / HTTP/1.1\r\nHost: h\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n";
    }

    @Test
    void noCookieConfiguredDoesNotApply() throws Exception {
        RuntimeBackend be = backend(null);
        CookieExchange x = new CookieExchange();
        x.readRequest(request(get("SERVERID=A")), be, NOW);
        x.readResponse(response(OK), server(be, "webA"));
        assertEquals("--", flags(x), "'-': no cookie set in configuration");
    }

    @Test
    void newVisitorGetsACookieInserted() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        CookieExchange x = new CookieExchange();
        assertNull(x.readRequest(request(get(null)), be, NOW));
        assertEquals('N', x.clientFlag(), "N: the client provided NO cookie");
        assertEquals('N', x.serverFlag(), "N until the server answered (HAProxy logs SCNN when it never does)");
        x.readResponse(response(OK), server(be, "webA"));
        assertEquals("NI", flags(x), "I: the proxy INSERTED one");
    }

    @Test
    void validCookieGoesToItsServerAndNothingIsInserted() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        CookieExchange x = new CookieExchange();
        assertSame(server(be, "webB"), x.readRequest(request(get("SERVERID=B")), be, NOW));
        x.readResponse(response(OK), server(be, "webB"));
        assertEquals("VN", flags(x), "V: VALID cookie; N: no cookie from the server, none inserted");
    }

    @Test
    void cookieNamingNoServerIsInvalid() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        CookieExchange x = new CookieExchange();
        assertNull(x.readRequest(request(get("SERVERID=nobody")), be, NOW));
        x.readResponse(response(OK), server(be, "webA"));
        assertEquals("II", flags(x), "I: INVALID cookie matching no known server; then a new one is inserted");
    }

    @Test
    void cookieOfADownServerIsRedispatchedOrKeptUnderPersist() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        server(be, "webA").setUp(false);
        CookieExchange x = new CookieExchange();
        assertNull(x.readRequest(request(get("SERVERID=A")), be, NOW), "redispatched");
        x.readResponse(response(OK), server(be, "webB"));
        assertEquals("DI", flags(x), "D: cookie designating a server which was DOWN, redispatched and re-inserted");

        server(be, "webA").setAdminState(AdminState.MAINT);
        server(be, "webA").setUp(true);
        assertNull(x.readRequest(request(get("SERVERID=A")), be, NOW));
        assertEquals('D', x.clientFlag(), "maintenance counts as down, as HAProxy's stopped state");
    }

    @Test
    void expiredAndTooOldCookiesAreIgnored() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false).withMaxidle(java.time.Duration.ofSeconds(60))
                .withMaxlife(java.time.Duration.ofSeconds(3600)));
        CookieExchange x = new CookieExchange();
        x.readRequest(request(get(null)), be, NOW);
        String inserted = answered(response(OK), x, server(be, "webA"));
        Matcher m = Pattern.compile("Set-Cookie: (SERVERID=A\\|[^;]+);").matcher(inserted);
        assertTrue(m.find(), inserted);
        String cookie = m.group(1);

        assertSame(server(be, "webA"), x.readRequest(request(get(cookie)), be, NOW + 10));
        x.readResponse(response(OK), server(be, "webA"));
        assertEquals("VU", flags(x), "U: the proxy UPDATED the last date of the client's cookie (maxidle)");

        assertNull(x.readRequest(request(get(cookie)), be, NOW + 120));
        x.readResponse(response(OK), server(be, "webB"));
        assertEquals("EI", flags(x), "E: last date older than maxidle: EXPIRED, redispatched, a new cookie inserted");

        assertNull(x.readRequest(request(get(cookie)), be, NOW + 4000));
        assertEquals('O', x.clientFlag(), "O: first date older than maxlife: too OLD (checked before maxidle)");
    }

    @Test
    void serversOwnCookiePassedRewrittenOrDeleted() throws Exception {
        String setByServer = "HTTP/1.1 200 OK\r\nSet-Cookie: JSESSIONID=xyz; path=/\r\nContent-Length: 0\r\n\r\n";
        RuntimeBackend passive = backend(CookieSpec.of("JSESSIONID", CookieMode.PASSIVE));
        CookieExchange x = new CookieExchange();
        x.readRequest(request(get(null)), passive, NOW);
        x.readResponse(response(setByServer), server(passive, "webA"));
        assertEquals("NP", flags(x), "P: a cookie PROVIDED by the server and transmitted as-is");

        RuntimeBackend prefix = backend(CookieSpec.prefix("JSESSIONID"));
        x.readRequest(request(get("JSESSIONID=A~xyz")), prefix, NOW);
        x.readResponse(response(setByServer), server(prefix, "webA"));
        assertEquals("VR", flags(x), "R: the server's cookie REWRITTEN (prefix mode)");
        x.readRequest(request(get("JSESSIONID=xyz")), prefix, NOW);
        assertEquals('I', x.clientFlag(), "a prefix cookie without its server part names no server");

        RuntimeBackend rewrite = backend(CookieSpec.of("JSESSIONID", CookieMode.REWRITE));
        x.readRequest(request(get(null)), rewrite, NOW);
        x.readResponse(response(setByServer), server(rewrite, "webB"));
        assertEquals("NR", flags(x), "R: REWRITTEN (rewrite mode)");

        RuntimeBackend insertPostonly = backend(CookieSpec.insert("JSESSIONID", false, false).withPostonly(true));
        x.readRequest(request(get(null)), insertPostonly, NOW);
        x.readResponse(response(setByServer), server(insertPostonly, "webA"));
        assertEquals("ND", flags(x), "D: the server's cookie DELETED (insert mode owns the name; postonly: no insert on GET)");
    }

    @Test
    void theFlagsReachTheLogOnlyWhenABackendReadTheCookie() throws Exception {
        RuntimeBackend be = backend(CookieSpec.insert("SERVERID", true, false));
        CookieExchange x = new CookieExchange();
        x.readRequest(request(get(null)), be, NOW);
        x.readResponse(response(OK), server(be, "webA"));
        LogFields f = new LogFields();
        x.logFlags(f, true);
        assertEquals("NI", "" + f.cookieClient + f.cookieServer);
        x.logFlags(f, false);
        assertEquals("--", "" + f.cookieClient + f.cookieServer, "a request refused before a backend: '-'");
    }
}
