package io.tidegate.stats;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.LocalResponse;
import io.tidegate.engine.LocalService;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.LatencyHistogram;
import io.tidegate.engine.status.ResponseCounts;
import io.tidegate.engine.status.ServerLatency;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.health.CheckStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HAProxy's Prometheus exporter ({@code http-request use-service prometheus-exporter}) for
 * Tidegate: the metric names and labels of HAProxy 2.6's promex ({@code haproxy_frontend_*},
 * {@code haproxy_backend_*}, {@code haproxy_server_*} with {@code proxy}, {@code server},
 * {@code state}, {@code code}) for every figure Tidegate has, plus what HAProxy lacks: latency
 * histograms per backend and server ({@code haproxy_backend_response_time_seconds_bucket} ...) for
 * queue, connect, response and total time. A metric Tidegate has no figure for is left out, never
 * reported as 0. Written in Prometheus' text format by the Prometheus Java client's writer.
 */
public final class PrometheusExporter {
    /** The name HAProxy's configuration uses: {@code http-request use-service prometheus-exporter}. */
    public static final String SERVICE_NAME = "prometheus-exporter";
    /** Prometheus' text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final List<String> SERVER_STATES = List.of("DOWN", "UP", "MAINT", "DRAIN", "NOLB");
    private static final List<String> CHECK_STATES = List.of("HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK",
            "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK");
    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    private PrometheusExporter() {
    }

    /** The exporter as a service the engine answers requests with. */
    public static LocalService service(Supplier<Optional<StatsSnapshot>> snapshots, LatencyLookup latency) {
        return request -> {
            Optional<StatsSnapshot> s = snapshots.get();
            if (s.isEmpty()) return LocalResponse.SERVICE_UNAVAILABLE;
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", CONTENT_TYPE);
            headers.put("Cache-Control", "no-cache");
            String target = request == null ? "/" : request.target();
            return LocalResponse.of(200, "OK", headers, text(s.get(), latency, Scopes.of(target)).getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * The exporter of one running engine, what {@code http-request use-service prometheus-exporter}
     * answers with (the engine looks it up by {@link #SERVICE_NAME}). Each request takes a fresh
     * snapshot; it runs on the IO thread that received the request and does not block.
     */
    public static LocalService forEngine(io.tidegate.engine.Engine engine) {
        java.time.Instant started = java.time.Instant.now();
        StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "", started, engine.ioThreadCount(), 0, "");
        return service(() -> Optional.of(StatsSnapshot.of(engine, HealthLookup.NONE, process, started)), engine::serverLatency);
    }

    /**
     * promex's query parameters: {@code scope=frontend|backend|server|global|listener|sticktable|*}
     * (repeatable, in order; an empty {@code scope=} drops what the earlier ones selected) and {@code no-maint} (servers in
     * maintenance left out). Without {@code scope}, everything.
     */
    public record Scopes(boolean frontend, boolean backend, boolean server, boolean noMaint) {
        public static final Scopes ALL = new Scopes(true, true, true, false);

        /** From a request target such as {@code /metrics?scope=backend&scope=server}. */
        public static Scopes of(String target) {
            int q = target.indexOf('?');
            if (q < 0) return ALL;
            boolean any = false, fe = false, be = false, sv = false, noMaint = false;
            for (String param : target.substring(q + 1).split("&")) {
                if (param.equals("no-maint")) noMaint = true;
                if (!param.startsWith("scope=")) continue;
                any = true;
                switch (param.substring(6)) {
                    case "frontend" -> fe = true;
                    case "backend" -> be = true;
                    case "server" -> sv = true;
                    case "*", "all" -> fe = be = sv = true;      // promex 2.6 writes '*'
                    case "" -> fe = be = sv = false;             // resets what came before; later scopes add again
                    default -> { }      // global, listener, sticktable: Tidegate has no such metrics
                }
            }
            return any ? new Scopes(fe, be, sv, noMaint) : new Scopes(true, true, true, noMaint);
        }

        boolean includes(String family) {
            if (family.startsWith("haproxy_frontend_")) return frontend;
            if (family.startsWith("haproxy_backend_")) return backend;
            if (family.startsWith("haproxy_server_")) return server;
            return true;
        }
    }

    /** The metrics in Prometheus' text format. */
    public static String text(StatsSnapshot s, LatencyLookup latency) {
        return text(s, latency, Scopes.ALL);
    }

    /** The metrics of the selected scopes in Prometheus' text format. */
    public static String text(StatsSnapshot s, LatencyLookup latency, Scopes scopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            MetricSnapshots all = metrics(s, latency, scopes.noMaint());
            List<MetricSnapshot> kept = new ArrayList<>();
            for (MetricSnapshot m : all) if (scopes.includes(m.getMetadata().getName())) kept.add(m);
            PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(kept));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The metric families, frontends first, then backends, then servers (promex's order). */
    public static MetricSnapshots metrics(StatsSnapshot s, LatencyLookup latency) {
        return metrics(s, latency, false);
    }

    private static MetricSnapshots metrics(StatsSnapshot s, LatencyLookup latency, boolean noMaint) {
        List<MetricSnapshot> m = new ArrayList<>();
        List<StatsSnapshot.Proxy> fronts = s.proxies().stream().filter(p -> p.frontend() != null).toList();
        List<StatsSnapshot.Proxy> backs = s.proxies().stream().filter(p -> p.backend() != null).toList();

        m.add(gauge("haproxy_frontend_current_sessions", "Number of current sessions on the frontend", fronts,
                p -> p.frontend().currentSessions()));
        m.add(gauge("haproxy_frontend_limit_sessions", "Configured session limit (maxconn) of the frontend",
                fronts.stream().filter(p -> p.maxconn() > 0).toList(), StatsSnapshot.Proxy::maxconn));
        m.add(counter("haproxy_frontend_sessions", "Total number of sessions since the engine started", fronts,
                p -> p.frontend().totalSessions()));
        m.add(counter("haproxy_frontend_bytes_in", "Total number of request bytes", fronts, p -> p.frontend().bytesIn()));
        m.add(counter("haproxy_frontend_bytes_out", "Total number of response bytes", fronts, p -> p.frontend().bytesOut()));
        m.add(counter("haproxy_frontend_request_errors", "Total number of invalid requests", fronts,
                p -> p.frontend().requestErrors()));
        m.add(counter("haproxy_frontend_requests_denied", "Total number of denied requests", fronts,
                p -> p.frontend().deniedRequests()));
        m.add(counter("haproxy_frontend_denied_connections",
                "Total number of incoming connections blocked on a listener/frontend by a tcp-request connection rule",
                fronts, p -> p.frontend().deniedConnections()));
        m.add(counter("haproxy_frontend_denied_sessions",
                "Total number of incoming sessions blocked on a listener/frontend by a tcp-request session rule",
                fronts, p -> 0));
        GaugeSnapshot.Builder feStatus = GaugeSnapshot.builder().name("haproxy_frontend_status")
                .help("Current status of the frontend (UP while it accepts)");
        for (StatsSnapshot.Proxy p : fronts) {
            feStatus.dataPoint(point(Labels.of("proxy", p.name(), "state", "DOWN"), 0));
            feStatus.dataPoint(point(Labels.of("proxy", p.name(), "state", "UP"), 1));
        }
        m.add(feStatus.build());
        m.add(counter("haproxy_frontend_connections", "Total number of accepted connections", fronts,
                p -> p.frontend().totalConnections()));
        List<StatsSnapshot.Proxy> httpFronts = fronts.stream()
                .filter(p -> p.frontend().responses() != null && !"tcp".equals(p.mode())).toList();
        m.add(responses("haproxy_frontend_http_responses", "Total number of HTTP responses by status class", httpFronts,
                p -> ResponseCounts.of(p.frontend().responses()), p -> Labels.of("proxy", p.name())));

        m.add(gauge("haproxy_backend_current_queue", "Number of requests waiting for a server slot", backs, p -> p.backend().queued()));
        m.add(gauge("haproxy_backend_current_sessions", "Number of requests in progress on the backend's servers", backs,
                p -> p.backend().currentRequests()));
        m.add(counter("haproxy_backend_sessions", "Total number of requests sent to the backend's servers", backs,
                p -> p.backend().totalRequests()));
        m.add(counter("haproxy_backend_bytes_in", "Total number of request bytes", backs, p -> sum(p.backend(), ServerStatus::bytesIn)));
        m.add(counter("haproxy_backend_bytes_out", "Total number of response bytes", backs, p -> sum(p.backend(), ServerStatus::bytesOut)));
        m.add(counter("haproxy_backend_connection_errors", "Total number of failed connection attempts", backs,
                p -> sum(p.backend(), ServerStatus::connectErrors)));
        m.add(counter("haproxy_backend_retry_warnings", "Total number of connection retries", backs,
                p -> sum(p.backend(), ServerStatus::retries)));
        m.add(counter("haproxy_backend_redispatch_warnings", "Total number of requests redispatched to another server", backs,
                p -> sum(p.backend(), ServerStatus::redispatches)));
        GaugeSnapshot.Builder beStatus = GaugeSnapshot.builder().name("haproxy_backend_status")
                .help("Current status of the backend (UP while a server can take traffic)");
        for (StatsSnapshot.Proxy p : backs) {
            boolean up = p.backend().usableServers(false) + p.backend().usableServers(true) > 0;
            beStatus.dataPoint(point(Labels.of("proxy", p.name(), "state", "DOWN"), up ? 0 : 1));
            beStatus.dataPoint(point(Labels.of("proxy", p.name(), "state", "UP"), up ? 1 : 0));
        }
        m.add(beStatus.build());
        m.add(gauge("haproxy_backend_weight", "Sum of the weights of the servers taking traffic", backs, p -> backendWeight(p.backend())));
        m.add(gauge("haproxy_backend_active_servers", "Number of active servers taking traffic", backs,
                p -> p.backend().usableServers(false)));
        m.add(gauge("haproxy_backend_backup_servers", "Number of backup servers taking traffic", backs,
                p -> p.backend().usableServers(true)));
        m.add(responses("haproxy_backend_http_responses", "Total number of HTTP responses by status class", backs,
                p -> backendResponses(p.backend()), p -> Labels.of("proxy", p.name())));
        m.add(counter("haproxy_backend_http_requests", "Total number of HTTP requests", backs, p -> p.backend().totalRequests()));
        m.addAll(backendHistograms(backs, latency));

        List<ServerRef> servers = new ArrayList<>();
        for (StatsSnapshot.Proxy p : backs) {
            for (ServerStatus sv : p.backend().servers()) {
                if (!noMaint || sv.adminState() != AdminState.MAINT) servers.add(new ServerRef(p, sv));
            }
        }
        m.add(gauge("haproxy_server_current_queue", "Number of requests waiting for this server", servers, r -> r.sv.queued()));
        m.add(gauge("haproxy_server_current_sessions", "Number of requests in progress on the server", servers,
                r -> r.sv.currentRequests()));
        m.add(gauge("haproxy_server_max_sessions", "Highest number of requests in progress at once", servers, r -> r.sv.maxRequests()));
        m.add(gauge("haproxy_server_limit_sessions", "Current concurrency limit of the server (maxconn)",
                servers.stream().filter(r -> r.sv.limit() > 0).toList(), r -> r.sv.limit()));
        m.add(counter("haproxy_server_sessions", "Total number of requests sent to the server", servers, r -> r.sv.totalRequests()));
        m.add(counter("haproxy_server_bytes_in", "Total number of request bytes", servers, r -> r.sv.bytesIn()));
        m.add(counter("haproxy_server_bytes_out", "Total number of response bytes", servers, r -> r.sv.bytesOut()));
        m.add(counter("haproxy_server_connection_errors", "Total number of failed connection attempts", servers,
                r -> r.sv.connectErrors()));
        m.add(counter("haproxy_server_retry_warnings", "Total number of connection retries", servers, r -> r.sv.retries()));
        m.add(counter("haproxy_server_redispatch_warnings", "Total number of requests redispatched away from the server",
                servers, r -> r.sv.redispatches()));
        GaugeSnapshot.Builder svStatus = GaugeSnapshot.builder().name("haproxy_server_status")
                .help("Current status of the server (DOWN, UP, MAINT, DRAIN, NOLB)");
        for (ServerRef r : servers) {
            String state = serverState(r.sv);
            for (String st : SERVER_STATES) svStatus.dataPoint(point(r.labels("state", st), st.equals(state) ? 1 : 0));
        }
        m.add(svStatus.build());
        m.add(gauge("haproxy_server_weight", "Current weight of the server", servers, r -> r.sv.weight()));
        m.add(gauge("haproxy_server_uweight", "Weight of the server set by the operator", servers, r -> r.sv.weight()));
        List<ServerRef> checked = servers.stream().filter(r -> checkStatus(r.sv) != null).toList();
        GaugeSnapshot.Builder check = GaugeSnapshot.builder().name("haproxy_server_check_status")
                .help("Status of the last health check (HAProxy's check status names)");
        for (ServerRef r : checked) {
            String st = checkStatus(r.sv);
            for (String c : CHECK_STATES) check.dataPoint(point(r.labels("state", c), c.equals(st) ? 1 : 0));
        }
        m.add(check.build());
        m.add(gaugeD("haproxy_server_check_duration_seconds", "Duration of the last health check",
                checked.stream().filter(r -> r.sv.lastCheckMillis() >= 0).toList(), r -> r.sv.lastCheckMillis() / 1000.0));
        m.add(responses("haproxy_server_http_responses", "Total number of HTTP responses by status class", servers,
                r -> r.sv.responses(), r -> r.labels()));
        m.addAll(serverHistograms(servers, latency));
        return new MetricSnapshots(m);
    }

    private record ServerRef(StatsSnapshot.Proxy proxy, ServerStatus sv) {
        Labels labels() {
            return Labels.of("proxy", proxy.name(), "server", sv.name());
        }

        Labels labels(String name, String value) {
            return Labels.of("proxy", proxy.name(), "server", sv.name(), name, value);
        }
    }

    /** promex's server state: MAINT, DRAIN, DOWN, NOLB (up but stopping), or UP. */
    static String serverState(ServerStatus sv) {
        if (sv.adminState() == AdminState.MAINT) return "MAINT";
        if (!sv.up()) return "DOWN";
        if (sv.adminState() == AdminState.DRAIN) return "DRAIN";
        if (sv.stopping()) return "NOLB";
        return "UP";
    }

    /** The last check's status name from its text ({@code L7OK 200 OK} → {@code L7OK}); null before the first. */
    static String checkStatus(ServerStatus sv) {
        String t = sv.lastCheck();
        if (t == null || t.isBlank()) return null;
        String word = t.strip().split("\\s+")[0];
        for (CheckStatus c : CheckStatus.values()) if (c.name().equals(word)) return word;
        return null;
    }

    private static long sum(BackendStatus b, java.util.function.ToLongFunction<ServerStatus> f) {
        return b.servers().stream().mapToLong(f).sum();
    }

    private static long backendWeight(BackendStatus b) {
        boolean normal = b.usableServers(false) > 0;
        return b.servers().stream().filter(sv -> sv.usable() && sv.backup() != normal).mapToLong(ServerStatus::weight).sum();
    }

    private static ResponseCounts backendResponses(BackendStatus b) {
        long[] r = new long[6];
        for (ServerStatus sv : b.servers()) {
            ResponseCounts c = sv.responses();
            r[0] += c.other();
            r[1] += c.informational();
            r[2] += c.success();
            r[3] += c.redirection();
            r[4] += c.clientError();
            r[5] += c.serverError();
        }
        return ResponseCounts.of(r);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double v) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(v).build();
    }

    private static <T> GaugeSnapshot gauge(String name, String help, List<T> items, java.util.function.ToLongFunction<T> value) {
        return gaugeD(name, help, items, t -> (double) value.applyAsLong(t));
    }

    private static <T> GaugeSnapshot gaugeD(String name, String help, List<T> items, java.util.function.ToDoubleFunction<T> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (T t : items) b.dataPoint(point(labelsOf(t), value.applyAsDouble(t)));
        return b.build();
    }

    private static Labels labelsOf(Object t) {
        if (t instanceof ServerRef r) return r.labels();
        return Labels.of("proxy", ((StatsSnapshot.Proxy) t).name());
    }

    /** A counter; the writer appends {@code _total} as HAProxy's names have it. */
    private static <T> CounterSnapshot counter(String name, String help, List<T> items, java.util.function.ToLongFunction<T> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (T t : items) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labelsOf(t)).value(value.applyAsLong(t)).build());
        }
        return b.build();
    }

    private static <T> CounterSnapshot responses(String name, String help, List<T> items, Function<T, ResponseCounts> counts,
                                                 Function<T, Labels> labels) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (T t : items) {
            ResponseCounts r = counts.apply(t);
            long[] v = {r.informational(), r.success(), r.redirection(), r.clientError(), r.serverError(), r.other()};
            for (int i = 0; i < CODES.length; i++) {
                b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels.apply(t).add("code", CODES[i])).value(v[i]).build());
            }
        }
        return b.build();
    }

    private static final String[] TIMERS = {"queue", "connect", "response", "total"};
    private static final String[] TIMER_HELP = {
        "Time requests waited for a server slot (0 when not queued)",
        "Time to obtain a server connection (about 0 for a reused keep-alive connection)",
        "Time from the request sent to the server until its response head arrived",
        "Time from the request received until the end of the exchange"};

    private static LatencyHistogram timer(ServerLatency l, int i) {
        return switch (i) {
            case 0 -> l.queue();
            case 1 -> l.connect();
            case 2 -> l.response();
            default -> l.total();
        };
    }

    private static List<MetricSnapshot> backendHistograms(List<StatsSnapshot.Proxy> backs, LatencyLookup latency) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (int i = 0; i < TIMERS.length; i++) {
            HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("haproxy_backend_" + TIMERS[i] + "_time_seconds")
                    .help(TIMER_HELP[i] + ", per backend (Tidegate)");
            boolean any = false;
            for (StatsSnapshot.Proxy p : backs) {
                ServerLatency total = null;
                for (ServerStatus sv : p.backend().servers()) {
                    Optional<ServerLatency> l = latency.latency(p.name(), sv.name());
                    if (l.isPresent()) total = total == null ? l.get() : total.plus(l.get());
                }
                if (total == null) continue;
                h.dataPoint(histogramPoint(Labels.of("proxy", p.name()), timer(total, i)));
                any = true;
            }
            if (any) out.add(h.build());
        }
        return out;
    }

    private static List<MetricSnapshot> serverHistograms(List<ServerRef> servers, LatencyLookup latency) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (int i = 0; i < TIMERS.length; i++) {
            HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("haproxy_server_" + TIMERS[i] + "_time_seconds")
                    .help(TIMER_HELP[i] + ", per server (Tidegate)");
            boolean any = false;
            for (ServerRef r : servers) {
                Optional<ServerLatency> l = latency.latency(r.proxy.name(), r.sv.name());
                if (l.isEmpty()) continue;
                h.dataPoint(histogramPoint(r.labels(), timer(l.get(), i)));
                any = true;
            }
            if (any) out.add(h.build());
        }
        return out;
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(Labels labels, LatencyHistogram h) {
        int n = h.upperBoundsSeconds().size();
        double[] bounds = new double[n + 1];
        long[] counts = new long[n + 1];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            bounds[i] = h.upperBoundsSeconds().get(i);
            counts[i] = h.cumulativeCounts().get(i) - previous;
            previous = h.cumulativeCounts().get(i);
        }
        bounds[n] = Double.POSITIVE_INFINITY;
        counts[n] = h.count() - previous;
        return HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(h.sumSeconds()).build();
    }
}
