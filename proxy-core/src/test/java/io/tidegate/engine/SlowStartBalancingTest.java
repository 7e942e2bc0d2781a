package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code slowstart T}: a server that comes back up after being down takes a share of new sessions
 * that grows over T (HAProxy's 16 steps) instead of its full share at once; the operator's weight is
 * never overwritten by the ramp.
 */
class SlowStartBalancingTest extends EngineTestSupport {
    private static final long SLOWSTART_MS = 3_000;

    /** Requests served by A and in all during one window. */
    private record Window(int a, int all) {
        double shareOfA() {
            return (double) a / all;
        }
    }

    private Engine farm(TestBackend a, TestBackend b, int weightA, long slowstartMs) throws EngineException {
        return start(plan(frontend(), backendPlan(List.of(
                server("A", a.address(), weightA).withSlowstartMs(slowstartMs),
                server("B", b.address(), 1)))));
    }

    /** Sends requests from {@code fromMs} to {@code toMs} after {@code sinceNanos} (at most 5000). */
    private static Window window(RawClient c, long sinceNanos, long fromMs, long toMs) throws Exception {
        long wait = fromMs - elapsedMs(sinceNanos);
        if (wait > 0) Thread.sleep(wait);
        int a = 0;
        int all = 0;
        while (elapsedMs(sinceNanos) < toMs && all < 5_000) {
            if ("A".equals(c.get("/").header("X-Server"))) a++;
            all++;
        }
        return new Window(a, all);
    }

    /** Sends {@code n} requests and counts those A served. */
    private static int servedByA(RawClient c, int n) throws Exception {
        int a = 0;
        for (int i = 0; i < n; i++) if ("A".equals(c.get("/").header("X-Server"))) a++;
        return a;
    }

    private static long elapsedMs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    @Test
    void aServerBackFromDownRampsItsShareOverTheSlowstartTime() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = farm(a, b, 1, SLOWSTART_MS);
        engine.setServerUp("be", "A", false);
        long upAt = System.nanoTime();
        engine.setServerUp("be", "A", true);
        try (RawClient c = new RawClient(port(engine))) {
            Window early = window(c, upAt, 0, 500);          // steps 1..3 of 16: at most 3/19 of the picks
            Window middle = window(c, upAt, 1_500, 2_000);   // steps 9..11: 9/25 .. 11/27
            Window after = window(c, upAt, SLOWSTART_MS + 200, SLOWSTART_MS + 200);
            assertTrue(early.all() >= 10 && middle.all() >= 10, "enough requests per window: " + early + " " + middle);
            assertTrue(early.shareOfA() < 0.2, "early share of A " + early);
            assertTrue(middle.shareOfA() > early.shareOfA(), "the share grows: " + early + " then " + middle);
            assertTrue(middle.shareOfA() > 0.25 && middle.shareOfA() < 0.46, "middle share of A " + middle);
            int fullSpeed = servedByA(c, 64);
            assertTrue(fullSpeed >= 31 && fullSpeed <= 33, "after T, equal weights share equally: " + fullSpeed);
        }
    }

    @Test
    void theOperatorsWeightSurvivesTheRampAndAppliesAfterIt() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = farm(a, b, 1, SLOWSTART_MS);
        engine.setServerUp("be", "A", false);
        long upAt = System.nanoTime();
        engine.setServerUp("be", "A", true);
        engine.setServerWeight("be", "A", 3);                // an operator's JMX override during the ramp
        assertEquals(3, engine.status().backends().get(0).servers().get(0).weight(),
                "the status shows the operator's weight, not the ramped one");
        try (RawClient c = new RawClient(port(engine))) {
            Window early = window(c, upAt, 0, 400);
            assertTrue(early.all() >= 10, "enough requests: " + early);
            assertTrue(early.shareOfA() < 0.5, "still ramping: share of A " + early);
            Thread.sleep(Math.max(0, SLOWSTART_MS + 200 - elapsedMs(upAt)));
            int fullSpeed = servedByA(c, 64);
            assertTrue(fullSpeed >= 47 && fullSpeed <= 49, "after T, weight 3 against 1 takes 3/4: " + fullSpeed);
        }
        assertEquals(3, engine.status().backends().get(0).servers().get(0).weight());
    }

    @Test
    void aServerUpSinceStartOrWithoutSlowstartTakesItsFullShareAtOnce() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine upSinceStart = farm(a, b, 1, SLOWSTART_MS);
        try (RawClient c = new RawClient(port(upSinceStart))) {
            int served = servedByA(c, 32);
            assertTrue(served >= 15 && served <= 17, "no ramp for a server up since start: " + served);
        }

        TestBackend a2 = backend("A");
        TestBackend b2 = backend("B");
        Engine noSlowstart = farm(a2, b2, 1, 0);
        noSlowstart.setServerUp("be", "A", false);
        noSlowstart.setServerUp("be", "A", true);
        try (RawClient c = new RawClient(port(noSlowstart))) {
            int served = servedByA(c, 32);
            assertTrue(served >= 15 && served <= 17, "no ramp without slowstart: " + served);
        }
    }

    @Test
    void goingDownAgainDuringTheRampRestartsItAtTheNextUp() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = farm(a, b, 1, SLOWSTART_MS);
        engine.setServerUp("be", "A", false);
        engine.setServerUp("be", "A", true);
        Thread.sleep(SLOWSTART_MS / 2);
        engine.setServerUp("be", "A", false);
        long upAt = System.nanoTime();
        engine.setServerUp("be", "A", true);
        try (RawClient c = new RawClient(port(engine))) {
            Window early = window(c, upAt, 0, 400);
            assertTrue(early.all() >= 10, "enough requests: " + early);
            assertTrue(early.shareOfA() < 0.2, "the ramp starts again from its first step: " + early);
        }
    }

    @Test
    void slowstartFromConfigurationTextReachesThePlan() throws Exception {
        String text = """
                defaults
                    mode http
                backend app
                    server a 127.0.0.1:8081 check slowstart 30s
                    server b 127.0.0.1:8082 slowstart 2s
                    server c 127.0.0.1:8083 slowstart 0
                """;
        EnginePlan plan = PlanBuilder.from(ConfigLoader.loadSources(List.of(new ConfigSource("s.cfg", text)),
                SupportedFeatures.CURRENT).config());
        List<EnginePlan.Server> servers = plan.backends().get(0).servers();
        assertEquals(30_000, servers.get(0).slowstartMs());
        assertEquals(2_000, servers.get(1).slowstartMs());
        assertEquals(0, servers.get(2).slowstartMs());
    }
}
