package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.engine.Engine;
import io.tidegate.engine.LocalResponse;
import io.tidegate.engine.Settled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exporter of a running engine after real traffic: histograms count the exchanges the servers answered. */
class PrometheusEngineTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The exporter's samples of the engine as it is now. */
    private static List<PrometheusExporterTest.Sample> samples(Engine engine) {
        try {
            return PrometheusExporterTest.parse(PrometheusExporter.text(
                StatsSnapshot.of(engine, HealthLookup.NONE, new StatsSnapshot.Process("Tidegate", "t",
                        java.time.Instant.now(), 1, 0, "n"), java.time.Instant.now()), engine::serverLatency));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void histogramsCountTheExchangesOfARunningEngine() throws Exception {
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        backend.createContext("/", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        int port = freePort();
        try (Engine engine = Engine.start(ConfigLoader.load("p.cfg", """
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    server s1 127.0.0.1:%d
                """.formatted(port, backend.getAddress().getPort())).config())) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 7; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("ok", r.body());
            }
            LocalResponse answer = PrometheusExporter.forEngine(engine).answer(null);
            assertEquals(200, answer.status());
            List<PrometheusExporterTest.Sample> expected = new java.util.ArrayList<>();
            for (String timer : List.of("queue", "connect", "response", "total")) {
                expected.add(new PrometheusExporterTest.Sample("haproxy_server_" + timer + "_time_seconds", "histogram",
                        "haproxy_server_" + timer + "_time_seconds_count", "proxy=web,server=s1", 7.0));
                expected.add(new PrometheusExporterTest.Sample("haproxy_backend_" + timer + "_time_seconds", "histogram",
                        "haproxy_backend_" + timer + "_time_seconds_bucket", "le=+Inf,proxy=web", 7.0));
            }
            expected.add(new PrometheusExporterTest.Sample("haproxy_server_http_responses", "counter",
                    "haproxy_server_http_responses_total", "code=2xx,proxy=web,server=s1", 7.0));
            // an exchange is recorded when it ends on the proxy, which may be just after the client read its answer
            var samples = Settled.await(() -> samples(engine), s -> s.containsAll(expected));
            for (PrometheusExporterTest.Sample sample : expected) assertTrue(samples.contains(sample), sample.toString());
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aFrontendAndABackendOfOneNameAreLabelledByTheirNameInTheirOwnFamilies() throws Exception {
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        backend.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        backend.start();
        int port = freePort();
        try (Engine engine = Engine.start(ConfigLoader.load("p.cfg", """
                frontend www
                    bind 127.0.0.1:%d
                    mode http
                    default_backend www
                backend www
                    mode http
                    server s1 127.0.0.1:%d
                """.formatted(port, backend.getAddress().getPort())).config())) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            // the frontend counts a response when its exchange ends, which may be just after the client read it
            java.util.function.Predicate<PrometheusExporterTest.Sample> threeSuccesses = x -> x.name().equals("haproxy_frontend_http_responses_total")
                    && x.labels().equals("code=2xx,proxy=www") && x.value() == 3.0;
            var samples = Settled.await(() -> samples(engine), s -> s.stream().anyMatch(threeSuccesses));
            for (String family : List.of("haproxy_frontend_sessions", "haproxy_backend_sessions", "haproxy_backend_active_servers")) {
                List<PrometheusExporterTest.Sample> www = samples.stream()
                        .filter(x -> x.family().equals(family) && x.labels().equals("proxy=www")).toList();
                assertEquals(1, www.size(), family + " has one sample for www: " + www);
            }
            assertTrue(samples.contains(new PrometheusExporterTest.Sample("haproxy_backend_active_servers", "gauge",
                    "haproxy_backend_active_servers", "proxy=www", 1.0)), samples.toString());
            assertTrue(samples.stream().anyMatch(threeSuccesses), samples.toString());
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void frontendCountsEveryResponseItSentByClass() throws Exception {
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        backend.createContext("/", ex -> {
            int code = ex.getRequestURI().getPath().equals("/missing") ? 404 : 200;
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        int port = freePort();
        try (Engine engine = Engine.start(ConfigLoader.load("p.cfg", """
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    server s1 127.0.0.1:%d
                """.formatted(port, backend.getAddress().getPort())).config())) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/", "/", "/", "/missing")) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            }
            try (java.net.Socket bad = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {   // answered 400 by the proxy
                bad.getOutputStream().write("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                bad.setSoTimeout(10_000);
                assertTrue(new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400"));
            }
            StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "t", java.time.Instant.now(), 1, 0, "n");
            String[] row = null;
            for (int i = 0; i < 1000; i++) {     // an exchange is counted when it ends on the proxy
                row = StatsCsv.format(StatRows.all(StatsSnapshot.of(engine, HealthLookup.NONE, process, java.time.Instant.now())))
                        .lines().filter(l -> l.startsWith("web,FRONTEND,")).findFirst().orElseThrow().split(",", -1);
                if (row[StatColumn.HRSP_2XX].equals("3") && row[StatColumn.HRSP_4XX].equals("2")) break;
                Thread.sleep(10);
            }
            assertEquals(List.of("0", "3", "0", "2", "0", "0"), List.of(row[StatColumn.HRSP_1XX], row[StatColumn.HRSP_2XX],
                    row[StatColumn.HRSP_3XX], row[StatColumn.HRSP_4XX], row[StatColumn.HRSP_5XX], row[StatColumn.HRSP_OTHER]),
                    "the server's 3 x 200 and 404, and the proxy's own 400");
            var samples = PrometheusExporterTest.parse(PrometheusExporter.text(
                    StatsSnapshot.of(engine, HealthLookup.NONE, process, java.time.Instant.now()), engine::serverLatency));
            assertTrue(samples.contains(new PrometheusExporterTest.Sample("haproxy_frontend_http_responses", "counter",
                    "haproxy_frontend_http_responses_total", "code=4xx,proxy=web", 2.0)), samples.toString());
            assertTrue(samples.contains(new PrometheusExporterTest.Sample("haproxy_frontend_http_responses", "counter",
                    "haproxy_frontend_http_responses_total", "code=2xx,proxy=web", 3.0)), samples.toString());
        } finally {
            backend.stop(0);
        }
    }
}
