package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.engine.Engine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code stats uri|auth|realm|refresh} served by the frontend itself; other requests still reach the servers. */
class StatsPageTest {
    com.sun.net.httpserver.HttpServer backend;
    Engine engine;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        backend = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        backend.createContext("/", ex -> {
            byte[] body = "from the server".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        backend.stop(0);
    }

    void startEngine(String statsLines, int servers) throws Exception {
        port = PrometheusEngineTest.freePort();
        StringBuilder cfg = new StringBuilder("listen web\n    bind 127.0.0.1:" + port + "\n    mode http\n" + statsLines);
        for (int i = 0; i < servers; i++) cfg.append("    server s").append(i).append(" 127.0.0.1:").append(backend.getAddress().getPort()).append('\n');
        engine = Engine.start(ConfigLoader.load("page.cfg", cfg.toString()).config());
        Instant started = Instant.now();
        StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "9.9", started, 1, 0, "n");
        assertEquals(1, StatsPages.install(engine, () -> Optional.of(StatsSnapshot.of(engine, HealthLookup.NONE, process, started))));
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void scopeShowNodeAndShowDescAsHaproxy() throws Exception {
        port = PrometheusEngineTest.freePort();
        int b = backend.getAddress().getPort();
        engine = Engine.start(ConfigLoader.load("page.cfg", """
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    stats uri /st
                    stats scope .
                    stats scope shown
                    stats show-node edge-1
                    stats show-desc first floor rack
                    server s0 127.0.0.1:%d
                backend shown
                    server a 127.0.0.1:%d
                backend hidden
                    server h 127.0.0.1:%d
                """.formatted(port, b, b, b)).config());
        Instant started = Instant.now();
        StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "9.9", started, 1, 0, "host");
        StatsPages.install(engine, () -> Optional.of(StatsSnapshot.of(engine, HealthLookup.NONE, process, started)));
        String csv = get("/st;csv").body();
        List<String> proxies = csv.lines().skip(1).map(l -> l.split(",")[0]).distinct().toList();
        assertEquals(List.of("web", "shown"), proxies, csv);
        String html = get("/st").body();
        assertTrue(html.contains("<p>Node: <b>edge-1</b></p>"), html);
        assertTrue(html.contains("<p>Description: first floor rack</p>"), html);
        assertTrue(html.contains("<b>shown</b>") && !html.contains("<b>hidden</b>"), html);
        assertTrue(ConfigLoader.load("x.cfg", "listen x\n    bind :1\n    stats show-node\n").config() != null);
    }

    @Test
    void signInRealmCsvAndRefresh() throws Exception {
        startEngine("    stats uri /admin?stats\n    stats realm Tidegate\\ Stats\n    stats auth ops:secret\n    stats refresh 5s\n", 2);
        HttpResponse<String> denied = get("/admin?stats");
        assertEquals(401, denied.statusCode());
        assertEquals("Basic realm=\"Tidegate Stats\"", denied.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, get("/admin?stats", "Authorization", basic("ops:wrong")).statusCode());

        HttpResponse<String> page = get("/admin?stats", "Authorization", basic("ops:secret"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<b>web</b>") && page.body().contains(">s1<"), page.body());
        assertTrue(page.body().contains("for Tidegate 9.9"));
        assertTrue(page.body().contains("<a href=\"/tidegate/\">admin app</a>"), "the page links to the admin app");
        assertEquals("5", page.headers().firstValue("Refresh").orElse(""));

        HttpResponse<String> csv = get("/admin?stats;csv;norefresh", "Authorization", basic("ops:secret"));
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().startsWith(StatColumn.headerLine() + "\nweb,FRONTEND,"), csv.body());
        assertTrue(csv.headers().firstValue("Refresh").isEmpty(), ";norefresh");

        // ;json is show stat json (HAProxy's stats_dump_json: one array of fields per row)
        HttpResponse<String> json = get("/admin?stats;json", "Authorization", basic("ops:secret"));
        assertEquals(200, json.statusCode());
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(""));
        assertTrue(json.body().startsWith("[[{\"objType\":\"Frontend\",\"proxyId\":"), json.body());
        assertTrue(json.body().contains("\"objType\":\"Server\"") && json.body().contains("\"field\":{\"pos\":1,\"name\":\"svname\"}")
                && json.body().contains("\"value\":{\"type\":\"str\",\"value\":\"s1\"}"), json.body());
        assertTrue(json.body().endsWith("]]") || json.body().endsWith("]]\n"), "one array of rows");

        HttpResponse<String> other = get("/anything");
        assertEquals("from the server", other.body(), "other paths still go to the servers");
        assertEquals(1, engine.status().backends().get(0).totalRequests(), "only /anything reached a server, the stats page never did");
    }

    @Test
    void aPageLargerThanAnIoBufferIsSentWhole() throws Exception {
        startEngine("    stats enable\n", 150);
        HttpResponse<String> csv = get("/haproxy?stats;csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().length() > 20_000, "bigger than the 16 KiB buffers: " + csv.body().length());
        assertEquals(1 + 1 + 150 + 1, csv.body().split("\n").length, "header, frontend, 150 servers, backend");
        assertTrue(csv.body().contains("\nweb,s149,"));
        assertFalse(get("/haproxy?stats").body().isEmpty());
    }
}
