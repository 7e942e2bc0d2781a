package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;

import io.tidegate.engine.status.FrontendStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A frontend at run time with the settings its sessions apply, already combined with its
 * backend's (options set on either side apply, as in HAProxy).
 */
final class RuntimeFrontend {
    private final EnginePlan.Frontend plan;
    private final RuntimeBackend backend;
    final ConnectionMode connectionMode;
    final ForwardForRule forwardFor;
    /** "X-Forwarded-For: " in bytes, or null when forwardfor is off. */
    final byte[] forwardForPrefix;
    final byte[] forwardForLowerName;
    final long clientTimeoutMs;
    final long serverTimeoutMs;
    final long connectTimeoutMs;
    final int retries;
    /** option httplog / tcplog / log-format: one access-log line per request (per session in TCP mode). */
    final boolean accessLog;
    /** The access log (format and sinks); set once before the listeners open. */
    AccessLog log;
    /** {@code global maxconn}'s count, for %ac (actconn); set with {@link #log}. */
    private ConnectionLimit processLimit;
    /** {@code monitor-uri} / {@code monitor-net}, null when neither is set (nothing to check per request). */
    final MonitorRule monitor;
    /** {@code capture cookie NAME len N}: NAME's bytes and N, or null / 0. */
    final byte[] captureCookieName;
    final int captureCookieLength;
    /** {@code tune.http.maxhdr}. */
    final int maxHeaders;
    final boolean redispatch;
    /** Time for a whole request head, and idle time between requests (both fall back to the client timeout). */
    final long httpRequestTimeoutMs;
    final long keepAliveTimeoutMs;
    /** The longest a request waits for a server slot ({@code timeout queue}, else connect), 0 = no limit. */
    final long queueTimeoutMs;
    /** Idle time of a tunnel (TCP mode, after 101): {@code timeout tunnel}, else the larger of client and server. */
    final long tunnelTimeoutMs;
    /** How often a session's timer looks at its timeouts: a quarter of the shortest, 5..1000 ms; 0 = none set. */
    final long timerTickMs;
    /** option abortonclose: a queued request whose client closed is dropped. */
    final boolean abortOnClose;
    /** Requests answered locally (the stats page), null when none: one null check per request. */
    volatile LocalRoute localRoute;
    /** This frontend's {@code maxconn} over all its listeners. */
    private final ConnectionLimit connectionLimit;
    private final AtomicLong currentSessions = new AtomicLong();
    private final AtomicLong totalSessions = new AtomicLong();
    private final EventRate sessionRate = new EventRate();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder requestErrors = new LongAdder();

    RuntimeFrontend(EnginePlan.Frontend plan, RuntimeBackend backend) {
        this(plan, backend, null);
    }

