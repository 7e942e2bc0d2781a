package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rate limiting rules on the engine's stick-table clock, driven by a fake clock: the request rate a
 * deny rule reads, its fall over HAProxy's sliding period, and expiry of idle entries, without
 * sleeping and without sockets (the rules of the runtime graph run on parsed request heads).
 */
class StickCounterRulesTest {
    private long now = 5_000_000;

    private RuntimeGraph graph(String text) throws Exception {
        Config config = ConfigLoader.loadSources(List.of(new ConfigSource("t.cfg", text)), SupportedFeatures.CURRENT).config();
        return new RuntimeGraph(config, PlanBuilder.from(config), 1, null, Map.of(), () -> now);
    }

    /** One request from {@code client} through the frontend's request rules; its outcome (HttpRule.CONTINUE or ANSWER). */
    private static int request(RuntimeGraph g, String client, String path) throws Exception {
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress(client, 40000), null);
        ProxyRules rules = g.frontend("fe").rules;
        if (rules.hasTcpRules() && !rules.acceptsConnection(x)) return -1;
        if (x.tracked != null) x.tracked.sessionAccepted();
        x.beginRequest(AclMatchingTest.parse(AclMatchingTest.get(path)));
        if (x.tracked != null) x.tracked.requestArrived();
        int outcome = rules.runRequest(x);
        if (outcome == HttpRule.ANSWER && x.denied && x.tracked != null) x.tracked.httpError();
        if (x.tracked != null) {
            x.tracked.exchangeEnded(100, 1000);
            x.tracked.connectionClosed();
        }
        return outcome;
    }

    private static final String CONFIG = """
            frontend fe
                mode http
                bind 127.0.0.1:1
                stick-table type ip size 100k expire 30s store http_req_rate(10s),http_req_cnt,bytes_in_cnt,bytes_out_rate(10s),conn_cur
                http-request track-sc0 src
                http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }
                default_backend be
            backend be
                server s 127.0.0.1:9
            """;

    @Test
    void theRateADenyRuleReadsSlidesOverThePeriod() throws Exception {
        RuntimeGraph g = graph(CONFIG);
        for (int i = 1; i <= 3; i++) assertEquals(HttpRule.CONTINUE, request(g, "10.0.0.1", "/"), "request " + i);
        assertEquals(HttpRule.ANSWER, request(g, "10.0.0.1", "/"), "the 4th within 10 s");
        assertEquals(HttpRule.CONTINUE, request(g, "10.0.0.2", "/"), "another client has its own rate");
        now += 9_999;
        assertEquals(HttpRule.ANSWER, request(g, "10.0.0.1", "/"), "same period: 6 requests");
        now += 7_501;    // 7.5 s into the next period: 6 * 2500 / 10000 = 1, +1 now = 2
        assertEquals(HttpRule.CONTINUE, request(g, "10.0.0.1", "/"));
        StickTable t = g.stickTable("fe");
        StickTable.Entry e = t.lookup("10.0.0.1");
        assertEquals(2, t.read(e, io.tidegate.config.StickDataType.HTTP_REQ_RATE));
        assertEquals(6, t.read(e, io.tidegate.config.StickDataType.HTTP_REQ_CNT), "every request counted, denied or not");
        assertEquals(600, t.read(e, io.tidegate.config.StickDataType.BYTES_IN_CNT));
        assertEquals(0, t.read(e, io.tidegate.config.StickDataType.CONN_CUR));
    }

    @Test
    void idleEntriesExpireAndTheirCountsStartAgain() throws Exception {
        RuntimeGraph g = graph(CONFIG);
        for (int i = 0; i < 4; i++) request(g, "10.0.0.1", "/");
        StickTable t = g.stickTable("fe");
        assertEquals(1, t.used());
        now += 29_999;
        assertEquals(1, t.used());
        now += 1;
        assertNull(t.lookup("10.0.0.1"), "30 s after its last use");
        assertEquals(HttpRule.CONTINUE, request(g, "10.0.0.1", "/"));
        assertEquals(1, t.read(t.lookup("10.0.0.1"), io.tidegate.config.StickDataType.HTTP_REQ_CNT), "a new entry");
    }

    @Test
    void aConnectionLimitCountsConcurrentTrackers() throws Exception {
        RuntimeGraph g = graph("""
                frontend fe
                    mode http
                    bind 127.0.0.1:1
                    stick-table type ip size 1k expire 10s store conn_cur,conn_rate(1s),sess_cnt
                    tcp-request connection track-sc0 src
                    tcp-request connection reject if { sc0_conn_cur gt 2 } || { sc0_conn_rate gt 5 }
                    default_backend be
                backend be
                    server s 127.0.0.1:9
                """);
        ProxyRules rules = g.frontend("fe").rules;
        ExchangeFacts[] open = new ExchangeFacts[3];
        for (int i = 0; i < 3; i++) {
            open[i] = new ExchangeFacts(new InetSocketAddress("10.0.0.9", 40000 + i), null);
            boolean accepted = rules.acceptsConnection(open[i]);
            assertEquals(i < 2, accepted, "connection " + (i + 1));
            if (accepted) open[i].tracked.sessionAccepted();
        }
        StickTable t = g.stickTable("fe");
        StickTable.Entry e = t.lookup("10.0.0.9");
        assertEquals(3, t.read(e, io.tidegate.config.StickDataType.CONN_CUR), "the rejected one is still open");
        assertEquals(2, t.read(e, io.tidegate.config.StickDataType.SESS_CNT), "sessions: accepted connections only");
        for (ExchangeFacts x : open) x.tracked.connectionClosed();
        assertEquals(0, t.read(e, io.tidegate.config.StickDataType.CONN_CUR));
        now += 2_000;
        ExchangeFacts again = new ExchangeFacts(new InetSocketAddress("10.0.0.9", 40010), null);
        assertEquals(true, rules.acceptsConnection(again));
    }
}
