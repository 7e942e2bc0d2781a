package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.CookieSpec;
import io.tidegate.engine.status.ServerStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Administrative states with HAProxy's runtime-API meanings: DRAIN takes no new sessions but keeps
 * serving clients that hold its persistence cookie; MAINT takes nothing; READY takes traffic again.
 */
class AdminStateTest extends EngineTestSupport {

    private Engine cookieFarm(TestBackend a, TestBackend b) throws EngineException {
        EnginePlan.Backend be = backendPlan(List.of(server("webA", a.address(), 1).withCookie("A"),
                server("webB", b.address(), 1).withCookie("B")))
                .withCookie(CookieSpec.insert("SERVERID", true, false));
        return start(plan(frontend(), be));
    }

    private static RawClient.Response withCookie(RawClient c, String value) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=" + value + "\r\n\r\n");
        return c.read();
    }

    @Test
    void drainedServerGetsNoNewSessionsButItsCookieHoldersStayOnIt() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = cookieFarm(a, b);
        engine.setServerAdminState("be", "webA", AdminState.DRAIN);
        assertEquals(1, engine.usableServers("be", false));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 6; i++) {
                RawClient.Response r = c.get("/");
                assertEquals("B", r.header("X-Server"), "new sessions avoid the drained server");
                assertEquals("SERVERID=B; path=/", r.header("Set-Cookie"));
            }
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = withCookie(c, "A");
                assertEquals("A", r.header("X-Server"), "a client holding A's cookie is still served by A");
                assertNull(r.header("Set-Cookie"), "its cookie stays as it is");
            }
        }
        assertEquals(3, a.requests());
        assertEquals(AdminState.DRAIN, engine.status().backends().get(0).servers().get(0).adminState());
    }

    @Test
    void serverInMaintenanceGetsNothingAndReadyBringsItBack() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = cookieFarm(a, b);
        engine.setServerAdminState("be", "webA", AdminState.MAINT);
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response r = withCookie(c, "A");
            assertEquals("B", r.header("X-Server"), "even A's cookie holders go elsewhere");
            assertEquals("SERVERID=B; path=/", r.header("Set-Cookie"), "and are pinned to the server that answered");
            for (int i = 0; i < 4; i++) assertEquals("B", c.get("/").header("X-Server"));
            assertEquals(0, a.requests());

            engine.setServerAdminState("be", "webA", AdminState.READY);
            assertEquals("A", withCookie(c, "A").header("X-Server"));
            int before = a.requests();
            for (int i = 0; i < 4; i++) c.get("/");
            assertEquals(before + 2, a.requests(), "round robin shares new sessions with A again");
        }
    }

    @Test
    void backupsTakeOverWhenEveryNormalServerIsDrained() throws Exception {
        TestBackend a = backend("A");
        TestBackend k = backend("K");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server("A", a.address(), 1),
                server("K", k.address(), 1).withBackup(true)))));
        engine.setServerAdminState("be", "A", AdminState.DRAIN);
        assertEquals(0, engine.usableServers("be", false));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 3; i++) assertEquals("K /", c.get("/").bodyText());
        }
        assertEquals(0, a.requests());
    }

    @Test
    void disabledHealthChecksIgnoreADownVerdictAndMaintenanceStopsChecks() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(plan(frontend(), backendOf(a, b)));
        engine.setServerUp("be", "A", false);
        assertEquals(1, engine.usableServers("be", false));
        assertTrue(engine.healthCheckWanted("be", "A"));

        engine.setServerHealthChecks("be", "A", false);
        assertFalse(engine.healthCheckWanted("be", "A"), "the scheduler skips a server whose checks are disabled");
        ServerStatus s = engine.status().backends().get(0).servers().get(0);
        assertEquals("UP", s.health(), "a server without checks counts as up");
        assertFalse(s.healthChecksEnabled());
        try (RawClient c = new RawClient(port(engine))) {
            c.get("/");
            c.get("/");
        }
        assertEquals(1, a.requests());

        engine.setServerHealthChecks("be", "A", true);
        assertEquals("DOWN", engine.status().backends().get(0).servers().get(0).health(), "the last verdict applies again");
        engine.setServerAdminState("be", "B", AdminState.MAINT);
        assertFalse(engine.healthCheckWanted("be", "B"), "no checks in maintenance");
        engine.setServerAdminState("be", "B", AdminState.DRAIN);
        assertTrue(engine.healthCheckWanted("be", "B"), "a draining server is still checked");
        assertFalse(engine.healthCheckWanted("be", "nope"));
    }

    @Test
    void unknownServersAndMissingStatesAreRejected() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        assertThrows(IllegalArgumentException.class, () -> engine.setServerAdminState("be", "nope", AdminState.DRAIN));
        assertThrows(IllegalArgumentException.class, () -> engine.setServerAdminState("nope", "A", AdminState.DRAIN));
        assertThrows(IllegalArgumentException.class, () -> engine.setServerAdminState("be", "A", null));
    }
}
