package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.engine.status.LatencyHistogram;
import io.tidegate.engine.status.ServerLatency;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exporter's text, read back by the Prometheus project's own text-format parser (the Python
 * client's {@code prometheus_client.parser}, Debian package python3-prometheus-client): HAProxy 2.6's
 * metric names and types (as its promex served them, captured from Debian's haproxy 2.6.12), labels
 * proxy/server/state/code, and latency histograms with buckets.
 */
class PrometheusExporterTest {

    /** One parsed sample: family, family type, sample name, labels (sorted k=v,...), value. */
    record Sample(String family, String type, String name, String labels, double value) {
    }

    static List<Sample> parse(String text) throws Exception {
        String script = String.join("\n",
                "import sys",
                "from prometheus_client.parser import text_string_to_metric_families",
                "for f in text_string_to_metric_families(sys.stdin.read()):",
                "    for s in f.samples:",
                "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
                "        print(f.name + '|' + f.type + '|' + s.name + '|' + labels + '|' + repr(float(s.value)))");
        // Debian's python3 (where apt puts python3-prometheus-client), not whatever python3 the PATH finds first
        String python = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the parser finished");
        assertEquals(0, p.exitValue(), "the Prometheus parser accepted the text:\n" + out);
        List<Sample> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split("\\|", -1);
            samples.add(new Sample(f[0], f[1], f[2], f[3], Double.parseDouble(f[4].replace("inf", "Infinity").replace("nan", "NaN"))));
        }
        return samples;
    }

    static LatencyHistogram histogram(long... cumulative) {
        List<Double> bounds = List.of(0.001, 0.01, 0.1, 1.0);
        List<Long> c = new ArrayList<>();
        for (long v : cumulative) c.add(v);
        return new LatencyHistogram(bounds, c, 0.5, cumulative[cumulative.length - 1] + 1);
    }

    static final ServerLatency LATENCY = new ServerLatency(histogram(4, 4, 4, 4), histogram(3, 4, 4, 4),
            histogram(0, 1, 3, 4), histogram(0, 1, 2, 4));

    static String exported() {
        StatsSnapshot s = StatsFixtures.snapshot(AdminState.DRAIN, 50);
        return PrometheusExporter.text(s, (b, sv) -> b.equals("app") ? Optional.of(LATENCY) : Optional.empty());
    }

    @Test
    void haproxysNamesAndTypesParseWithPrometheusParser() throws Exception {
        List<Sample> ours = parse(exported());
        // HAProxy 2.6.12's promex output: family -> type
        Map<String, String> haproxy = new LinkedHashMap<>();
        for (Sample s : parse(StatsCsvTest.resource("haproxy-2.6.12-metrics.txt"))) haproxy.put(s.family(), s.type());
        int same = 0;
        for (Sample s : ours) {
            if (s.family().endsWith("_time_seconds")) continue;     // Tidegate's histograms: HAProxy has none
            assertEquals(haproxy.get(s.family()), s.type(), "HAProxy 2.6 has " + s.family() + " with the same type");
            same++;
        }
        assertTrue(same > 50, "samples under HAProxy's names: " + same);
        assertTrue(ours.contains(new Sample("haproxy_server_status", "gauge", "haproxy_server_status",
                "proxy=app,server=b,state=DRAIN", 1.0)));
        assertTrue(ours.contains(new Sample("haproxy_server_status", "gauge", "haproxy_server_status",
                "proxy=app,server=b,state=UP", 0.0)));
        assertTrue(ours.contains(new Sample("haproxy_server_status", "gauge", "haproxy_server_status",
                "proxy=app,server=a,state=DOWN", 1.0)));
        assertTrue(ours.contains(new Sample("haproxy_frontend_sessions", "counter", "haproxy_frontend_sessions_total",
                "proxy=fe", 12.0)));
        assertTrue(ours.contains(new Sample("haproxy_backend_http_responses", "counter", "haproxy_backend_http_responses_total",
                "code=2xx,proxy=app", 14.0)));
        assertTrue(ours.contains(new Sample("haproxy_server_weight", "gauge", "haproxy_server_weight", "proxy=app,server=b", 50.0)));
    }

    @Test
    void aServerForcedToStoppingIsNolbAsInHaproxysExporterAndCsv() {
        ServerStatus u = StatsFixtures.server("c", "127.0.0.1:1", 1, false, null, true, AdminState.READY, false);
        ServerStatus stopping = u.withStopping(true);
        assertEquals("UP", PrometheusExporter.serverState(u));
        assertEquals("NOLB", PrometheusExporter.serverState(stopping));
        assertEquals("NOLB", StatRows.statusWord(stopping, Optional.empty()));
        assertEquals("NOLB", stopping.health());
        assertTrue(u.usable() && !stopping.usable(), "a stopping server takes no load-balanced traffic");
    }

    @Test
    void latencyHistogramsHaveBucketsSumAndCountPerBackendAndServer() throws Exception {
        List<Sample> ours = parse(exported());
        List<Sample> buckets = ours.stream().filter(s -> s.name().equals("haproxy_server_response_time_seconds_bucket")
                && s.labels().contains("server=a")).toList();
        assertEquals(List.of("le=0.001", "le=0.01", "le=0.1", "le=1.0", "le=+Inf"),
                buckets.stream().map(s -> s.labels().replaceAll(",?proxy=app,server=a", "").replaceAll("^,", "")).toList());
        assertEquals(List.of(0.0, 1.0, 3.0, 4.0, 5.0), buckets.stream().map(Sample::value).toList());
        assertTrue(ours.contains(new Sample("haproxy_server_response_time_seconds", "histogram",
                "haproxy_server_response_time_seconds_count", "proxy=app,server=a", 5.0)));
        assertTrue(ours.contains(new Sample("haproxy_server_response_time_seconds", "histogram",
                "haproxy_server_response_time_seconds_sum", "proxy=app,server=a", 0.5)));
        // the backend's histogram is the sum of its servers' (a and b here)
        assertTrue(ours.contains(new Sample("haproxy_backend_total_time_seconds", "histogram",
                "haproxy_backend_total_time_seconds_count", "proxy=app", 10.0)));
        for (String timer : List.of("queue", "connect", "response", "total")) {
            assertTrue(ours.stream().anyMatch(s -> s.name().equals("haproxy_backend_" + timer + "_time_seconds_bucket")), timer);
        }
    }

    @Test
    void promexQueryParametersSelectScopesAndLeaveMaintenanceOut() throws Exception {
        StatsSnapshot s = StatsFixtures.snapshot(AdminState.MAINT, 50);
        List<Sample> backendOnly = parse(PrometheusExporter.text(s, LatencyLookup.NONE,
                PrometheusExporter.Scopes.of("/metrics?scope=backend")));
        assertTrue(!backendOnly.isEmpty() && backendOnly.stream().allMatch(x -> x.family().startsWith("haproxy_backend_")));
        List<Sample> two = parse(PrometheusExporter.text(s, LatencyLookup.NONE,
                PrometheusExporter.Scopes.of("/metrics?scope=frontend&scope=server")));
        assertTrue(two.stream().anyMatch(x -> x.family().startsWith("haproxy_frontend_")));
        assertTrue(two.stream().anyMatch(x -> x.family().startsWith("haproxy_server_")));
        assertTrue(two.stream().noneMatch(x -> x.family().startsWith("haproxy_backend_")));
        assertEquals("", PrometheusExporter.text(s, LatencyLookup.NONE, PrometheusExporter.Scopes.of("/metrics?scope=")).strip());
        assertEquals("", PrometheusExporter.text(s, LatencyLookup.NONE, PrometheusExporter.Scopes.of("/metrics?scope=*&scope=")).strip(),
                "promex: an empty scope resets the ones before it");
        assertEquals(parse(PrometheusExporter.text(s, LatencyLookup.NONE, PrometheusExporter.Scopes.ALL)),
                parse(PrometheusExporter.text(s, LatencyLookup.NONE, PrometheusExporter.Scopes.of("/metrics?scope=*"))), "'*' is every scope");
        assertEquals(backendOnly, parse(PrometheusExporter.text(s, LatencyLookup.NONE,
                PrometheusExporter.Scopes.of("/metrics?scope=frontend&scope=&scope=backend"))), "later scopes add again after a reset");
        List<Sample> noMaint = parse(PrometheusExporter.text(s, LatencyLookup.NONE, PrometheusExporter.Scopes.of("/metrics?no-maint")));
        assertTrue(noMaint.stream().noneMatch(x -> x.labels().contains("server=b")), "b is in maintenance");
        assertTrue(noMaint.stream().anyMatch(x -> x.labels().contains("server=a")));
    }

    @Test
    void servedAsALocalService() throws IOException {
        var service = PrometheusExporter.service(() -> Optional.of(StatsFixtures.snapshot(AdminState.READY, 50)), LatencyLookup.NONE);
        var response = service.answer(null);
        assertEquals(200, response.status());
        assertEquals(503, PrometheusExporter.service(Optional::empty, LatencyLookup.NONE).answer(null).status());
    }
}
