package io.tidegate.engine;

import io.tidegate.http.HttpSyntax;
import io.tidegate.http.RequestHead;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How an external monitor (an L4 balancer in front, a health checker) sees that Tidegate is up,
 * without reaching a server: {@code monitor-uri URI} (HTTP mode: a request for URI is answered
 * 200 here, never forwarded, not logged, as HAProxy 2.x does) and {@code monitor-net NET} (a
 * connection from NET gets {@code HTTP/1.0 200 OK} in HTTP mode, or is just closed in TCP mode,
 * before anything is read; never forwarded nor logged, as HAProxy 1.x documented). With
 * {@code monitor fail if|unless COND} the monitor-uri request is answered 503 while COND applies
 * ({@link #answer}), e.g. when {@code nbsrv(app)} drops below a threshold.
 */
public final class MonitorRule {
    public static final MonitorRule NONE = new MonitorRule(null, List.of());

    /** HAProxy's answer to a monitor-net connection in HTTP mode, before closing. */
    static final byte[] MONITOR_NET_HTTP = "HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** The answer to a monitor-uri request. */
    static final LocalResponse MONITOR_URI_OK = LocalResponse.of(200, "OK",
            Map.of("Content-Type", "text/html", "Cache-Control", "no-cache"),
            "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n".getBytes(StandardCharsets.ISO_8859_1));

    private final byte[] uri;
    private final List<NetworkRange> nets;

    /** @param uri null = no monitor-uri */
    public MonitorRule(String uri, List<NetworkRange> nets) {
        this.uri = uri == null ? null : uri.getBytes(StandardCharsets.ISO_8859_1);
        this.nets = List.copyOf(nets);
    }

    public boolean isNone() {
        return uri == null && nets.isEmpty();
    }

    public boolean hasNets() {
        return !nets.isEmpty();
    }

    /** A connection from this address is a monitor's probe. */
    boolean isMonitorNet(InetAddress client) {
        for (NetworkRange n : nets) {
            if (n.contains(client)) return true;
        }
        return false;
    }

    /** The request asks for the monitor URI (exact match of the request target, as HAProxy compares it). */
    boolean isMonitorUri(RequestHead req) {
        return uri != null && HttpSyntax.equalsExact(req.buffer(), req.targetStart(), req.targetEnd(), uri);
    }

    /**
     * The answer to a monitor-uri request: 503 (HAProxy's "Service Unavailable", or the frontend's
     * {@code errorfile 503}) when one of the frontend's {@code monitor fail} rules applies, else 200.
     * {@code rules} are the frontend's own, {@code facts} null when it has none.
     */
    static LocalResponse answer(ProxyRules rules, ExchangeFacts facts, RequestHead req) {
        if (rules == null || facts == null || !rules.hasMonitorFail()) return MONITOR_URI_OK;
        facts.beginRequest(req);
        return rules.monitorFails(facts) ? LocalResponse.SERVICE_UNAVAILABLE : MONITOR_URI_OK;
    }

    @Override
    public String toString() {
        return "monitor-uri " + (uri == null ? "-" : new String(uri, StandardCharsets.ISO_8859_1)) + " monitor-net " + nets;
    }
}
