package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import io.tidegate.engine.Engine;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health checks bound to a real engine started from configuration text: a server that fails its checks
 * gets no new traffic, comes back when it passes them, keeps its health across a reload when its check
 * did not change, and {@code option persist} / {@code option redispatch} behave as the seed guide's
 * soft stop (§4.1) needs. Checks are started by hand here; ejb-control's timers start them when deployed.
 */
class EngineHealthChecksTest {

    private final List<Engine> engines = new ArrayList<>();
    private final List<TestHttpBackend> backends = new ArrayList<>();
    private HttpClient client;
    private LogCapture log;

    @BeforeEach
    void setUp() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        log = new LogCapture(HealthCheckService.LOG_CATEGORY);
    }

    @AfterEach
    void tearDown() {
        engines.forEach(Engine::close);
        backends.forEach(TestHttpBackend::close);
        log.close();
    }

    private TestHttpBackend backend(String name) {
        TestHttpBackend b = new TestHttpBackend();
        b.body.set(name);
        backends.add(b);
        return b;
    }

    private Engine start(String text) throws Exception {
        Engine e = Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("test.cfg", text)),
                SupportedFeatures.CURRENT).config());
        engines.add(e);
        return e;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The seed's §4.1 farm reduced to two servers, with rise 1 / fall 1 so one check decides. */
    private static String farm(int port, TestHttpBackend a, TestHttpBackend b, String extra, String inter) {
        return """
                listen farm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    option httpchk HEAD /running HTTP/1.0
                    timeout connect 2s
                    server webA 127.0.0.1:%d cookie A check inter %s rise 1 fall 1
                    server webB 127.0.0.1:%d cookie B check inter %s rise 1 fall 1
                %s
                """.formatted(port, a.address().getPort(), inter, b.address().getPort(), inter, extra);
    }

    private String get(int port, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static CheckOutcome checkNow(EngineHealthChecks checks, String backend, String server) throws Exception {
        return checks.check(new ServerKey(backend, server)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aServerFailingItsCheckGetsNoNewTrafficUntilItPassesAgain() throws Exception {
        TestHttpBackend a = backend("A");
        TestHttpBackend b = backend("B");
        int port = freePort();
        Engine engine = start(farm(port, a, b, "", "2s"));
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        assertEquals(List.of(new ServerKey("farm", "webA"), new ServerKey("farm", "webB")), checks.servers());

        a.status.set(404);   // the check file is gone
        CheckOutcome down = checkNow(checks, "farm", "webA");
        assertTrue(down.changedUpDown() && !down.after().isUp(), down.toString());
        assertEquals(1, engine.usableServers("farm", false), "one normal server left");
        int aBefore = a.requests.get();
        for (int i = 0; i < 6; i++) {
            assertEquals("B", get(port, null), "request " + i);
        }
        assertEquals(aBefore, a.requests.get(), "no request reached the down server");
        assertTrue(log.lines.stream().anyMatch(l -> l.message().equals(
                        "Server farm/webA is DOWN, reason: Layer7 wrong status, code: 404, info: \"Not Found\", "
                                + "check duration: " + down.result().duration().toMillis() + "ms. "
                                + "1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.")),
                log.lines.toString());

        a.status.set(200);
        CheckOutcome up = checkNow(checks, "farm", "webA");
        assertTrue(up.changedUpDown() && up.after().isUp(), up.toString());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(get(port, null));
        }
        assertTrue(seen.contains("A") && seen.contains("B"), "both serve again: " + seen);
        assertEquals(2, log.lines.stream().filter(l -> l.message().startsWith("Server farm/webA is ")).count(),
                "one line per transition: " + log.lines);
    }

    @Test
    void reloadKeepsTheHealthOfServersWhoseCheckDidNotChange() throws Exception {
        TestHttpBackend a = backend("A");
        TestHttpBackend b = backend("B");
        int port = freePort();
        Engine first = start(farm(port, a, b, "", "2s"));
        EngineHealthChecks checks = EngineHealthChecks.start(first, HealthSnapshot.EMPTY);
        a.status.set(404);
        checkNow(checks, "farm", "webA");
        HealthSnapshot kept = checks.snapshot();
        first.close();

        Engine same = start(farm(port, a, b, "", "2s"));
        EngineHealthChecks again = EngineHealthChecks.start(same, kept);
        assertFalse(again.state(new ServerKey("farm", "webA")).orElseThrow().isUp(), "still down after the reload");
        assertEquals(1, same.usableServers("farm", false), "the new engine knows it before any check");
        for (int i = 0; i < 4; i++) {
            assertEquals("B", get(port, null));
        }
        HealthSnapshot keptAgain = again.snapshot();
        same.close();

        Engine changed = start(farm(port, a, b, "", "3s"));   // inter changed: the check starts afresh
        EngineHealthChecks fresh = EngineHealthChecks.start(changed, keptAgain);
        assertTrue(fresh.state(new ServerKey("farm", "webA")).orElseThrow().isUp());
        assertEquals(2, changed.usableServers("farm", false));
    }

    @Test
    void aSeamlessReloadRestartsOnlyTheChecksThatChanged() throws Exception {
        TestHttpBackend a = backend("A");
        TestHttpBackend b = backend("B");
        int port = freePort();
        Engine engine = start(farm(port, a, b, "", "2s"));
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        a.status.set(404);
        checkNow(checks, "farm", "webA");
        b.status.set(404);
        checkNow(checks, "farm", "webB");
        assertEquals(0, engine.usableServers("farm", false));
        // webA keeps its check; webB's inter changes
        String next = farm(port, a, b, "", "2s").replace("webB 127.0.0.1:" + b.address().getPort() + " cookie B check inter 2s",
                "webB 127.0.0.1:" + b.address().getPort() + " cookie B check inter 3s");
        engine.reload(ConfigLoader.loadSources(List.of(new ConfigSource("test.cfg", next)), SupportedFeatures.CURRENT).config());
        EngineHealthChecks.Reloaded r = checks.reload();
        assertEquals(List.of(new ServerKey("farm", "webB")), r.started());
        assertEquals(List.of(), r.removed());
        assertEquals(1, r.unchanged());
        assertFalse(checks.state(new ServerKey("farm", "webA")).orElseThrow().isUp(), "webA's check goes on: still down");
        assertTrue(checks.state(new ServerKey("farm", "webB")).orElseThrow().isUp(),
                "webB's changed check starts afresh (as after a restart)");
        assertEquals(1, engine.usableServers("farm", false), "webA's carried-over DOWN stays, webB is up afresh");
        assertEquals("B", get(port, null));
        a.status.set(200);
        checkNow(checks, "farm", "webA");
        assertEquals(2, engine.usableServers("farm", false), "the kept check still drives the reloaded engine");

        String withoutB = farm(port, a, b, "", "2s").replaceAll("(?m)^\\s*server webB .*$", "");
        engine.reload(ConfigLoader.loadSources(List.of(new ConfigSource("test.cfg", withoutB)), SupportedFeatures.CURRENT).config());
        EngineHealthChecks.Reloaded gone = checks.reload();
        assertEquals(List.of(new ServerKey("farm", "webB")), gone.removed());
        assertEquals(List.of(new ServerKey("farm", "webA")), checks.servers());
    }

    @Test
    void optionPersistKeepsCookieClientsOnADownServerAndRedispatchMovesThemWhenItIsGone() throws Exception {
        TestHttpBackend a = backend("A");
        TestHttpBackend b = backend("B");
        int port = freePort();
        Engine engine = start(farm(port, a, b, "    option persist\n    option redispatch", "2s"));
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        a.status.set(404);   // soft stop: the check file is removed, the server still serves
        checkNow(checks, "farm", "webA");
        assertEquals(1, engine.usableServers("farm", false));

        assertEquals("A", get(port, "SERVERID=A"), "a client of webA still reaches it (option persist)");
        for (int i = 0; i < 4; i++) {
            assertEquals("B", get(port, null), "new clients go elsewhere");
        }

        a.close();           // the server is stopped completely
        assertEquals("B", get(port, "SERVERID=A"), "connect fails: redispatched (option redispatch)");
    }

    @Test
    void withoutPersistACookieOfADownServerGoesElsewhere() throws Exception {
        TestHttpBackend a = backend("A");
        TestHttpBackend b = backend("B");
        int port = freePort();
        Engine engine = start(farm(port, a, b, "", "2s"));
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        a.status.set(404);
        checkNow(checks, "farm", "webA");
        int aBefore = a.requests.get();
        assertEquals("B", get(port, "SERVERID=A"));
        assertEquals(aBefore, a.requests.get());
    }

    @Test
    void everyCheckFeatureOfThisPackageValidates() {
        for (String f : ServerChecks.FEATURES) {
            assertTrue(SupportedFeatures.CURRENT.isSupported(f), f);
        }
    }
}
