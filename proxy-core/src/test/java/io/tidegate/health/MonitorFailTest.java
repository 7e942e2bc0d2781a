package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code monitor fail if|unless COND} with real servers going down: an L4 balancer in front probes
 * {@code monitor-uri} and must see 503 once the farm behind can no longer serve (HAProxy's
 * "monitor fail if site_dead" with {@code nbsrv}). Health checks are run by hand, as in
 * {@link EngineHealthChecksTest}.
 */
class MonitorFailTest {

    private Engine engine;
    private TestHttpBackend a;
    private TestHttpBackend b;
    private HttpClient client;

    @BeforeEach
    void setUp() {
        a = new TestHttpBackend();
        a.body.set("A");
        b = new TestHttpBackend();
        b.body.set("B");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void tearDown() {
        if (engine != null) engine.close();
        a.close();
        b.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void checkNow(EngineHealthChecks checks, String server) throws Exception {
        checks.check(new ServerKey("app", server)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void monitorUriTurns503WhenTheFarmBehindIsDownAnd200WhenItComesBack() throws Exception {
        int www = freePort();
        int strict = freePort();
        engine = Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("monitor.cfg", """
                frontend www
                    bind 127.0.0.1:%d
                    mode http
                    acl site_dead nbsrv(app) lt 1
                    monitor-uri /site_alive
                    monitor fail if site_dead
                    default_backend app
                frontend strict
                    bind 127.0.0.1:%d
                    mode http
                    monitor-uri /site_alive
                    monitor fail unless { nbsrv(app) ge 2 }
                    errorfile 503 %s
                    default_backend app
                backend app
                    mode http
                    option httpchk GET /running
                    timeout connect 2s
                    server a 127.0.0.1:%d check inter 2s rise 1 fall 1
                    server b 127.0.0.1:%d check inter 2s rise 1 fall 1
                """.formatted(www, strict, errorfile(), a.address().getPort(), b.address().getPort()))),
                SupportedFeatures.CURRENT).config());
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);

        HttpResponse<String> up = get(www, "/site_alive");
        assertEquals(200, up.statusCode());
        assertEquals(200, get(strict, "/site_alive").statusCode());
        assertEquals(0, a.requests.get() + b.requests.get(), "the monitor's requests never reach a server");

        a.close();                       // a real server goes away: its check fails to connect
        checkNow(checks, "a");
        assertEquals(1, engine.usableServers("app", false));
        assertEquals(200, get(www, "/site_alive").statusCode(), "one server left: www still reports the site alive");
        HttpResponse<String> degraded = get(strict, "/site_alive");
        assertEquals(503, degraded.statusCode(), "strict wants both servers");
        assertEquals("farm degraded\n", degraded.body(), "errorfile 503 of the frontend, as HAProxy's doc says");
        assertEquals("B", get(www, "/page").body(), "ordinary requests still go to the server left");

        b.status.set(500);               // the last server fails its check
        checkNow(checks, "b");
        assertEquals(0, engine.usableServers("app", false));
        HttpResponse<String> dead = get(www, "/site_alive");
        assertEquals(503, dead.statusCode());
        assertTrue(dead.body().contains("503 Service Unavailable"), dead.body());

        b.status.set(200);               // and comes back
        checkNow(checks, "b");
        assertEquals(200, get(www, "/site_alive").statusCode());
        assertEquals(503, get(strict, "/site_alive").statusCode(), "still only one of two");
    }

    private static String errorfile() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("monitor-503", ".http");
        f.toFile().deleteOnExit();
        java.nio.file.Files.writeString(f, "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 14\r\nConnection: close\r\n\r\nfarm degraded\n");
        return f.toString();
    }
}
