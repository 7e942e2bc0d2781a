package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancingTest extends EngineTestSupport {

    private static RuntimeBackend backendWithWeights(int... weights) {
        List<EnginePlan.Server> servers = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            servers.add(server("s" + i, new InetSocketAddress("127.0.0.1", 1 + i), weights[i]));
        }
        return new RuntimeBackend(backendPlan(servers), 1);
    }

    @Test
    void smoothWeightedRoundRobinGivesExactSharesPerCycleAndInterleaves() {
        RuntimeBackend b = backendWithWeights(12, 12, 26, 26);
        Map<String, Integer> counts = new HashMap<>();
        String previous = null;
        int run = 0;
        int longestRun = 0;
        for (int i = 1; i <= 1040; i++) {
            String name = b.pickBalanced().name();
            counts.merge(name, 1, Integer::sum);
            run = name.equals(previous) ? run + 1 : 1;
            longestRun = Math.max(longestRun, run);
            previous = name;
            if (i == 76 * 13) {     // whole cycles of the total weight: exact shares
                assertEquals(156, counts.get("s0"));
                assertEquals(156, counts.get("s1"));
                assertEquals(338, counts.get("s2"));
                assertEquals(338, counts.get("s3"));
            }
        }
        // over 1040 picks every server stays within one request of its exact weighted share
        int[] w = {12, 12, 26, 26};
        for (int i = 0; i < 4; i++) {
            double ideal = 1040.0 * w[i] / 76;
            assertTrue(Math.abs(counts.get("s" + i) - ideal) <= 1.0, "s" + i + ": " + counts.get("s" + i) + " vs " + ideal);
        }
        assertTrue(longestRun <= 2, "interleaved, not in bursts (longest run " + longestRun + ")");
    }

    @Test
    void weightZeroGetsNoNewTrafficAndAllZeroMeansNoServer() {
        RuntimeBackend b = backendWithWeights(3, 0, 1);
        for (int i = 0; i < 100; i++) assertNotEquals("s1", b.pickBalanced().name());
        assertNull(backendWithWeights(0, 0).pickBalanced());
    }

    @Test
    void backupsServeOnlyWhenNoNormalServerIsUsable() {
        List<EnginePlan.Server> servers = List.of(
                server("web", new InetSocketAddress("127.0.0.1", 1), 1),
                server("bkp", new InetSocketAddress("127.0.0.1", 2), 1).withBackup(true));
        RuntimeBackend b = new RuntimeBackend(backendPlan(servers), 1);
        for (int i = 0; i < 10; i++) assertEquals("web", b.pickBalanced().name());
        b.servers().get(0).setUp(false);
        assertEquals("bkp", b.pickBalanced().name());
    }

    @Test
    void requestsAreSpreadOverRealServersByWeight() throws Exception {
        TestBackend[] servers = {backend("A"), backend("B"), backend("C"), backend("D")};
        int[] weights = {12, 12, 26, 26};
        List<EnginePlan.Server> list = new ArrayList<>();
        for (int i = 0; i < 4; i++) list.add(server(servers[i].name(), servers[i].address(), weights[i]));
        Engine engine = start(plan(frontend(), backendPlan(list)));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 1040; i++) assertEquals(200, c.get("/").status());
        }
        for (int i = 0; i < 4; i++) {
            double ideal = 1040.0 * weights[i] / 76;
            assertTrue(Math.abs(servers[i].requests() - ideal) <= 1.0, servers[i].name() + " got " + servers[i].requests());
        }
        long total = engine.status().backends().get(0).servers().stream().mapToLong(s -> s.totalRequests()).sum();
        assertEquals(1040, total);
        assertEquals(1, engine.status().frontends().get(0).totalSessions());
    }

    @Test
    void weightZeroServerReceivesNothing() throws Exception {
        TestBackend a = backend("A");
        TestBackend z = backend("Z");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server("A", a.address(), 1), server("Z", z.address(), 0)))));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 20; i++) assertEquals("A /", c.get("/").bodyText());
        }
        assertEquals(0, z.requests());
    }

    @Test
    void noUsableServerGives503() throws Exception {
        TestBackend z = backend("Z");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server("Z", z.address(), 0)))));
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response r = c.get("/");
            assertEquals(503, r.status());
            assertTrue(r.bodyText().contains("503"));
        }
        assertEquals(0, z.requests());
    }
}
