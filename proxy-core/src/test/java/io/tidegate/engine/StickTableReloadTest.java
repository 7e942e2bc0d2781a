package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.StickDataType;
import io.tidegate.config.SupportedFeatures;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stick tables across a reload: the new configuration's table of a section takes over the entries of
 * the replaced one's (source affinity and rate counters survive), keeps what still fits when it was
 * redefined, and starts empty, saying why, when its keys changed. In memory, on a fake clock: the
 * reload builds the new graph beside the old one as {@link Reload} does.
 */
class StickTableReloadTest {
    private long now = 7_000_000;

    private RuntimeGraph graph(String text, RuntimeGraph previous) throws Exception {
        Config config = ConfigLoader.loadSources(List.of(new ConfigSource("t.cfg", text)), SupportedFeatures.CURRENT).config();
        return new RuntimeGraph(config, PlanBuilder.from(config), 1, previous, Map.of(), () -> now);
    }

    private static String config(String feTable, String beTable, String servers) {
        return """
                frontend fe
                    mode http
                    bind 127.0.0.1:1
                    stick-table %s
                    http-request track-sc0 src
                    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }
                    default_backend be
                backend be
                    stick-table %s
                    stick on src
                %s""".formatted(feTable, beTable, servers);
    }

    private static final String SERVERS = "    server a 127.0.0.1:9001\n    server b 127.0.0.1:9002\n    server c 127.0.0.1:9003\n";
    private static final String FE_TABLE = "type ip size 100k expire 30s store http_req_rate(10s),http_req_cnt";
    private static final String BE_TABLE = "type ip size 1k expire 30m";

    private static ExchangeFacts from(String client) {
        return new ExchangeFacts(new InetSocketAddress(client, 40000), null);
    }

    /** One request from {@code client} through the frontend's rules; its outcome (HttpRule.CONTINUE or ANSWER). */
    private static int request(RuntimeGraph g, String client) throws Exception {
        ExchangeFacts x = from(client);
        ProxyRules rules = g.frontend("fe").rules;
        x.beginRequest(AclMatchingTest.parse(AclMatchingTest.get("/")));
        if (x.tracked != null) x.tracked.requestArrived();
        int outcome = rules.runRequest(x);
        if (x.tracked != null) {
            x.tracked.exchangeEnded(100, 1000);
            x.tracked.connectionClosed();
        }
        return outcome;
    }

    /** The server the backend's stick rules send {@code client} to, storing the balancing's choice when none. */
    private static RuntimeServer serverFor(RuntimeGraph g, String client) {
        RuntimeBackend be = g.backend("be");
        ExchangeFacts x = from(client);
        RuntimeServer s = be.stuckServer(x);
        if (s == null) {
            s = be.pickBalanced();
            be.stick(x, s);
        }
        return s;
    }

    @Test
    void affinityAndRateCountersSurviveAReloadThatKeepsTheTables() throws Exception {
        RuntimeGraph before = graph(config(FE_TABLE, BE_TABLE, SERVERS), null);
        String[] clients = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"};
        String[] chosen = new String[clients.length];
        for (int i = 0; i < clients.length; i++) chosen[i] = serverFor(before, clients[i]).name();
        for (int i = 0; i < 3; i++) assertEquals(HttpRule.CONTINUE, request(before, "10.0.0.1"));

        // a server added: the tables' definitions are unchanged
        RuntimeGraph after = graph(config(FE_TABLE, BE_TABLE, SERVERS + "    server d 127.0.0.1:9004\n"), before);
        assertEquals(List.of(), after.tableNotes());
        for (int i = 0; i < clients.length; i++) {
            RuntimeServer s = serverFor(after, clients[i]);
            assertEquals(chosen[i], s.name(), clients[i] + " keeps its server");
            assertSame(after.backend("be"), s.backend(), "a server of the new configuration");
        }
        assertEquals(HttpRule.ANSWER, request(after, "10.0.0.1"), "the 4th request within 10 s, across the reload");
        // a connection still on the old configuration counts into the same table
        assertEquals(HttpRule.ANSWER, request(before, "10.0.0.1"));
        StickTable t = after.stickTable("fe");
        assertEquals(5, t.read(t.lookup("10.0.0.1"), StickDataType.HTTP_REQ_CNT));
    }

    @Test
    void aRemovedServersClientsAreBalancedAgainAndTheOthersStay() throws Exception {
        RuntimeGraph before = graph(config(FE_TABLE, BE_TABLE, SERVERS), null);
        String[] clients = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
        String[] chosen = new String[clients.length];
        for (int i = 0; i < clients.length; i++) chosen[i] = serverFor(before, clients[i]).name();
        RuntimeGraph after = graph(config(FE_TABLE, BE_TABLE,
                "    server c 127.0.0.1:9003\n    server a 127.0.0.1:9001\n"), before);
        for (int i = 0; i < clients.length; i++) {
            RuntimeBackend be = after.backend("be");
            RuntimeServer stuck = be.stuckServer(from(clients[i]));
            if (chosen[i].equals("b")) assertNull(stuck, clients[i] + ": its server b is gone");
            else assertEquals(chosen[i], stuck.name(), clients[i] + ": same server, by name, in a new order");
        }
    }

    @Test
    void aRedefinedTableKeepsTheMostRecentlyUsedEntriesThatFitAndTheDataItStillStores() throws Exception {
        RuntimeGraph before = graph(config(FE_TABLE, BE_TABLE, SERVERS), null);
        for (int i = 1; i <= 3; i++) {
            for (int n = 0; n < i; n++) request(before, "10.0.1." + i);
            now += 1_000;
        }
        RuntimeGraph after = graph(config("type ip size 2 expire 1m store http_req_cnt,gpc0", BE_TABLE, SERVERS), before);
        StickTable t = after.stickTable("fe");
        assertEquals(2, t.used());
        assertNull(t.lookup("10.0.1.1"), "the least recently used entry did not fit");
        assertEquals(3, t.read(t.lookup("10.0.1.3"), StickDataType.HTTP_REQ_CNT));
        assertEquals(2, t.read(t.lookup("10.0.1.2"), StickDataType.HTTP_REQ_CNT));
        assertEquals(0, t.read(t.lookup("10.0.1.2"), StickDataType.GPC0), "a newly stored type starts at 0");
        assertEquals(60_000, t.remainingMs(t.lookup("10.0.1.2")), "expire rearmed with the new one");
        assertTrue(after.tableNotes().get(0).contains("stick-table fe redefined: 2 entries kept, 1 least recently used dropped"),
                after.tableNotes().toString());
    }

    @Test
    void aTableWhoseKeysChangedStartsEmptyAndTheReloadSaysWhy() throws Exception {
        RuntimeGraph before = graph(config(FE_TABLE, BE_TABLE, SERVERS), null);
        request(before, "10.0.0.1");
        serverFor(before, "10.0.0.1");
        RuntimeGraph after = graph(config("type string len 16 size 1k store http_req_cnt", BE_TABLE, SERVERS), before);
        assertEquals(0, after.stickTable("fe").used());
        assertEquals(List.of("stick-table fe starts empty (type changed from ip to string; 1 entries not kept)"),
                after.tableNotes());
        assertNotNull(after.backend("be").stuckServer(from("10.0.0.1")), "the backend's table was kept");
    }
}
