package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.CookieSpec;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code option redispatch-drained T}: a drained server keeps the clients holding its persistence
 * cookie for T, then they are balanced to a usable server and get that server's cookie; new clients
 * never reach the drained server; READY again restarts the clock.
 */
class RedispatchDrainedTest extends EngineTestSupport {
    /** Long enough that the "before T" requests of a loaded machine still fall inside it. */
    private static final long DRAIN_MS = 1_500;

    private Engine insertFarm(TestBackend a, TestBackend b, long drainMs) throws EngineException {
        EnginePlan.Backend be = backendPlan(List.of(server("webA", a.address(), 1).withCookie("A"),
                server("webB", b.address(), 1).withCookie("B")))
                .withCookie(CookieSpec.insert("SERVERID", true, false))
                .withRedispatchDrainedMs(drainMs);
        return start(plan(frontend(), be));
    }

    private static RawClient.Response withCookie(RawClient c, String cookie) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: " + cookie + "\r\n\r\n");
        return c.read();
    }

    /** Sleeps until {@code ms} have passed since {@code startNanos}. */
    private static void sleepPast(long startNanos, long ms) throws InterruptedException {
        long left = ms - (System.nanoTime() - startNanos) / 1_000_000;
        if (left > 0) Thread.sleep(left);
    }

    @Test
    void cookieHoldersStayForTThenMoveAndGetTheNewServersCookie() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = insertFarm(a, b, DRAIN_MS);
        long drainedAt = System.nanoTime();
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = withCookie(c, "SERVERID=A");
                assertEquals("A", r.header("X-Server"), "before T a cookie holder stays on the drained server");
                assertNull(r.header("Set-Cookie"));
                assertEquals("B", c.get("/").header("X-Server"), "new clients never go to the drained server");
            }
            assertTrue((System.nanoTime() - drainedAt) / 1_000_000 < DRAIN_MS,
                    "the requests above ran within T (otherwise the machine is too slow for this test)");

            sleepPast(drainedAt, DRAIN_MS + 100);
            int aBefore = a.requests();
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = withCookie(c, "SERVERID=A");
                assertEquals("B", r.header("X-Server"), "after T the cookie holder is balanced to a usable server");
                assertEquals("SERVERID=B; path=/", r.header("Set-Cookie"), "and gets that server's cookie");
            }
            RawClient.Response moved = withCookie(c, "SERVERID=B");
            assertEquals("B", moved.header("X-Server"));
            assertNull(moved.header("Set-Cookie"), "the new cookie sticks");
            assertEquals(aBefore, a.requests(), "the drained server got nothing after T");
        }
        assertEquals(AdminState.DRAIN, engine.status().backends().get(0).servers().get(0).adminState());
    }

    @Test
    void prefixedSessionsMoveAndTheNewServersSessionCookieIsPrefixedWithItsName() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        EnginePlan.Backend be = backendPlan(List.of(server("webA", a.address(), 1).withCookie("A"),
                server("webB", b.address(), 1).withCookie("B")))
                .withCookie(CookieSpec.prefix("JSESSIONID")).withRedispatchDrainedMs(DRAIN_MS);
        Engine engine = start(plan(frontend(), be));
        long drainedAt = System.nanoTime();
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals("A", withCookie(c, "JSESSIONID=A~123").header("X-Server"));
            sleepPast(drainedAt, DRAIN_MS + 100);
            c.send("GET /setcookie HTTP/1.1\r\nHost: t\r\nCookie: JSESSIONID=A~123\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("B", r.header("X-Server"));
            assertEquals("JSESSIONID=B~123; Path=/", r.header("Set-Cookie"));
        }
    }

    @Test
    void readyAgainRestartsTheClock() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = insertFarm(a, b, DRAIN_MS);
        long firstDrain = System.nanoTime();
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);
        try (RawClient c = new RawClient(port(engine))) {
            sleepPast(firstDrain, DRAIN_MS + 100);
            assertEquals("B", withCookie(c, "SERVERID=A").header("X-Server"), "first drain ran past T");

            engine.setServerAdminState("be", "webA", AdminState.READY);
            assertEquals("A", withCookie(c, "SERVERID=A").header("X-Server"), "READY serves its cookie holders again");
            long secondDrain = System.nanoTime();
            engine.setServerAdminState("be", "webA", AdminState.DRAIN);
            RawClient.Response r = withCookie(c, "SERVERID=A");
            assertTrue((System.nanoTime() - secondDrain) / 1_000_000 < DRAIN_MS, "request ran within the new T");
            assertEquals("A", r.header("X-Server"), "a new drain keeps cookie holders for a new T");
        }
    }

    @Test
    void drainAgainWhileDrainingKeepsTheOriginalStart() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = insertFarm(a, b, DRAIN_MS);
        long drainedAt = System.nanoTime();
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);
        Thread.sleep(DRAIN_MS / 2);
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);     // an operator clicks drain twice
        sleepPast(drainedAt, DRAIN_MS + 100);
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals("B", withCookie(c, "SERVERID=A").header("X-Server"));
        }
    }

    @Test
    void withoutTheOptionCookieHoldersStayForTheWholeDrain() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = insertFarm(a, b, 0);
        long drainedAt = System.nanoTime();
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);
        sleepPast(drainedAt, 400);
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response r = withCookie(c, "SERVERID=A");
            assertEquals("A", r.header("X-Server"));
            assertNull(r.header("Set-Cookie"));
        }
    }

    @Test
    void maintenanceStillSendsCookieHoldersAwayAtOnce() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = insertFarm(a, b, 60_000);
        engine.setServerAdminState("be", "webA", AdminState.MAINT);
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response r = withCookie(c, "SERVERID=A");
            assertEquals("B", r.header("X-Server"));
            assertEquals("SERVERID=B; path=/", r.header("Set-Cookie"));
        }
        assertEquals(0, a.requests());
    }

    @Test
    void fromConfigurationText() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        String text = """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    option redispatch-drained 1500ms
                listen web
                    bind 127.0.0.1:8080
                    cookie SERVERID insert indirect
                    server webA 127.0.0.1:%d cookie A
                    server webB 127.0.0.1:%d cookie B
                """.formatted(a.port(), b.port());
        EnginePlan fromText = PlanBuilder.from(ConfigLoader.loadSources(List.of(new ConfigSource("d.cfg", text)),
                SupportedFeatures.CURRENT).config());
        assertEquals(1_500, fromText.backends().get(0).redispatchDrainedMs());
        // the file's listener moves to a free port of the loopback interface
        EnginePlan.Frontend web = fromText.frontends().get(0)
                .withBinds(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        Engine engine = start(EnginePlanBuilder.builder()
                .frontends(List.of(web))
                .backends(fromText.backends())
                .build());
        int port = engine.boundAddresses().get("web").get(0).getPort();
        long drainedAt = System.nanoTime();
        engine.setServerAdminState("web", "webA", AdminState.DRAIN);
        try (RawClient c = new RawClient(port)) {
            assertEquals("A", withCookie(c, "SERVERID=A").header("X-Server"));
            sleepPast(drainedAt, 1_600);
            RawClient.Response r = withCookie(c, "SERVERID=A");
            assertEquals("B", r.header("X-Server"));
            assertEquals("SERVERID=B; path=/", r.header("Set-Cookie"));
        }
    }
}
