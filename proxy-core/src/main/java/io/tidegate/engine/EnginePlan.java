package io.tidegate.engine;

import io.soabase.recordbuilder.core.RecordBuilder;

import io.tidegate.config.ConnectionMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.config.Timeouts;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the engine runs, reduced from a configuration: frontends with their listeners and the
 * effective per-proxy settings, and backends with their servers. Immutable; a reload builds a new
 * plan and a new runtime graph from it.
 */
@RecordBuilder
@RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
public record EnginePlan(List<Frontend> frontends, List<Backend> backends, int maxConnections,
                         java.util.Map<String, Rules> frontendRules, java.util.Map<String, Rules> backendRules)
        implements EnginePlanBuilder.With {

    /**
     * A frontend and a backend may share a name (as in HAProxy), so the rules are kept per side;
     * a listen section's rules are in both maps.
     *
     * @param maxConnections {@code global maxconn}: client connections at once, 0 = unlimited
     * @param frontendRules  the rules and balancing details of each frontend and listen section, by name (none = empty)
     * @param backendRules   the same of each backend and listen section, by name (none = empty)
     */
    public EnginePlan {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        if (maxConnections < 0) throw new IllegalArgumentException("maxConnections < 0");
        frontendRules = frontendRules == null ? java.util.Map.of() : java.util.Map.copyOf(frontendRules);
        backendRules = backendRules == null ? java.util.Map.of() : java.util.Map.copyOf(backendRules);
    }

    /** The rules of frontend (or listen section) {@code name}, {@link Rules#NONE} when it has none. */
    public Rules frontendRulesOf(String name) {
        return frontendRules.getOrDefault(name, Rules.NONE);
    }

    /** The rules of backend (or listen section) {@code name}, {@link Rules#NONE} when it has none. */
    public Rules backendRulesOf(String name) {
        return backendRules.getOrDefault(name, Rules.NONE);
    }

    /**
     * The rules of one proxy, as the configuration states them ({@link io.tidegate.config.ProxyRule}s
     * in file order), its {@code errorfile}s by status, and the details of its {@code balance} and
     * {@code hash-type}. The engine compiles them when it builds its runtime graph.
     */
    @RecordBuilder
    @RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
    public record Rules(List<io.tidegate.config.ProxyRule> statements, java.util.Map<Integer, String> errorfiles,
                        io.tidegate.config.Balance balance, String hashType, io.tidegate.config.ProxyFlags flags,
                        io.tidegate.config.Compression compression, String persistRdpCookie)
            implements EnginePlanRulesBuilder.With {
        public static final Rules NONE = EnginePlanRulesBuilder.builder()
                .statements(List.of())
                .errorfiles(java.util.Map.of())
                .build();

        public Rules {
            statements = List.copyOf(statements);
            errorfiles = java.util.Map.copyOf(errorfiles);
            flags = flags == null ? io.tidegate.config.ProxyFlags.NONE : flags;
            compression = compression == null ? io.tidegate.config.Compression.NONE : compression;
        }
    }

    /**
     * A frontend or the frontend half of a listen section; forwardFor null = option not set;
     * accessLog = one line per request ({@code option httplog}, or per session in TCP mode);
     * maxConnections = its {@code maxconn}: client connections at once over its binds, 0 = unlimited
     * (above it the listeners stop accepting; clients wait in the kernel backlog);
     * monitor = {@code monitor-uri} / {@code monitor-net}; log = where and how its lines are written;
     * maxHeaders = {@code tune.http.maxhdr} (HAProxy 2.6 answers 400 from that many header lines on);
     * timeouts = the section's effective timeouts (a frontend arms client, http-request, keep-alive
     * and client-fin; its backend the others); listen = the front half of a listen section, whose
     * back half is the backend of the same name (a frontend may share its name with another
     * section's backend).
     */
    @RecordBuilder
    @RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
    public record Frontend(String name, List<InetSocketAddress> binds, String mode, String backend,
                           ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                           boolean accessLog, int maxConnections, MonitorRule monitor, LogPolicy log,
                           int maxHeaders, boolean listen) implements EnginePlanFrontendBuilder.With {
        public Frontend {
            binds = List.copyOf(binds);
            monitor = monitor == null ? MonitorRule.NONE : monitor;
            log = log == null ? LogPolicy.DEFAULT : log;
            if (maxHeaders <= 0) maxHeaders = io.tidegate.config.GlobalSection.DEFAULT_HTTP_MAXHDR;
            if (maxConnections < 0) throw new IllegalArgumentException("maxConnections < 0");
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
    @RecordBuilder
    @RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
    public record Backend(String name, String balance, List<Server> servers, CookieSpec cookie, int retries,
                          boolean redispatch, ConnectionMode connectionMode, ForwardForRule forwardFor, Timeouts timeouts,
                          boolean persist, boolean allBackups, QueuePolicy queue, long redispatchDrainedMs)
            implements EnginePlanBackendBuilder.With {
        public Backend {
            servers = List.copyOf(servers);
            queue = queue == null ? QueuePolicy.DEFAULT : queue;
            if (redispatchDrainedMs < 0) throw new IllegalArgumentException("redispatchDrainedMs < 0");
        }
    }

    /**
     * How requests wait for a server slot in a backend: fullconn = the backend load at which servers
     * with {@code minconn} reach their {@code maxconn} (HAProxy's {@code fullconn}; 0 = not set, the
     * limits stay at maxconn); abortOnClose = a queued request whose client closed its side is
     * dropped ({@code option abortonclose}).
     */
    @RecordBuilder
    @RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
    public record QueuePolicy(int fullconn, boolean abortOnClose) implements EnginePlanQueuePolicyBuilder.With {
        public static final QueuePolicy DEFAULT = EnginePlanQueuePolicyBuilder.builder().build();

        public QueuePolicy {
            if (fullconn < 0) throw new IllegalArgumentException("fullconn < 0");
        }
    }

    /**
     * A server; cookie null = none. weight 0..256. limits: maxconn / minconn / maxqueue. slowstartMs:
     * after coming back up from down its weight ramps over this time ({@code slowstart}), 0 = none.
     * source: {@code source ADDR[:PORT[-PORT]]}, bind connections to this server there first; null = no.
     * marked: {@code on-marked-down} / {@code on-marked-up}, what a health transition does to open connections.
     */
    @RecordBuilder
    @RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
    public record Server(String name, InetSocketAddress address, int weight, boolean backup, String cookie,
                         ServerLimits limits, long slowstartMs, io.tidegate.net.SourceBinding source,
                         io.tidegate.config.MarkedActions marked) implements EnginePlanServerBuilder.With {
        public Server {
            marked = marked == null ? io.tidegate.config.MarkedActions.NONE : marked;
            if (weight < 0 || weight > 256) throw new IllegalArgumentException("weight must be 0..256: " + weight);
            limits = limits == null ? ServerLimits.NONE : limits;
            if (slowstartMs < 0) throw new IllegalArgumentException("slowstartMs < 0");
        }
    }
}