    /**
     * @param previous the frontend of the same name in the graph a reload replaces, or null: its
     *                 connection limit (with the connections counted in it) carries over
     */
    RuntimeFrontend(EnginePlan.Frontend plan, RuntimeBackend backend, RuntimeFrontend previous) {
        this.plan = plan;
        this.backend = backend;
        ConnectionMode mode = plan.connectionMode();
        ForwardForRule ff = plan.forwardFor();
        EnginePlan.Timeouts bt = plan.timeouts();
        int r = 3;
        boolean redisp = false;
        boolean abort = false;
        if (backend != null) {
            if (rank(backend.plan().connectionMode()) > rank(mode)) mode = backend.plan().connectionMode();
            if (ff == null) ff = backend.plan().forwardFor();
            bt = backend.plan().timeouts();
            r = backend.plan().retries();
            redisp = backend.plan().redispatch();
            abort = backend.plan().queue().abortOnClose();
        }
        this.connectionMode = mode;
        this.forwardFor = ff;
        this.forwardForPrefix = ff == null ? null : (ff.header() + ": ").getBytes(StandardCharsets.ISO_8859_1);
        this.forwardForLowerName = ff == null ? null
                : ff.header().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
        this.clientTimeoutMs = plan.timeouts().clientMs();
        this.serverTimeoutMs = bt.serverMs();
        this.connectTimeoutMs = bt.connectMs();
        this.retries = Math.max(0, r);
        this.accessLog = plan.accessLog();
        this.monitor = plan.monitor().isNone() ? null : plan.monitor();
        this.maxHeaders = plan.maxHeaders();
        var capture = plan.log().captureCookie();
        this.captureCookieName = capture == null ? null : capture.name().getBytes(StandardCharsets.ISO_8859_1);
        this.captureCookieLength = capture == null ? 0 : capture.length();
        this.redispatch = redisp;
        EnginePlan.Timeouts ft = plan.timeouts();
        this.httpRequestTimeoutMs = ft.httpRequestMs() > 0 ? ft.httpRequestMs() : ft.clientMs();
        this.keepAliveTimeoutMs = ft.httpKeepAliveMs() > 0 ? ft.httpKeepAliveMs() : httpRequestTimeoutMs;
        this.queueTimeoutMs = bt.effectiveQueueMs();
        this.tunnelTimeoutMs = bt.tunnelMs() > 0 ? bt.tunnelMs() : Math.max(clientTimeoutMs, serverTimeoutMs);
        this.abortOnClose = abort;
        if (previous != null) {
            this.connectionLimit = previous.connectionLimit;
            connectionLimit.setMax(plan.maxConnections());
            // the stats page stays served across the switch; the reload's observers then install what
            // the new configuration says (io.tidegate.stats.StatsPages)
            this.localRoute = previous.localRoute;
        } else {
            this.connectionLimit = new ConnectionLimit(plan.maxConnections());
        }
        this.timerTickMs = timerTick(clientTimeoutMs, serverTimeoutMs, connectTimeoutMs, httpRequestTimeoutMs,
                keepAliveTimeoutMs, queueTimeoutMs, tunnelTimeoutMs);
    }

    /** A quarter of the shortest timeout set (0 = unset), bounded to 5..1000 ms; 0 when none is set. */
    private static long timerTick(long... timeoutsMs) {
        long min = Long.MAX_VALUE;
        for (long t : timeoutsMs) {
            if (t > 0 && t < min) min = t;
        }
        return min == Long.MAX_VALUE ? 0 : Math.max(5, Math.min(1000, min / 4));
    }

    /** How strongly a mode closes connections (options on frontend and backend: the stricter wins). */
    private static int rank(ConnectionMode m) {
        return switch (m) {
            case KEEP_ALIVE -> 0;
            case SERVER_CLOSE -> 1;
            case CLOSE -> 2;
        };
    }

    void useLogging(AccessLog log, ConnectionLimit processLimit) {
        this.log = log;
        this.processLimit = processLimit;
    }

    /** Whether this exchange's line will be written: httplog/tcplog/log-format on and a sink listening. */
    boolean logs() {
        return accessLog && log != null && log.enabled();
    }

    /** %ac: client connections of the whole engine. */
    int processConnections() {
        return processLimit == null ? 0 : processLimit.current();
    }

    EnginePlan.Frontend plan() { return plan; }
    String name() { return plan.name(); }
    RuntimeBackend backend() { return backend; }
    ConnectionLimit connectionLimit() { return connectionLimit; }

    void sessionOpened() {
        currentSessions.incrementAndGet();
        totalSessions.incrementAndGet();
        sessionRate.tick();
    }

    void bytesIn(long n) {
        bytesIn.add(n);
    }

    void bytesOut(long n) {
        bytesOut.add(n);
    }

    /** A request rejected as malformed before reaching any server. */
    void requestError() {
        requestErrors.increment();
    }

    void sessionClosed() {
        currentSessions.decrementAndGet();
    }

    /** A keep-alive session of the graph a reload replaced now runs its requests here. */
    void sessionMovedIn() {
        currentSessions.incrementAndGet();
    }

    /** Client sessions that run on this frontend now (%fc in the access log). */
    long currentSessions() {
        return currentSessions.get();
    }

    /** @param bound the addresses actually bound (real ports when the plan said 0) */
    FrontendStatus status(List<InetSocketAddress> bound) {
        List<String> binds = new ArrayList<>();
        for (InetSocketAddress a : bound) binds.add(Listener.format(a));
        return new FrontendStatus(plan.name(), binds, plan.mode(), currentSessions.get(), totalSessions.get(),
                sessionRate.perSecond(), bytesIn.sum(), bytesOut.sum(), requestErrors.sum());
    }
}
