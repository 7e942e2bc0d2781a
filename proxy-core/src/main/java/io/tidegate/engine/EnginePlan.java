package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the engine runs, reduced from a configuration: frontends with their listeners and the
 * effective per-proxy settings, and backends with their servers. Immutable; a reload builds a new
 * plan and a new runtime graph from it.
 */
public record EnginePlan(List<Frontend> frontends, List<Backend> backends, int maxConnections) {

    /** @param maxConnections {@code global maxconn}: client connections at once, 0 = unlimited */
    public EnginePlan {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections < 0");
    }

    /** Without a global connection limit. */
    public EnginePlan(List<Frontend> frontends, List<Backend> backends) {
        this(frontends, backends, 0);
    }

    public EnginePlan withMaxConnections(int max) {
        return new EnginePlan(frontends, backends, max);
    }

    /**
     * Timeouts in milliseconds, 0 = none. httpRequestMs (a whole request head must arrive within it)
     * and httpKeepAliveMs (idle time between requests) fall back to clientMs when 0.
     */
    public record Timeouts(long connectMs, long clientMs, long serverMs, long httpRequestMs, long httpKeepAliveMs) {
        public static final Timeouts DEFAULT = new Timeouts(5_000, 50_000, 50_000, 0, 0);

        public Timeouts withServerMs(long ms) {
            return new Timeouts(connectMs, clientMs, ms, httpRequestMs, httpKeepAliveMs);
        }

        public Timeouts withClientMs(long ms) {
            return new Timeouts(connectMs, ms, serverMs, httpRequestMs, httpKeepAliveMs);
        }

        public Timeouts withConnectMs(long ms) {
            return new Timeouts(ms, clientMs, serverMs, httpRequestMs, httpKeepAliveMs);
        }

        public Timeouts withHttpRequestMs(long ms) {
            return new Timeouts(connectMs, clientMs, serverMs, ms, httpKeepAliveMs);
        }

        public Timeouts withHttpKeepAliveMs(long ms) {
            return new Timeouts(connectMs, clientMs, serverMs, httpRequestMs, ms);
        }
    }

    /**
     * A frontend or the frontend half of a listen section; forwardFor null = option not set;
     * accessLog = one line per request ({@code option httplog}, or per session in TCP mode).
     */
    public record Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                           ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                           boolean accessLog) {
        public Frontend {
            binds = List.copyOf(binds);
        }

        /** Without access log. */
        public Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                        ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts) {
            this(name, binds, mode, backend, connectionMode, forwardFor, timeouts, false);
        }

        public Frontend withConnectionMode(ConnectionMode m) {
            return new Frontend(name, binds, mode, backend, m, forwardFor, timeouts, accessLog);
        }

        public Frontend withForwardFor(ForwardForRule f) {
            return new Frontend(name, binds, mode, backend, connectionMode, f, timeouts, accessLog);
        }

        public Frontend withTimeouts(Timeouts t) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, t, accessLog);
        }

        public Frontend withBinds(List<InetSocketAddress> b) {
            return new Frontend(name, b, mode, backend, connectionMode, forwardFor, timeouts, accessLog);
        }

        public Frontend withAccessLog(boolean on) {
            return new Frontend(name, binds, mode, backend, connectionMode, forwardFor, timeouts, on);
        }
    }

    /**
     * A backend; cookie null = no persistence. redispatch: the last connect retry may go to
     * another server ({@code option redispatch}). persist: a client holding the cookie of a server
     * that health checks marked down is still sent to it ({@code option persist}). allBackups: when
     * no normal server is usable, the usable backups share the traffic ({@code option allbackups});
     * otherwise only the first one takes it.
     */
    public record Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                          boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                          boolean persist, boolean allBackups) {
        public Backend {
            servers = List.copyOf(servers);
        }

        /** Without {@code option persist} and {@code option allbackups}. */
        public Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                       boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts) {
            this(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, false, false);
        }

        /** Without {@code option allbackups}. */
        public Backend(String name, String balance, List<Server> servers, CookiePolicy cookie, int retries,
                       boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                       boolean persist) {
            this(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, false);
        }

        public Backend withPersist(boolean p) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, p, allBackups);
        }

        public Backend withAllBackups(boolean a) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, a);
        }

        public Backend withCookie(CookiePolicy c) {
            return new Backend(name, balance, servers, c, retries, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups);
        }

        public Backend withServers(List<Server> s) {
            return new Backend(name, balance, s, cookie, retries, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups);
        }

        public Backend withRedispatch(boolean r) {
            return new Backend(name, balance, servers, cookie, retries, r, connectionMode, forwardFor, timeouts, persist, allBackups);
        }

        public Backend withRetries(int r) {
            return new Backend(name, balance, servers, cookie, r, redispatch, connectionMode, forwardFor, timeouts, persist, allBackups);
        }

        public Backend withTimeouts(Timeouts t) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, forwardFor, t, persist, allBackups);
        }

        public Backend withConnectionMode(ConnectionMode m) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, m, forwardFor, timeouts, persist, allBackups);
        }

        public Backend withForwardFor(ForwardForRule f) {
            return new Backend(name, balance, servers, cookie, retries, redispatch, connectionMode, f, timeouts, persist, allBackups);
        }
    }

    /** A server; cookie null = none. weight 0..256. */
    public record Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie) {
        public Server {
            if (weight < 0 || weight > 256) throw new IllegalArgumentException("weight must be 0..256: " + weight);
        }

        public Server withWeight(int w) {
            return new Server(name, address, w, backup, cookie);
        }

        public Server withBackup(boolean b) {
            return new Server(name, address, weight, b, cookie);
        }

        public Server withCookie(String c) {
            return new Server(name, address, weight, backup, c);
        }
    }
}
