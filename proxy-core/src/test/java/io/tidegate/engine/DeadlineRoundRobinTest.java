package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The rotation of large backends ({@link DeadlineRoundRobin}, more than
 * {@link ServerRotation#LOOP_MAX_SERVERS} servers) keeps the guarantees of the loop: with static
 * weights any window of total-weight picks gives each server exactly its weight, picks are spread
 * (no server twice in a row, equal weights take turns), and it follows servers going down and
 * coming back, weight changes, the avoided server and full servers.
 */
class DeadlineRoundRobinTest {
    private static final int SERVERS = 400;

    /** Mixed weights 1..10 and a few heavy servers. */
    private static int[] mixedWeights() {
        int[] w = new int[SERVERS];
        for (int i = 0; i < SERVERS; i++) w[i] = 1 + (i * 7) % 10;
        w[13] = 50;
        w[250] = 50;
        w[399] = 256;
        return w;
    }

    private static RuntimeBackend backend(int[] weights, int fullCandidate) {
        List<EnginePlan.Server> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            EnginePlan.Server s = server("s" + i, new InetSocketAddress("127.0.0.1", 1 + i), weights[i]);
            if (i == fullCandidate) s = s.withLimits(ServerLimits.maxconn(1));
            list.add(s);
        }
        return new RuntimeBackend(backendPlan(list), 1);
    }

    /** Picks as server indexes. */
    private static final class Picker {
        final RuntimeBackend backend;
        final Map<RuntimeServer, Integer> index = new IdentityHashMap<>();
        final List<Integer> picks = new ArrayList<>();

        Picker(RuntimeBackend backend) {
            this.backend = backend;
            for (int i = 0; i < backend.servers().size(); i++) index.put(backend.servers().get(i), i);
        }

        int pick(RuntimeServer avoid) {
            RuntimeServer s = backend.pickBalancedAvoiding(avoid);
            assertNotNull(s, "a usable server is picked");
            int i = index.get(s);
            picks.add(i);
            return i;
        }

        void pick(int n) {
            for (int k = 0; k < n; k++) pick(null);
        }

        RuntimeServer server(int i) {
            return backend.servers().get(i);
        }
    }

    private static int total(int[] weights) {
        return Arrays.stream(weights).sum();
    }

    /** The picks [from, from + total weight) give each server exactly its weight. */
    private static void assertExactWindow(List<Integer> picks, int from, int[] weights, String what) {
        int[] counts = new int[weights.length];
        int w = total(weights);
        for (int k = from; k < from + w; k++) counts[picks.get(k)]++;
        for (int i = 0; i < weights.length; i++) {
            assertEquals(weights[i], counts[i], what + ": s" + i + " in the " + w + " picks from " + from);
        }
    }

    @Test
    void largeBackendsUseTheHeapAndSmallOnesTheLoop() {
        List<RuntimeServer> small = backend(new int[ServerRotation.LOOP_MAX_SERVERS], -1).servers();
        List<RuntimeServer> large = backend(new int[ServerRotation.LOOP_MAX_SERVERS + 1], -1).servers();
        assertInstanceOf(SmoothWeightedRoundRobin.class, ServerRotation.of(small, () -> 0));
        assertInstanceOf(DeadlineRoundRobin.class, ServerRotation.of(large, () -> 0));
    }

    @Test
    void staticWeightsGiveExactSharesInEveryWindowOfTotalWeightPicks() {
        int[] weights = mixedWeights();
        int w = total(weights);
        Picker p = new Picker(backend(weights, -1));
        p.pick(4 * w);
        for (int cycle = 0; cycle < 3; cycle++) assertExactWindow(p.picks, cycle * w, weights, "cycle " + cycle);
        for (int from : new int[] {1, 137, w / 2, w + 999}) assertExactWindow(p.picks, from, weights, "window");
    }

    @Test
    void picksAreSpreadAndEqualWeightsTakeTurns() {
        int[] weights = mixedWeights();
        int w = total(weights);
        Picker p = new Picker(backend(weights, -1));
        p.pick(2 * w);
        for (int k = 1; k < p.picks.size(); k++) {
            assertNotEquals(p.picks.get(k - 1), p.picks.get(k), "no server twice in a row (pick " + k + ")");
        }
        // between two picks of a server, every other server of its weight is picked exactly once
        for (int weight = 1; weight <= 10; weight++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) if (weights[i] == weight) members.add(i);
            List<Integer> turns = new ArrayList<>();
            for (int s : p.picks) if (weights[s] == weight) turns.add(s);
            for (int k = members.size(); k < turns.size(); k++) {
                assertEquals(turns.get(k - members.size()), turns.get(k), "weight " + weight + " servers rotate");
            }
            assertEquals(2 * weight * members.size(), turns.size());
        }
        // the heaviest server (256 of the total) is picked about every total / 256 picks
        int heavy = 399;
        int last = -1;
        int longestGap = 0;
        for (int k = 0; k < p.picks.size(); k++) {
            if (p.picks.get(k) != heavy) continue;
            if (last >= 0) longestGap = Math.max(longestGap, k - last);
            last = k;
        }
        assertTrue(longestGap <= 2 * (w / 256 + 1), "heavy picks evenly spaced, longest gap " + longestGap);
    }

    @Test
    void aServerGoingDownGetsNothingAndComingBackRejoinsWithItsExactShare() {
        int[] weights = mixedWeights();
        Picker p = new Picker(backend(weights, -1));
        p.pick(1234);
        p.server(5).setUp(false);
        p.server(6).setAdminState(AdminState.MAINT);
        int[] without = weights.clone();
        without[5] = 0;
        without[6] = 0;
        int from = p.picks.size();
        p.pick(2 * total(without));
        assertExactWindow(p.picks, from, without, "while s5 and s6 are out");
        assertExactWindow(p.picks, from + 77, without, "while s5 and s6 are out");

        p.server(5).setUp(true);
        p.server(6).setAdminState(AdminState.READY);
        from = p.picks.size();
        p.pick(2 * total(weights));
        assertExactWindow(p.picks, from, weights, "back");
        assertExactWindow(p.picks, from + 501, weights, "back");
    }

    @Test
    void disabledChecksMakeADownServerUsableAgain() {
        int[] weights = mixedWeights();
        Picker p = new Picker(backend(weights, -1));
        p.server(9).setUp(false);
        p.pick(total(weights));
        assertFalse(p.picks.contains(9));
        p.server(9).setHealthChecksEnabled(false);
        int from = p.picks.size();
        p.pick(total(weights));
        assertExactWindow(p.picks, from, weights, "checks disabled: s9 counts as up");
    }

    @Test
    void weightChangesApplyFromTheNextPick() {
        int[] weights = mixedWeights();
        Picker p = new Picker(backend(weights, -1));
        p.pick(500);
        p.server(20).setWeight(30);
        p.server(21).setWeight(0);
        p.server(399).setWeight(1);
        int[] changed = weights.clone();
        changed[20] = 30;
        changed[21] = 0;
        changed[399] = 1;
        int from = p.picks.size();
        p.pick(2 * total(changed));
        assertExactWindow(p.picks, from, changed, "after the weight changes");
        assertExactWindow(p.picks, from + total(changed) / 3, changed, "after the weight changes");
        assertFalse(p.picks.subList(from, p.picks.size()).contains(21), "weight 0: no new traffic");
    }

    @Test
    void theAvoidedServerIsLeftOutAndKeepsItsPlace() {
        int[] weights = mixedWeights();
        int w = total(weights);
        Picker p = new Picker(backend(weights, -1));
        p.pick(300);
        RuntimeServer avoided = p.server(42);
        int from = p.picks.size();
        for (int k = 0; k < w; k++) p.pick(avoided);
        assertFalse(p.picks.subList(from, p.picks.size()).contains(42), "never the avoided server");
        assertEquals(42, p.pick(null), "first in line once no longer avoided");
        from = p.picks.size();
        p.pick(w);
        long again = p.picks.subList(from, p.picks.size()).stream().filter(i -> i == 42).count();
        assertTrue(again >= weights[42] - 1 && again <= weights[42] + 1,
                "then its normal share, no catch-up burst: " + again + " for weight " + weights[42]);
        assertExactWindow(p.picks, p.picks.size() - w, weights, "others unaffected once it is back in line");
    }

    @Test
    void aFullServerIsSkippedAndKeepsItsPlace() {
        int[] weights = mixedWeights();
        int w = total(weights);
        int full = 77;
        Picker p = new Picker(backend(weights, full));
        p.pick(300);
        RuntimeServer s = p.server(full);
        assertTrue(s.tryStartRequest());
        assertTrue(s.isFull());
        int from = p.picks.size();
        p.pick(w);
        assertFalse(p.picks.subList(from, p.picks.size()).contains(full), "a full server is not picked");
        s.requestEnded();
        assertFalse(s.isFull());
        assertEquals(full, p.pick(null), "first in line once it has a free slot");
        from = p.picks.size();
        p.pick(w);
        long again = p.picks.subList(from, p.picks.size()).stream().filter(i -> i == full).count();
        assertTrue(again >= weights[full] - 1 && again <= weights[full] + 1,
                "then its normal share, no catch-up burst: " + again + " for weight " + weights[full]);
    }

    @Test
    void aServerInItsSlowstartRampTakesItsRampedShare() {
        int[] weights = mixedWeights();
        List<EnginePlan.Server> list = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            // an hour's ramp: the first of its 16 steps lasts 225 s, far longer than this test
            list.add(server("s" + i, new InetSocketAddress("127.0.0.1", 1 + i), weights[i]).withSlowstartMs(3_600_000));
        }
        Picker p = new Picker(new RuntimeBackend(backendPlan(list), 1));
        p.pick(100);
        p.server(8).setUp(false);
        p.server(8).setUp(true);
        assertTrue(p.server(8).rampingUp());
        // in 1/16 units: every other server at 16 x its weight, s8 at 1 x its weight (step 1)
        int[] ramped = new int[SERVERS];
        for (int i = 0; i < SERVERS; i++) ramped[i] = i == 8 ? weights[i] : 16 * weights[i];
        int from = p.picks.size();
        p.pick(total(ramped) + 10);
        assertExactWindow(p.picks, from, ramped, "s8 at the first step of its ramp");
        assertExactWindow(p.picks, from + 10, ramped, "s8 at the first step of its ramp");
    }

    @Test
    void noUsableServerGivesNull() {
        int[] weights = new int[SERVERS];
        Arrays.fill(weights, 1);
        RuntimeBackend b = backend(weights, -1);
        for (RuntimeServer s : b.servers()) s.setAdminState(AdminState.MAINT);
        assertNull(b.pickBalanced());
        b.servers().get(123).setAdminState(AdminState.READY);
        assertEquals("s123", b.pickBalanced().name());
        assertNull(b.pickBalancedAvoiding(b.servers().get(123)));
        assertEquals("s123", b.pickBalanced().name());
    }

    @Test
    void theClockIsRenormalizedBeforeProductsOverflowAndSharesStayExact() {
        int[] weights = mixedWeights();
        RuntimeBackend b = backend(weights, -1);
        // far beyond the configurable 256, so that the clock reaches its limit within millions of picks
        weights[0] = 1 << 15;
        b.servers().get(0).setWeight(weights[0]);
        DeadlineRoundRobin rotation = new DeadlineRoundRobin(b.servers(), () -> 0);
        Map<RuntimeServer, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < SERVERS; i++) index.put(b.servers().get(i), i);
        rotation.next(null);
        assertEquals(1, rotation.rebuilds());
        int w = total(weights);
        int[] before = new int[w];
        for (int k = 0; k < w; k++) before[k] = index.get(rotation.next(null));
        long picks = 0;
        while (rotation.rebuilds() == 1 && picks < 20_000_000) {
            rotation.next(null);
            picks++;
        }
        assertEquals(2, rotation.rebuilds(), "renormalized after " + picks + " picks");
        List<Integer> after = new ArrayList<>();
        for (int k = 0; k < 2 * w; k++) after.add(index.get(rotation.next(null)));
        List<Integer> first = new ArrayList<>();
        for (int i : before) first.add(i);
        assertExactWindow(first, 0, weights, "before the renormalization");
        assertExactWindow(after, 0, weights, "after it");
        assertExactWindow(after, 4321, weights, "after it");
    }

    @Test
    void concurrentPicksStillGiveExactShares() throws Exception {
        int[] weights = mixedWeights();
        int w = total(weights);
        RuntimeBackend b = backend(weights, -1);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            Map<RuntimeServer, Integer> index = new IdentityHashMap<>();
            for (int i = 0; i < SERVERS; i++) index.put(b.servers().get(i), i);
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    int[] counts = new int[SERVERS];
                    for (int k = 0; k < w; k++) counts[index.get(b.pickBalanced())]++;
                    return counts;
                }));
            }
            int[] counts = new int[SERVERS];
            for (Future<int[]> f : results) {
                int[] c = f.get();
                for (int i = 0; i < SERVERS; i++) counts[i] += c[i];
            }
            for (int i = 0; i < SERVERS; i++) assertEquals(threads * weights[i], counts[i], "s" + i);
        } finally {
            pool.shutdownNow();
        }
    }
}
