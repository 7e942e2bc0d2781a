package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Live server state (what health checks and JMX will drive) changes traffic at once, without a reload. */
class RuntimeStateTest extends EngineTestSupport {

    @Test
    void downServerGetsNoTrafficAndBackupTakesOverWhenAllAreDown() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        TestBackend k = backend("K");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server("A", a.address(), 1),
                server("B", b.address(), 1), server("K", k.address(), 1).withBackup(true)))));
        assertEquals(2, engine.usableServers("be", false));
        assertEquals(1, engine.usableServers("be", true));
        try (RawClient c = new RawClient(port(engine))) {
            engine.setServerUp("be", "A", false);
            for (int i = 0; i < 5; i++) assertEquals("B /", c.get("/").bodyText());
            engine.setServerUp("be", "B", false);
            assertEquals(0, engine.usableServers("be", false));
            for (int i = 0; i < 3; i++) assertEquals("K /", c.get("/").bodyText(), "backup serves when no normal server is up");
            engine.setServerUp("be", "A", true);
            assertEquals("A /", c.get("/").bodyText());
        }
        assertEquals(3, k.requests(), "the backup served only while no normal server was up");
    }

    @Test
    void weightOverrideAppliesImmediately() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(plan(frontend(), backendOf(a, b)));
        engine.setServerWeight("be", "B", 0);
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 6; i++) assertEquals("A /", c.get("/").bodyText());
        }
        assertEquals(0, b.requests());
        assertEquals(0, engine.status().backends().get(0).servers().get(1).weight());
        assertThrows(IllegalArgumentException.class, () -> engine.setServerUp("be", "nope", true));
        assertThrows(IllegalArgumentException.class, () -> engine.setServerWeight("be", "A", 257));
    }
}
