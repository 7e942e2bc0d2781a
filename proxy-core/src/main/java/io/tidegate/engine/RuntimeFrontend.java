package io.tidegate.engine;

import io.tidegate.config.Timeouts;
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
    /*
     * The timeouts in force, in milliseconds (0 = none), computed once per graph from the plan's
     * Timeouts; HAProxy's fallback rules live in io.tidegate.config.Timeouts only.
     */
    /** Time for a whole request head, and idle time between requests. */
    final long httpRequestTimeoutMs;
    /**
     * How long a body is waited for when the backend's option http-buffer-request asks: the backend's
     * timeout http-request, else the client timeout (HAProxy 2.6 reads s->be's, and a client read timeout ends it too).
     */
    final long backendBodyWaitTimeoutMs;
    final long keepAliveTimeoutMs;
    /** The longest a request waits for a server slot, 0 = no limit. */
    final long queueTimeoutMs;
    /** Idle time of a tunnel (TCP mode, after 101). */
    final long tunnelTimeoutMs;
    /** Idle time of a tunnel once one direction is shut (a FIN relayed). */
    final long halfClosedTimeoutMs;
    /** How often a session's timer looks at its timeouts: a quarter of the shortest, 5..1000 ms; 0 = none set. */
    final long timerTickMs;
    /** option abortonclose: a queued request whose client closed is dropped. */
    final boolean abortOnClose;
    /**
     * {@code option http-buffer-request} in the frontend: a request's body is waited for before the
     * frontend's request rules run (set once while the graph is built, see {@link #waitForBody}).
     */
    private boolean frontendWaitsForBody;
    /** The option in this route's backend only: the body is waited for after the route is chosen, before the backend's rules. */
    private boolean backendWaitsForBody;
    /** Requests answered locally (the stats page), null when none: one null check per request. */
    volatile LocalRoute localRoute;
    /** This frontend's {@code maxconn} over all its listeners. */
    private final ConnectionLimit connectionLimit;
    private final AtomicLong currentSessions;
    private final AtomicLong totalSessions;
    private final EventRate sessionRate;
    private final LongAdder bytesIn;
    private final LongAdder bytesOut;
    private final LongAdder requestErrors;
    /** tcp-request connection reject (dcon) and content reject / http-request deny (dreq); shared with the routes. */
    private final LongAdder deniedConnections;
    private final LongAdder deniedRequests;
    /** {@code option clitcpka|tcpka}: keep-alive probes on accepted connections (set once at build). */
    boolean clientTcpKeepAlive;
    /** HTTP responses sent to clients, by class: index 0 = other, 1..5 = 1xx..5xx (shared with the routes). */
    private final LongAdder[] responses;
    /** The frontend's own rules (tcp-request, http-request, use_backend ... if, http-response), or null. */
    final ProxyRules rules;
    /** The rules of the backend this route goes to, when it is another proxy and has some; else null. */
    final ProxyRules backendRules;
    /** errorfile answers for the engine's own errors (the backend's over the frontend's), or null. */
    private final java.util.Map<Integer, LocalResponse> errorfiles;
    /** One route per conditional use_backend rule of {@link #rules} (set once by the engine), else empty. */
    private RuntimeFrontend[] routes = new RuntimeFrontend[0];
    /** The frontend as its listeners see it (this one, or the frontend a route was made from). */
    private final RuntimeFrontend home;
    /** The last request refused as invalid (show errors; set on the home frontend by ErrorCaptures). */
    volatile ErrorCapture lastRequestError;

    RuntimeFrontend(EnginePlan.Frontend plan, RuntimeBackend backend) {
        this(plan, backend, null, null, null, null);
    }

    /** A route of {@code home} to {@code backend}: the same frontend (counters shared) with that backend's settings. */
    RuntimeFrontend(RuntimeFrontend home, RuntimeBackend backend, ProxyRules backendRules) {
        this(home.plan, backend, null, home, home.rules, backendRules);
    }

    /**
     * @param previous the frontend of the same name in the graph a reload replaces, or null: its
     *                 connection limit (with the connections counted in it) carries over
     * @param home     the frontend this one is a route of (conditional use_backend), or null
     */
    RuntimeFrontend(EnginePlan.Frontend plan, RuntimeBackend backend, RuntimeFrontend previous, RuntimeFrontend home,
                    ProxyRules rules, ProxyRules backendRules) {
        this.plan = plan;
        this.backend = backend;
        this.home = home == null ? this : home;
        this.rules = rules;
        this.backendRules = backendRules;
        java.util.Map<Integer, LocalResponse> files = new java.util.HashMap<>();
        if (rules != null) files.putAll(rules.errorfiles);
        if (backendRules != null) files.putAll(backendRules.errorfiles);
        this.errorfiles = files.isEmpty() ? null : java.util.Map.copyOf(files);
        if (home == null) {
            currentSessions = new AtomicLong();
            totalSessions = new AtomicLong();
            sessionRate = new EventRate();
            bytesIn = new LongAdder();
            bytesOut = new LongAdder();
            requestErrors = new LongAdder();
            deniedConnections = new LongAdder();
            deniedRequests = new LongAdder();
            responses = new LongAdder[6];
            for (int i = 0; i < responses.length; i++) responses[i] = new LongAdder();
        } else {
            responses = home.responses;
            currentSessions = home.currentSessions;
            totalSessions = home.totalSessions;
            sessionRate = home.sessionRate;
            bytesIn = home.bytesIn;
            bytesOut = home.bytesOut;
            requestErrors = home.requestErrors;
            deniedConnections = home.deniedConnections;
            deniedRequests = home.deniedRequests;
        }
        ConnectionMode mode = plan.connectionMode();
        ForwardForRule ff = plan.forwardFor();
        Timeouts bt = plan.timeouts();
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
        Timeouts ft = plan.timeouts();
        this.clientTimeoutMs = Timeouts.ms(ft.client());
        this.serverTimeoutMs = Timeouts.ms(bt.server());
        this.connectTimeoutMs = Timeouts.ms(bt.connect());
        this.retries = Math.max(0, r);
        this.accessLog = plan.accessLog();
        this.monitor = plan.monitor().isNone() ? null : plan.monitor();
        this.maxHeaders = plan.maxHeaders();
        var capture = plan.log().captureCookie();
        this.captureCookieName = capture == null ? null : capture.name().getBytes(StandardCharsets.ISO_8859_1);
        this.captureCookieLength = capture == null ? 0 : capture.length();
        this.redispatch = redisp;
        this.httpRequestTimeoutMs = Timeouts.ms(ft.effectiveHttpRequest());
        this.backendBodyWaitTimeoutMs = bt.httpRequest() != null ? Timeouts.ms(bt.httpRequest()) : clientTimeoutMs;
        this.keepAliveTimeoutMs = Timeouts.ms(ft.effectiveHttpKeepAlive());
        this.queueTimeoutMs = Timeouts.ms(bt.effectiveQueue());
        this.tunnelTimeoutMs = Timeouts.tunnelMs(ft, bt);
        this.halfClosedTimeoutMs = Timeouts.halfClosedMs(ft, bt);
        this.abortOnClose = abort;
        if (home != null) {
            this.connectionLimit = home.connectionLimit;
        } else if (previous != null) {
            this.connectionLimit = previous.connectionLimit;
            connectionLimit.setMax(plan.maxConnections());
            // the stats page stays served across the switch; the reload's observers then install what
            // the new configuration says (io.tidegate.stats.StatsPages)
            this.localRoute = previous.localRoute;
        } else {
            this.connectionLimit = new ConnectionLimit(plan.maxConnections());
        }
        this.usesRules = computeUsesRules();
        this.timerTickMs = timerTick(clientTimeoutMs, serverTimeoutMs, connectTimeoutMs, httpRequestTimeoutMs,
                backendBodyWaitTimeoutMs,
                keepAliveTimeoutMs, queueTimeoutMs, tunnelTimeoutMs, halfClosedTimeoutMs);
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

    /** Sets the access log of this frontend and of its routes (they log as this frontend). */
    void useLogging(AccessLog log, ConnectionLimit processLimit) {
        this.log = log;
        this.processLimit = processLimit;
        for (RuntimeFrontend r : routes) {
            if (r != null && r != this) r.useLogging(log, processLimit);
        }
        for (RuntimeFrontend r : routesByName.values()) {
            if (r != this) r.useLogging(log, processLimit);
        }
    }

    /** Whether this exchange's line will be written: httplog/tcplog/log-format on and a sink listening. */
    boolean logs() {
        return accessLog && log != null && log.enabled();
    }

    /** %ac: client connections of the whole engine. */
    int processConnections() {
        return processLimit == null ? 0 : processLimit.current();
    }

    /**
     * This frontend in close mode, for an engine stopping for an upgrade: the same limits, rules,
     * routes and log; every exchange it starts ends with {@code Connection: close}.
     */
    RuntimeFrontend closingCopy() {
        RuntimeFrontend c = new RuntimeFrontend(plan.withConnectionMode(ConnectionMode.CLOSE), backend, this, null,
                rules, backendRules);
        c.routes = routes;
        c.routesByName = routesByName;
        c.frontendWaitsForBody = frontendWaitsForBody;
        c.compression = compression;
        c.backendWaitsForBody = backendWaitsForBody;
        c.usesRules = c.computeUsesRules();
        c.useLogging(log, processLimit);
        return c;
    }

    /**
     * option http-buffer-request (once, while the graph is built): in the frontend ({@code inFrontend})
     * and/or in the backend of this route; HAProxy waits once, before the frontend's rules when the
     * frontend asks for it, else before the backend's.
     */
    /** HTTP compression of this route (compression algo/type/offload), null when none (set once while the graph is built). */
    CompressionPolicy compression;

    void compression(CompressionPolicy policy) {
        this.compression = policy;
        this.usesRules = computeUsesRules();
    }

    void waitForBody(boolean inFrontend, boolean inBackend) {
        this.frontendWaitsForBody = inFrontend;
        this.backendWaitsForBody = inBackend && !inFrontend;
        this.usesRules = computeUsesRules();
    }

    boolean frontendWaitsForBody() {
        return frontendWaitsForBody;
    }

    boolean backendWaitsForBody() {
        return backendWaitsForBody;
    }

    /** Sets the routes of the conditional use_backend rules (once, while the engine is built). */
    void routes(RuntimeFrontend[] r) {
        this.routes = r;
        this.usesRules = computeUsesRules();
    }

    /**
     * The route of this request: the one of the first conditional {@code use_backend} rule that
     * applies, else this frontend with its default backend.
     */
    RuntimeFrontend route(ExchangeFacts x) {
        int i = rules == null ? -1 : rules.switchTo(x);
        if (i < 0) return home;
        if (routes[i] != null) return routes[i];
        // use_backend %[...]: a name that matches no backend goes to the default backend (as HAProxy)
        String name = rules.dynamicNames[i].name(x);
        RuntimeFrontend r = name == null ? null : routesByName.get(name);
        return r == null ? home : r;
    }

    /** Routes by backend name, for dynamic use_backend rules (empty when there are none). */
    private java.util.Map<String, RuntimeFrontend> routesByName = java.util.Map.of();

    void routesByName(java.util.Map<String, RuntimeFrontend> byName) {
        this.routesByName = java.util.Map.copyOf(byName);
        this.usesRules = computeUsesRules();
    }

    /** Whether sessions need an {@link ExchangeFacts}: some rule or the balancing reads the exchange. */
    boolean usesRules() {
        return usesRules;
    }

    private boolean usesRules;

    private boolean computeUsesRules() {
        if (rules != null || backendRules != null || readsRequests(backend) || frontendWaitsForBody || backendWaitsForBody
                || compression != null) {
            return true;
        }
        for (RuntimeFrontend r : routes) {
            if (r != null && (r.backendRules != null || readsRequests(r.backend) || r.backendWaitsForBody
                    || r.compression != null)) return true;
        }
        if (routesByName != null) {
            for (RuntimeFrontend r : routesByName.values()) {
                if (r.backendRules != null || readsRequests(r.backend) || r.backendWaitsForBody || r.compression != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean readsRequests(RuntimeBackend b) {
        return b != null && (b.hashesRequests() || b.sticks() || b.persistsRdpCookie());
    }

    /** The engine's own error answer for this status, or the errorfile that replaces it. */
    LocalResponse errorAnswer(LocalResponse builtIn) {
        if (errorfiles == null) return builtIn;
        LocalResponse file = errorfiles.get(builtIn.status);
        return file == null ? builtIn : file;
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

    /** The frontend as its listeners see it (this one, or the one this route was made from). */
    RuntimeFrontend home() {
        return home;
    }

    /** A request rejected as malformed before reaching any server. */
    void requestError() {
        requestErrors.increment();
    }

    /**
     * A tcp-request connection rule rejected the connection that {@link #sessionOpened} counted: as in
     * HAProxy it is a denied connection (dcon), not a session (stot), though it counts in conn_tot.
     */
    void connectionDenied() {
        deniedConnections.increment();
        totalSessions.decrementAndGet();
    }

    /** A tcp-request content reject or an http-request deny (HAProxy's dreq). */
    void requestDenied() {
        deniedRequests.increment();
    }

    /** An HTTP response (from a server or answered here) went to a client: CSV hrsp_* of the FRONTEND row. */
    void response(int status) {
        int c = status / 100;
        responses[c >= 1 && c <= 5 ? c : 0].increment();
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
                sessionRate.perSecond(), bytesIn.sum(), bytesOut.sum(), requestErrors.sum(), responseCounts(),
                deniedConnections.sum(), deniedRequests.sum());
    }

    private long[] responseCounts() {
        long[] r = new long[responses.length];
        for (int i = 0; i < r.length; i++) r[i] = responses[i].sum();
        return r;
    }
}
