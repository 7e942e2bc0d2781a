package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.CookieSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookiePersistenceTest extends EngineTestSupport {

    private EnginePlan.Backend twoServers(TestBackend a, TestBackend b, CookieSpec cookie) {
        return backendPlan(List.of(server("webA", a.address(), 1).withCookie("A"),
                server("webB", b.address(), 1).withCookie("B"))).withCookie(cookie);
    }

    @Test
    void insertSetsTheServerCookieAndStickyRequestsFollowIt() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(plan(frontend(), twoServers(a, b, CookieSpec.insert("SERVERID", true, true))));
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response first = c.get("/");
            String server = first.header("X-Server");
            assertEquals("SERVERID=" + server + "; path=/", first.header("Set-Cookie"));
            assertEquals("private", first.header("Cache-Control"), "nocache marks the response uncacheable");
            for (int i = 0; i < 6; i++) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: theme=dark; SERVERID=" + server + "; lang=en\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals(server, r.header("X-Server"), "persistence wins over round robin");
                assertNull(r.header("Set-Cookie"), "the client already holds that exact value");
                assertEquals("theme=dark; lang=en", r.header("X-Seen-Cookie"), "indirect: the server never sees SERVERID");
            }
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=" + server + "\r\n\r\n");
            assertNull(c.read().header("X-Seen-Cookie"), "a Cookie line left empty is dropped");
        }
    }

    @Test
    void insertResetsTheCookieWhenItsServerIsDown() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(plan(frontend(), twoServers(a, b, CookieSpec.insert("SERVERID", false, false))));
        engine.runtimeServer("be", "webA").setUp(false);
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=A\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("B", r.header("X-Server"));
            assertEquals("SERVERID=B; path=/", r.header("Set-Cookie"));
            assertEquals("SERVERID=A", r.header("X-Seen-Cookie"), "without indirect the cookie is forwarded");
        }
    }

    @Test
    void prefixMarksTheApplicationCookieAndRoutesBack() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(plan(frontend(), twoServers(a, b, CookieSpec.prefix("JSESSIONID"))));
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response first = c.get("/setcookie");
            String server = first.header("X-Server");
            assertEquals("JSESSIONID=" + server + "~123; Path=/", first.header("Set-Cookie"));
            for (int i = 0; i < 6; i++) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: JSESSIONID=" + server + "~123; other=1\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals(server, r.header("X-Server"));
                assertEquals("JSESSIONID=123; other=1", r.header("X-Seen-Cookie"));
            }
        }
    }
}
