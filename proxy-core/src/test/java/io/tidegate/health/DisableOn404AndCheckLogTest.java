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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http-check disable-on-404} (a running server answering 404 takes no new load-balanced traffic
 * but keeps its cookie holders, HAProxy's NOLB), {@code option log-health-checks} (one line per change
 * of the check status, in HAProxy's words) and {@code http-check send} (the request the check sends).
 */
class DisableOn404AndCheckLogTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TestHttpBackend a = new TestHttpBackend();
    private final TestHttpBackend b = new TestHttpBackend();
    private final LogCapture log = new LogCapture(HealthCheckService.LOG_CATEGORY);
    private Engine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) engine.close();
        a.close();
        b.close();
        log.close();
    }

    private int start(String extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        a.body.set("A");
        b.body.set("B");
        String text = """
                listen farm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    option httpchk GET /health
                    timeout connect 2s
                %s
                    server webA 127.0.0.1:%d cookie A check rise 1 fall 2
                    server webB 127.0.0.1:%d cookie B check rise 1 fall 2
                """.formatted(port, extra, a.address().getPort(), b.address().getPort());
        engine = Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("t.cfg", text)),
                SupportedFeatures.CURRENT).config());
        return port;
    }

    private String get(int port, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) r.header("Cookie", cookie);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static CheckOutcome checkNow(EngineHealthChecks checks, String server) throws Exception {
        return checks.check(new ServerKey("farm", server)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void a404TakesTheServerOutOfBalancingButKeepsItsCookieHolders() throws Exception {
        int port = start("    http-check disable-on-404\n    option log-health-checks\n");
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        a.status.set(404);
        CheckOutcome soft = checkNow(checks, "webA");
        assertEquals(CheckStatus.L7OKC, soft.result().status());
        assertTrue(soft.after().isUp(), "a 404 keeps a running server up");
        for (int i = 0; i < 6; i++) {
            assertEquals("B", get(port, null), "no new load-balanced request goes to the soft-stopped server");
        }
        assertEquals("A", get(port, "SERVERID=A"), "a client holding its cookie is still served");
        assertTrue(log.lines.stream().anyMatch(l -> l.message().equals("Health check for server farm/webA "
                        + "conditionally succeeded, reason: Layer7 check conditionally passed, code: 404, info: "
                        + "\"Not Found\", check duration: " + soft.result().duration().toMillis()
                        + "ms, status: 2/2 UP.")), log.lines.toString());

        a.status.set(200);
        CheckOutcome back = checkNow(checks, "webA");
        assertEquals(CheckStatus.L7OK, back.result().status());
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) seen.add(get(port, null));
        assertTrue(seen.contains("A") && seen.contains("B"), "a 200 puts it back at once: " + seen);
    }

    @Test
    void aStoppedServerAnswering404StaysStopped() throws Exception {
        start("    http-check disable-on-404\n");
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        a.status.set(500);
        checkNow(checks, "webA");
        CheckOutcome down = checkNow(checks, "webA");
        assertFalse(down.after().isUp());
        a.status.set(404);
        CheckOutcome still = checkNow(checks, "webA");
        assertFalse(still.after().isUp(), "HAProxy: a stopped server stays stopped even if it replies 404s");
        assertEquals(1, engine.usableServers("farm", false));
    }

    @Test
    void logHealthChecksLogsEveryStatusChangeWithTheCounter() throws Exception {
        start("    option log-health-checks\n");
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        CheckOutcome passed = checkNow(checks, "webA");
        assertTrue(log.lines.stream().anyMatch(l -> l.message().equals("Health check for server farm/webA succeeded, "
                        + "reason: Layer7 check passed, code: 200, check duration: "
                        + passed.result().duration().toMillis() + "ms, status: 2/2 UP.")), log.lines.toString());
        a.status.set(503);
        CheckOutcome first = checkNow(checks, "webA");
        assertTrue(first.after().isUp(), "fall 2: one failure leaves a fully up server up");
        assertTrue(log.lines.stream().anyMatch(l -> l.message().startsWith("Health check for server farm/webA failed, "
                        + "reason: Layer7 wrong status, code: 503") && l.message().endsWith(", status: 1/2 UP.")),
                log.lines.toString());
        CheckOutcome second = checkNow(checks, "webA");
        assertFalse(second.after().isUp());
        assertTrue(log.lines.stream().anyMatch(l -> l.message().endsWith(", status: 0/1 DOWN.")), log.lines.toString());
        assertTrue(log.lines.stream().anyMatch(l -> l.message().startsWith("Server farm/webA is DOWN")),
                "the transition line is still written: " + log.lines);
    }

    @Test
    void withoutTheOptionOnlyTransitionsAreLogged() throws Exception {
        start("");
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        a.status.set(503);
        checkNow(checks, "webA");
        assertTrue(log.lines.stream().noneMatch(l -> l.message().startsWith("Health check for")), log.lines.toString());
    }

    @Test
    void httpCheckSendWritesTheRequestOfTheCheck() {
        io.tidegate.config.HealthCheck check = io.tidegate.config.HealthCheck.http(null, "/old", null);
        HttpCheckRequest r = HttpCheckRequest.of(check, new io.tidegate.config.HttpCheckSend("GET", "/health",
                "HTTP/1.1", List.of("Host: example.com"), null));
        assertEquals("GET /health HTTP/1.1\r\nHost: example.com\r\n\r\n",
                new String(r.toBytes(), StandardCharsets.ISO_8859_1));
        HttpCheckRequest withBody = HttpCheckRequest.of(check, new io.tidegate.config.HttpCheckSend(null, null,
                null, List.of(), "ping"));
        assertEquals("OPTIONS /old HTTP/1.0\r\ncontent-length: 4\r\n\r\nping",
                new String(withBody.toBytes(), StandardCharsets.ISO_8859_1), "option httpchk fills what send leaves out");
    }
}
