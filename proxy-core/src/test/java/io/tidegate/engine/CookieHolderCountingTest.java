package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidegate.config.CookieSpec;
import io.tidegate.engine.status.CookieHolders;
import io.tidegate.engine.status.ServerStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real requests through the engine: each server's status counts the client connections and the
 * requests that brought its persistence cookie value (what the admin's preview shows per value).
 */
class CookieHolderCountingTest extends EngineTestSupport {

    private Engine twoServers(CookieSpec cookie) throws EngineException {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        return start(plan(frontend(), backendPlan(List.of(server("webA", a.address(), 1).withCookie("A"),
                server("webB", b.address(), 1).withCookie("B"))).withCookie(cookie)));
    }

    private static CookieHolders holders(Engine engine, String server) {
        ServerStatus s = engine.status().backends().get(0).servers().stream()
                .filter(x -> x.name().equals(server)).findFirst().orElseThrow();
        return s.cookieHolders();
    }

    private static void send(RawClient c, String cookie) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: t\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n");
        c.read();
    }

    @Test
    void aConnectionCountsOnceItsRequestsEachTime() throws Exception {
        Engine engine = twoServers(CookieSpec.insert("SERVERID", true, false));
        try (RawClient c = new RawClient(port(engine))) {
            send(c, null);                               // no cookie yet: not a holder
            for (int i = 0; i < 3; i++) send(c, "theme=dark; SERVERID=A");
        }
        try (RawClient c = new RawClient(port(engine))) {
            send(c, "SERVERID=A");
            send(c, "SERVERID=B");
            send(c, "SERVERID=B");
        }
        assertEquals(new CookieHolders(2, 4, CookieHolderCounts.WINDOW_MINUTES), holders(engine, "webA"));
        assertEquals(new CookieHolders(1, 2, CookieHolderCounts.WINDOW_MINUTES), holders(engine, "webB"));
    }

    @Test
    void unknownValuesAndOtherCookiesCountNowhere() throws Exception {
        Engine engine = twoServers(CookieSpec.insert("SERVERID", true, false));
        try (RawClient c = new RawClient(port(engine))) {
            send(c, "SERVERID=C");
            send(c, "OTHER=A");
            send(c, "SERVERIDX=A");
        }
        assertEquals(0, holders(engine, "webA").requests());
        assertEquals(0, holders(engine, "webB").requests());
    }

    @Test
    void aDrainedServersHoldersAreCountedAndServedByIt() throws Exception {
        Engine engine = twoServers(CookieSpec.insert("SERVERID", true, false));
        engine.runtimeServer("be", "webA").setAdminState(AdminState.DRAIN);
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=A\r\n\r\n");
            assertEquals("A", c.read().header("X-Server"), "a drained server keeps its cookie holders");
        }
        engine.runtimeServer("be", "webA").setAdminState(AdminState.MAINT);
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=A\r\n\r\n");
            assertEquals("B", c.read().header("X-Server"), "in maintenance they go elsewhere");
        }
        assertEquals(new CookieHolders(2, 2, CookieHolderCounts.WINDOW_MINUTES), holders(engine, "webA"),
                "both connections brought A's value, whether or not A took them");
    }

    @Test
    void prefixCountsTheServerPartOfTheValue() throws Exception {
        Engine engine = twoServers(CookieSpec.prefix("JSESSIONID"));
        try (RawClient c = new RawClient(port(engine))) {
            send(c, "JSESSIONID=B~123");
            send(c, "JSESSIONID=B~123");
            send(c, "JSESSIONID=123");                  // no prefix: names no server
        }
        assertEquals(new CookieHolders(1, 2, CookieHolderCounts.WINDOW_MINUTES), holders(engine, "webB"));
        assertEquals(0, holders(engine, "webA").requests());
    }

    @Test
    void withoutPersistenceNothingIsCounted() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            send(c, "SERVERID=A");
        }
        assertEquals(CookieHolders.NONE, engine.status().backends().get(0).servers().get(0).cookieHolders());
    }
}
