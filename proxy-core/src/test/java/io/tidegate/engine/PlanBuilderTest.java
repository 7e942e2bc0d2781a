package io.tidegate.engine;

import java.time.Duration;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigException;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.config.ProxySettings;
import io.tidegate.config.SupportedFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer adding a setting relies on: a keyword written in the configuration reaches the
 * field of the compiled {@link EnginePlan} that the engine reads; a keyword written nowhere takes
 * the one built-in value ({@link ProxySettings#BUILT_IN}); a {@code defaults} section's value
 * reaches the proxies after it, and a proxy's own value wins over it.
 */
class PlanBuilderTest {
    /** Health checks run in ejb-control; the plan only carries the server lines. */
    private static final SupportedFeatures FEATURES = SupportedFeatures.CURRENT.with("server check", "mode tcp");

    private static EnginePlan plan(String text) throws ConfigException, EngineException {
        Config config = ConfigLoader.loadSources(List.of(new ConfigSource("plan.cfg", text)), FEATURES).config();
        return PlanBuilder.from(config);
    }

    private static EnginePlan.Backend backend(EnginePlan plan, String name) {
        return plan.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static EnginePlan.Frontend frontend(EnginePlan plan, String name) {
        return plan.frontends().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSettingWrittenNowhereTakesTheBuiltInValue() throws Exception {
        EnginePlan plan = plan("""
                frontend web
                    bind 127.0.0.1:8080
                    default_backend app
                backend app
                    server s1 127.0.0.1:9000
                """);
        ProxySettings builtIn = ProxySettings.BUILT_IN;
        EnginePlan.Backend app = backend(plan, "app");
        assertEquals(builtIn.retries(), app.retries(), "retries");
        assertEquals(builtIn.balance().algorithm().keyword(), app.balance(), "balance");
        assertEquals(builtIn.connectionMode(), app.connectionMode(), "connection mode");
        assertFalse(app.redispatch(), "option redispatch is off unless written");
        assertFalse(app.persist(), "option persist is off unless written");
        assertFalse(app.allBackups(), "option allbackups is off unless written");
        assertNull(app.cookie(), "no cookie line: no persistence");
        assertNull(app.forwardFor(), "no option forwardfor");
        assertEquals(0, app.redispatchDrainedMs(), "drained servers keep their clients");
        assertFalse(app.queue().abortOnClose(), "option abortonclose is off unless written");

        EnginePlan.Frontend web = frontend(plan, "web");
        assertEquals(builtIn.mode().keyword(), web.mode(), "mode");
        assertEquals(builtIn.maxconn(), web.maxConnections(), "a frontend's maxconn");
        assertEquals(builtIn.connectionMode(), web.connectionMode(), "connection mode");
        assertEquals("app", web.backend());
        assertFalse(web.accessLog(), "no option httplog/tcplog: no access log");
        assertEquals(MonitorRule.NONE, web.monitor());
        assertEquals(io.tidegate.config.GlobalSection.DEFAULT_HTTP_MAXHDR, web.maxHeaders(), "tune.http.maxhdr");

        // no timeout written: none in force (0), and the queue waits as long as a connect may take
        for (io.tidegate.config.Timeouts t : List.of(web.timeouts(), app.timeouts())) {
            assertEquals(0, io.tidegate.config.Timeouts.ms(t.connect()));
            assertEquals(0, io.tidegate.config.Timeouts.ms(t.client()));
            assertEquals(0, io.tidegate.config.Timeouts.ms(t.server()));
            assertEquals(0, io.tidegate.config.Timeouts.tunnelMs(t, t));
            assertEquals(t.connect(), t.effectiveQueue());
        }
        assertEquals(0, plan.maxConnections(), "no global maxconn: unlimited");
        assertEquals(EnginePlan.Rules.NONE, plan.backendRulesOf("app"), "nothing to compile for a plain roundrobin backend");
    }

    @Test
    void aDefaultsSectionReachesTheProxiesAfterItAndAProxysOwnValueWins() throws Exception {
        EnginePlan plan = plan("""
                defaults
                    mode http
                    retries 5
                    option redispatch
                    timeout connect 3s
                    timeout server 20s
                frontend web
                    bind 127.0.0.1:8080
                    default_backend inherits
                backend inherits
                    server s1 127.0.0.1:9000
                backend overrides
                    retries 1
                    no option redispatch
                    timeout connect 2s
                    server s1 127.0.0.1:9001
                """);
        EnginePlan.Backend inherits = backend(plan, "inherits");
        assertEquals(5, inherits.retries());
        assertTrue(inherits.redispatch());
        assertEquals(Duration.ofMillis(3_000), inherits.timeouts().connect());
        assertEquals(Duration.ofMillis(20_000), inherits.timeouts().server());
        assertEquals("http", frontend(plan, "web").mode());

        EnginePlan.Backend overrides = backend(plan, "overrides");
        assertEquals(1, overrides.retries());
        assertFalse(overrides.redispatch());
        assertEquals(Duration.ofMillis(2_000), overrides.timeouts().connect());
        assertEquals(Duration.ofMillis(20_000), overrides.timeouts().server(), "a timeout not written here still comes from defaults");
    }

    @Test
    void eachWrittenSettingReachesItsPlanField() throws Exception {
        EnginePlan plan = plan("""
                global
                    maxconn 500
                    tune.http.maxhdr 64
                frontend web
                    mode http
                    bind 127.0.0.1:8080
                    maxconn 100
                    option httplog
                    option httpclose
                    option forwardfor except 10.0.0.0/8
                    timeout client 30s
                    timeout http-request 4s
                    timeout http-keep-alive 2s
                    monitor-uri /alive
                    default_backend app
                backend app
                    mode http
                    balance leastconn
                    retries 2
                    option persist
                    option allbackups
                    option abortonclose
                    option redispatch-drained 1500ms
                    fullconn 40
                    timeout connect 1s
                    timeout server 25s
                    timeout queue 6s
                    timeout tunnel 1h
                    cookie SRV insert indirect nocache
                    server s1 127.0.0.1:9000 weight 7 cookie a maxconn 10 minconn 2 maxqueue 5 slowstart 2s
                    server s2 127.0.0.1:9001 backup
                """);
        assertEquals(500, plan.maxConnections(), "global maxconn");

        EnginePlan.Frontend web = frontend(plan, "web");
        assertEquals(100, web.maxConnections());
        assertTrue(web.accessLog());
        assertEquals(io.tidegate.config.ConnectionMode.CLOSE, web.connectionMode());
        assertNotNull(web.forwardFor());
        assertEquals(1, web.forwardFor().except().size(), "the except network");
        assertEquals(Duration.ofMillis(30_000), web.timeouts().client());
        assertEquals(Duration.ofMillis(4_000), web.timeouts().httpRequest());
        assertEquals(Duration.ofMillis(2_000), web.timeouts().httpKeepAlive());
        assertFalse(web.monitor().isNone(), "monitor-uri");
        assertFalse(web.monitor().hasNets(), "no monitor-net");
        assertEquals(64, web.maxHeaders());
        assertEquals(List.of(new java.net.InetSocketAddress("127.0.0.1", 8080)), web.binds());

        EnginePlan.Backend app = backend(plan, "app");
        assertEquals("leastconn", app.balance());
        assertEquals(2, app.retries());
        assertTrue(app.persist());
        assertTrue(app.allBackups());
        assertTrue(app.queue().abortOnClose());
        assertEquals(40, app.queue().fullconn());
        assertEquals(1_500, app.redispatchDrainedMs());
        assertEquals(Duration.ofMillis(1_000), app.timeouts().connect());
        assertEquals(Duration.ofMillis(25_000), app.timeouts().server());
        assertEquals(Duration.ofMillis(6_000), app.timeouts().effectiveQueue());
        assertEquals(Duration.ofMillis(3_600_000), app.timeouts().tunnel());

        CookieSpec cookie = app.cookie();
        assertEquals("SRV", cookie.name());
        assertEquals(CookieMode.INSERT, cookie.mode());
        assertTrue(cookie.indirect());
        assertTrue(cookie.nocache());
        assertFalse(cookie.postonly());

        EnginePlan.Server s1 = app.servers().get(0);
        assertEquals("s1", s1.name());
        assertEquals(new java.net.InetSocketAddress("127.0.0.1", 9000), s1.address());
        assertEquals(7, s1.weight());
        assertFalse(s1.backup());
        assertEquals("a", s1.cookie());
        assertEquals(10, s1.limits().maxconn());
        assertEquals(2, s1.limits().minconn());
        assertEquals(5, s1.limits().maxqueue());
        assertEquals(2_000, s1.slowstartMs());
        assertTrue(app.servers().get(1).backup(), "s2 backup");
        assertEquals(io.tidegate.config.BalanceAlgorithm.LEASTCONN, plan.backendRulesOf("app").balance().algorithm(),
                "a balance other than roundrobin is compiled with the proxy's rules");
    }

    @Test
    void aWitherChangesOneComponentAndKeepsTheRecordsChecks() throws Exception {
        EnginePlan.Backend app = backend(plan("""
                backend app
                    server s1 127.0.0.1:9000
                """), "app");
        EnginePlan.Backend more = app.withRetries(app.retries() + 4);
        assertEquals(app.retries() + 4, more.retries());
        assertEquals(app.withRetries(app.retries()), app, "every other component is kept");
        assertThrows(IllegalArgumentException.class, () -> app.withRedispatchDrainedMs(-1),
                "the generated wither goes through the record's own checks");
        assertEquals(EnginePlan.QueuePolicy.DEFAULT, app.withQueue(null).queue(), "and its defaults");
    }
}
