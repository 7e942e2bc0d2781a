package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.Balance;
import io.tidegate.config.BalanceAlgorithm;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The balancing algorithms besides roundrobin, and hash-type map-based versus consistent. */
class BalanceAlgorithmsTest {

    private static RuntimeBackend backend(Balance balance, String hashType, int... weights) {
        List<EnginePlan.Server> servers = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            servers.add(server("s" + i, new InetSocketAddress("127.0.0.1", 1 + i), weights[i]));
        }
        return new RuntimeBackend(backendPlan(servers), 1,
                EnginePlanRulesBuilder.builder()
                        .statements(List.of())
                        .errorfiles(Map.of())
                        .balance(balance)
                        .hashType(hashType)
                        .build(), null);
    }

    private static Map<Long, String> assignment(RuntimeBackend b, int keys) {
        Map<Long, String> m = new HashMap<>();
        for (long k = 0; k < keys; k++) m.put(k * 7919, b.pickBalanced(null, k * 7919).name());
        return m;
    }

    @Test
    void consistentHashingMovesOnlyTheKeysOfTheServerThatLeaves() {
        RuntimeBackend b = backend(Balance.of(BalanceAlgorithm.SOURCE), "consistent", 1, 1, 1, 1);
        Map<Long, String> before = assignment(b, 4000);
        Map<String, Integer> share = new HashMap<>();
        before.values().forEach(s -> share.merge(s, 1, Integer::sum));
        assertEquals(4, share.size());
        share.values().forEach(n -> assertTrue(n > 500 && n < 1500, "keys spread over the ring: " + share));
        b.servers().get(2).setUp(false);
        Map<Long, String> after = assignment(b, 4000);
        int moved = 0;
        for (Map.Entry<Long, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (e.getValue().equals("s2")) {
                assertNotEquals("s2", now);
                moved++;
            } else {
                assertEquals(e.getValue(), now, "a key of a server that stayed did not move");
            }
        }
        assertEquals(share.get("s2"), moved);
        b.servers().get(2).setUp(true);
        assertEquals(before, assignment(b, 4000), "when it comes back, its keys come back to it");
    }

    @Test
    void mapBasedHashingMovesMostKeysWhenAServerLeaves() {
        RuntimeBackend b = backend(Balance.of(BalanceAlgorithm.SOURCE), "map-based", 1, 1, 1, 1);
        Map<Long, String> before = assignment(b, 4000);
        b.servers().get(2).setUp(false);
        Map<Long, String> after = assignment(b, 4000);
        long movedOfOthers = before.entrySet().stream()
                .filter(e -> !e.getValue().equals("s2") && !e.getValue().equals(after.get(e.getKey()))).count();
        assertTrue(movedOfOthers > 1000, "map-based reshuffles keys of servers that stayed: " + movedOfOthers);
        assertEquals(assignment(b, 4000), after, "the same key goes to the same server");
    }

    @Test
    void weightsShapeTheHashShares() {
        RuntimeBackend b = backend(Balance.of(BalanceAlgorithm.SOURCE), "map-based", 3, 1);
        Map<String, Integer> share = new HashMap<>();
        assignment(b, 4000).values().forEach(s -> share.merge(s, 1, Integer::sum));
        assertEquals(3000, share.get("s0"), 150);
    }

    @Test
    void leastconnPicksTheServerWithFewestRequests() {
        RuntimeBackend b = backend(Balance.of(BalanceAlgorithm.LEASTCONN), null, 1, 1, 1);
        b.servers().get(0).requestStarted();
        b.servers().get(0).requestStarted();
        b.servers().get(1).requestStarted();
        assertEquals("s2", b.pickBalanced().name());
        b.servers().get(2).requestStarted();
        b.servers().get(2).requestStarted();
        assertEquals("s1", b.pickBalanced().name());
    }

    @Test
    void firstFillsServersInOrder() {
        List<EnginePlan.Server> servers = List.of(
                server("a", new InetSocketAddress("127.0.0.1", 1), 1).withLimits(new ServerLimits(2, 0, 0)),
                server("b", new InetSocketAddress("127.0.0.1", 2), 1).withLimits(new ServerLimits(2, 0, 0)));
        RuntimeBackend b = new RuntimeBackend(backendPlan(servers), 1,
                EnginePlanRulesBuilder.builder()
                        .statements(List.of())
                        .errorfiles(Map.of())
                        .balance(Balance.of(BalanceAlgorithm.FIRST))
                        .build(), null);
        RuntimeServer s1 = b.pickBalanced();
        assertEquals("a", s1.name());
        assertTrue(s1.tryStartRequest());
        assertTrue(b.pickBalanced().tryStartRequest());
        assertEquals("b", b.pickBalanced().name(), "a is full at its maxconn of 2");
    }

    @Test
    void randomWithDrawsSpreadsOverEveryServer() {
        RuntimeBackend b = backend(new Balance(BalanceAlgorithm.RANDOM, "2", List.of()), null, 1, 1, 1);
        Map<String, Integer> share = new HashMap<>();
        for (int i = 0; i < 3000; i++) share.merge(b.pickBalanced().name(), 1, Integer::sum);
        assertEquals(3, share.size());
    }

    @Test
    void uriHashKeepsAPathOnOneServerAndHonoursDepth() throws Exception {
        RuntimeBackend b = backend(new Balance(BalanceAlgorithm.URI, null, List.of("depth", "1")), "consistent",
                1, 1, 1, 1, 1);
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress("10.0.0.1", 1), null);
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            String dir = "/d" + i;
            x.beginRequest(AclMatchingTest.parse(AclMatchingTest.get(dir + "/a?x=1")));
            String s1 = b.pickBalanced(null, b.hashKey(x)).name();
            x.beginRequest(AclMatchingTest.parse(AclMatchingTest.get(dir + "/b/c")));
            assertEquals(s1, b.pickBalanced(null, b.hashKey(x)).name(), "depth 1: only the first directory counts");
            first.put(dir, s1);
        }
        assertTrue(first.values().stream().distinct().count() > 1);
    }

    @Test
    void urlParamAndHeaderFallBackToRoundRobinWithoutAValue() throws Exception {
        RuntimeBackend b = backend(new Balance(BalanceAlgorithm.URL_PARAM, null, List.of("uid")), null, 1, 1);
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress("10.0.0.1", 1), null);
        x.beginRequest(AclMatchingTest.parse(AclMatchingTest.get("/?uid=42")));
        String s = b.pickBalanced(null, b.hashKey(x)).name();
        for (int i = 0; i < 5; i++) assertEquals(s, b.pickBalanced(null, b.hashKey(x)).name());
        x.beginRequest(AclMatchingTest.parse(AclMatchingTest.get("/")));
        assertEquals(RequestHash.NONE, b.hashKey(x));
        assertNotEquals(b.pickBalanced(null, b.hashKey(x)).name(), b.pickBalanced(null, b.hashKey(x)).name());
    }
}
