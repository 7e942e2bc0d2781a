package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the engine runs, reduced from a configuration: frontends with their listeners and the
 * effective per-proxy settings, and backends with their servers. Immutable; a reload builds a new
 * plan and a new runtime graph from it.
 */
public record EnginePlan(List<Frontend> frontends, List<Backend> backends, int maxConnections,
                         java.util.Map<String, Rules> rules) {

    /**
     * @param maxConnections {@code global maxconn}: client connections at once, 0 = unlimited
     * @param rules          the rules and balancing details of each proxy, by proxy name (none = empty)
     */
    public EnginePlan {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections < 0");
        rules = rules == null ? java.util.Map.of() : java.util.Map.copyOf(rules);
    }

    /** Without rules. */
    public EnginePlan(List<Frontend> frontends, List<Backend> backends, int maxConnections) {
        this(frontends, backends, maxConnections, java.util.Map.of());
    }

    /** The rules of proxy {@code name}, {@link Rules#NONE} when it has none. */
    public Rules rulesOf(String name) {
        return rules.getOrDefault(name, Rules.NONE);
    }

    public EnginePlan withRules(java.util.Map<String, Rules> r) {
        return new EnginePlan(frontends, backends, maxConnections, r);
    }

    /**
     * The rules of one proxy, as the configuration states them ({@link io.tidegate.config.ProxyRule}s
     * in file order), its {@code errorfile}s by status, and the details of its {@code balance} and
     * {@code hash-type}. The engine compiles them when it builds its runtime graph.
     */
    public record Rules(List<io.tidegate.config.ProxyRule> statements, java.util.Map<Integer, String> errorfiles,
                        io.tidegate.config.Balance balance, String hashType, io.tidegate.config.ProxyFlags flags) {
        public static final Rules NONE = new Rules(List.of(), java.util.Map.of(), null, null);

        public Rules {
            statements = List.copyOf(statements);
            errorfiles = java.util.Map.copyOf(errorfiles);
            flags = flags == null ? io.tidegate.config.ProxyFlags.NONE : flags;
        }

        /** Without on/off options ({@code option tcpka}, ...). */
        public Rules(List<io.tidegate.config.ProxyRule> statements, java.util.Map<Integer, String> errorfiles,
                     io.tidegate.config.Balance balance, String hashType) {
            this(statements, errorfiles, balance, hashType, null);
        }
    }

    /** Without a global connection limit. */
    public EnginePlan(List<Frontend> frontends, List<Backend> backends) {
        this(frontends, backends, 0);
    }

    public EnginePlan withMaxConnections(int max) {
        return new EnginePlan(frontends, backends, max, rules);
    }

    /**
     * Timeouts in milliseconds, 0 = none. httpRequestMs (a whole request head must arrive within it)
     * and httpKeepAliveMs (idle time between requests) fall back to clientMs when 0. queueMs: the
     * longest a request waits for a server slot, 0 = connectMs (HAProxy's {@code timeout queue}
     * default); tunnelMs: idle time of a tunnel (TCP mode, after 101), 0 = the larger of client and
     * server timeouts; clientFinMs ({@code timeout client-fin}, a frontend's) and serverFinMs
     * ({@code timeout server-fin}, a backend's): idle time of a tunnel once one direction is shut,
     * 0 = not set (the tunnel timeout goes on).
     */
    public record Timeouts(long connectMs, long clientMs, long serverMs, long httpRequestMs, long httpKeepAliveMs,
                           long queueMs, long tunnelMs, long clientFinMs, long serverFinMs) {
        public static final Timeouts DEFAULT = new Timeouts(5_000, 50_000, 50_000, 0, 0);

        /** Without queue, tunnel and half-close timeouts of their own. */
        public Timeouts(long connectMs, long clientMs, long serverMs, long httpRequestMs, long httpKeepAliveMs) {
            this(connectMs, clientMs, serverMs, httpRequestMs, httpKeepAliveMs, 0, 0);
        }

        /** Without half-close timeouts of their own. */
        public Timeouts(long connectMs, long clientMs, long serverMs, long httpRequestMs, long httpKeepAliveMs,
                        long queueMs, long tunnelMs) {
            this(connectMs, clientMs, serverMs, httpRequestMs, httpKeepAliveMs, queueMs, tunnelMs, 0, 0);
        }

        /** The queue timeout in force: {@code timeout queue}, else {@code timeout connect}; 0 = none. */
        public long effectiveQueueMs() {
            return queueMs > 0 ? queueMs : connectMs;
        }

        public Timeouts withQueueMs(long ms) {
            return new Timeouts(connectMs, clientMs, serverMs, httpRequestMs, httpKeepAliveMs, ms, tunnelMs, clientFinMs, serverFinMs);
        }

        public Timeouts withTunnelMs(long ms) {
            return new Timeouts(connectMs, clientMs, serverMs, httpRequestMs, httpKeepAliveMs, queueMs, ms, clientFinMs, serverFinMs);
        }

        public Timeouts withServerMs(long ms) {
            return new Timeouts(connectMs, clientMs, ms, httpRequestMs, httpKeepAliveMs, queueMs, tunnelMs, clientFinMs, serverFinMs);
        }

        public Timeouts withClientMs(long ms) {
            return new Timeouts(connectMs, ms, serverMs, httpRequestMs, httpKeepAliveMs, queueMs, tunnelMs, clientFinMs, serverFinMs);
        }

        public Timeouts withConnectMs(long ms) {
            return new Timeouts(ms, clientMs, serverMs, httpRequestMs, httpKeepAliveMs, queueMs, tunnelMs, clientFinMs, serverFinMs);
        }

        public Timeouts withHttpRequestMs(long ms) {
            return new Timeouts(connectMs, clientMs, serverMs, ms, httpKeepAliveMs, queueMs, tunnelMs, clientFinMs, serverFinMs);
        }

        public Timeouts withHttpKeepAliveMs(long ms) {
            return new Timeouts(connectMs, clientMs, serverMs, httpRequestMs, ms, queueMs, tunnelMs, clientFinMs, serverFinMs);
        }
    }

    /**
     * A frontend or the frontend half of a listen section; forwardFor null = option not set;
     * accessLog = one line per request ({@code option httplog}, or per session in TCP mode);
     * maxConnections = its {@code maxconn}: client connections at once over its binds, 0 = unlimited
     * (above it the listeners stop accepting; clients wait in the kernel backlog);
     * monitor = {@code monitor-uri} / {@code monitor-net}; log = where and how its lines are written;
     * maxHeaders = {@code tune.http.maxhdr} (HAProxy 2.6 answers 400 from that many header lines on).
     */
    public record Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                           ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                           boolean accessLog, int maxConnections, MonitorRule monitor, LogPolicy log,
                           int maxHeaders) {
        public Frontend {
            binds = List.copyOf(binds);
            monitor = monitor == null ? MonitorRule.NONE : monitor;
            log = log == null ? LogPolicy.DEFAULT : log;
            if (maxHeaders <= 0) maxHeaders = io.tidegate.config.GlobalSection.DEFAULT_HTTP_MAXHDR;
            if (maxConnections < 0) throw new IllegalArgumentException("maxConnections < 0");
        }

        /** Without monitor rules, with the default log policy and HAProxy's header limit. */
        public Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                        ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts, boolean accessLog,
                        int maxConnections) {
            this(name, binds, mode, backend, connectionMode, forwardFor, timeouts, accessLog, maxConnections, null,
                    null, 0);
        }

        /** Without a connection limit of its own. */
        public Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                        ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts, boolean accessLog) {
            this(name, binds, mode, backend, connectionMode, forwardFor, timeouts, accessLog, 0);
        }

        /** Without access log. */
        public Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                        ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts) {
            this(name, binds, mode, backend, connectionMode, forwardFor, timeouts, false, 0);
        }

        public Frontend withConnectionMode(ConnectionMode m) {
            return new Frontend(name, binds, mode, backend, m, forwardFor, timeouts, accessLog, maxConnections, monitor, log, maxHeaders);
        }

        public Frontend withForwardFor(ForwardForRule f) {
            return new Frontend(name, binds, mode, backend, connectionMode, f, timeouts, accessLog, maxConnections, monitor, log, maxHeaders);
        }

        public Frontend withTimeouts(Timeouts t) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, t, accessLog, maxConnections, monitor, log, maxHeaders);
        }

        public Frontend withBinds(List<InetSocketAddress> b) {
            return new Frontend(name, b, mode, backend, connectionMode, forwardFor, timeouts, accessLog, maxConnections, monitor, log, maxHeaders);
        }

        public Frontend withAccessLog(boolean on) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, timeouts, on, maxConnections, monitor, log, maxHeaders);
        }

        public Frontend withMonitor(MonitorRule m) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, timeouts, accessLog,
                    maxConnections, m, log, maxHeaders);
        }

        public Frontend withLog(LogPolicy l) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, timeouts, accessLog,
                    maxConnections, monitor, l, maxHeaders);
        }

        /** {@code tune.http.maxhdr}: a request with this many header lines or more is answered 400. */
        public Frontend withMaxHeaders(int n) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, timeouts, accessLog,
                    maxConnections, monitor, log, n);
        }

        public Frontend withMaxConnections(int max) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, timeouts, accessLog, max, monitor, log, maxHeaders);
        }
    }

    /**
     * A backend; cookie null = no persistence. redispatch: the last connect retry may go to
     * another server ({@code option redispatch}). persist: a client holding the cookie of a server
     * that health checks marked down is still sent to it ({@code option persist}). allBackups: when
     * no normal server is usable, the usable backups share the traffic ({@code option allbackups});
     * otherwise only the first one takes it. queue: how requests wait for server slots
     * ({@code fullconn}, {@code option abortonclose}). redispatchDrainedMs: how long a server in
     * DRAIN keeps serving clients that hold its persistence cookie; later they are load-balanced to
     * another server ({@code option redispatch-drained T}); 0 = as long as the drain lasts.
     */
    public record Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                          boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                          boolean persist, boolean allBackups, QueuePolicy queue, long redispatchDrainedMs) {
        public Backend {
            servers = List.copyOf(servers);
            queue = queue == null ? QueuePolicy.DEFAULT : queue;
            if (redispatchDrainedMs < 0) throw new IllegalArgumentException("redispatchDrainedMs < 0");
        }

        /** Drained servers keep their persistent clients. */
        public Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                       boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                       boolean persist, boolean allBackups, QueuePolicy queue) {
            this(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist,
                    allBackups, queue, 0);
        }

        /** Without {@code option persist} and {@code option allbackups}, with the default queue policy. */
        public Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                       boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts) {
            this(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, false, false,
                    QueuePolicy.DEFAULT);
        }

        /** With the default queue policy. */
        public Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                       boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                       boolean persist, boolean allBackups) {
            this(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist,
                    allBackups, QueuePolicy.DEFAULT);
        }

        public Backend withQueue(QueuePolicy q) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups, q, redispatchDrainedMs);
        }

        public Backend withRedispatchDrainedMs(long ms) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups, queue, ms);
        }

        public Backend withPersist(boolean p) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, p, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withAllBackups(boolean a) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, a, queue, redispatchDrainedMs);
        }

        public Backend withCookie(CookiePolicy c) {
            return new Backend(name, balance, servers, c, retries, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withServers(List<Server> s) {
            return new Backend(name, balance, s, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withRedispatch(boolean r) {
            return new Backend(name, balance, servers, cookie, retries, r, connectionMode, forwardFor, timeouts, persist, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withRetries(int r) {
            return new Backend(name, balance, servers, cookie, r, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withTimeouts(Timeouts t) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, t, persist, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withConnectionMode(ConnectionMode m) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, m, forwardFor, timeouts, persist, allBackups, queue, redispatchDrainedMs);
        }

        public Backend withForwardFor(ForwardForRule f) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, f, timeouts, persist, allBackups, queue, redispatchDrainedMs);
        }
    }

    /**
     * How requests wait for a server slot in a backend: fullconn = the backend load at which servers
     * with {@code minconn} reach their {@code maxconn} (HAProxy's {@code fullconn}; 0 = not set, the
     * limits stay at maxconn); abortOnClose = a queued request whose client closed its side is
     * dropped ({@code option abortonclose}).
     */
    public record QueuePolicy(int fullconn, boolean abortOnClose) {
        public static final QueuePolicy DEFAULT = new QueuePolicy(0, false);

        public QueuePolicy {
            if (fullconn < 0) throw new IllegalArgumentException("fullconn < 0");
        }

        public QueuePolicy withFullconn(int f) {
            return new QueuePolicy(f, abortOnClose);
        }

        public QueuePolicy withAbortOnClose(boolean a) {
            return new QueuePolicy(fullconn, a);
        }
    }

    /**
     * A server; cookie null = none. weight 0..256. limits: maxconn / minconn / maxqueue. slowstartMs:
     * after coming back up from down its weight ramps over this time ({@code slowstart}), 0 = none.
     */
    public record Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie,
                         ServerLimits limits, long slowstartMs, io.tidegate.net.SourceBinding source,
                         io.tidegate.config.MarkedActions marked) {
        public Server {
            marked = marked == null ? io.tidegate.config.MarkedActions.NONE : marked;
            if (weight < 0 || weight > 256) throw new IllegalArgumentException("weight must be 0..256: " + weight);
            limits = limits == null ? ServerLimits.NONE : limits;
            if (slowstartMs < 0) throw new IllegalArgumentException("slowstartMs < 0");
        }

        /** Without actions on health transitions. */
        public Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie,
                      ServerLimits limits, long slowstartMs, io.tidegate.net.SourceBinding source) {
            this(name, address, weight, backup, cookie, limits, slowstartMs, source, null);
        }

        /** Without a source address of its own (the system picks the local address). */
        public Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie,
                      ServerLimits limits, long slowstartMs) {
            this(name, address, weight, backup, cookie, limits, slowstartMs, null, null);
        }

        /** Without slow start. */
        public Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie,
                      ServerLimits limits) {
            this(name, address, weight, backup, cookie, limits, 0);
        }

        /** Without connection limits. */
        public Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie) {
            this(name, address, weight, backup, cookie, ServerLimits.NONE);
        }

        public Server withWeight(int w) {
            return new Server(name, address, w, backup, cookie, limits, slowstartMs, source, marked);
        }

        public Server withBackup(boolean b) {
            return new Server(name, address, weight, b, cookie, limits, slowstartMs, source, marked);
        }

        public Server withCookie(String c) {
            return new Server(name, address, weight, backup, c, limits, slowstartMs, source, marked);
        }

        public Server withSlowstartMs(long ms) {
            return new Server(name, address, weight, backup, cookie, limits, ms, source, marked);
        }

        /** {@code source ADDR[:PORT[-PORT]]}: bind connections to this server there first; null = no. */
        public Server withSource(io.tidegate.net.SourceBinding b) {
            return new Server(name, address, weight, backup, cookie, limits, slowstartMs, b, marked);
        }

        /** {@code on-marked-down} / {@code on-marked-up}: what a health transition does to open connections. */
        public Server withMarked(io.tidegate.config.MarkedActions m) {
            return new Server(name, address, weight, backup, cookie, limits, slowstartMs, source, m);
        }

        public Server withLimits(ServerLimits l) {
            return new Server(name, address, weight, backup, cookie, l, slowstartMs, source, marked);
        }
    }
}
