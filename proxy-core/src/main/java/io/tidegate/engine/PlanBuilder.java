package io.tidegate.engine;

import io.tidegate.config.Bind;
import io.tidegate.config.Config;
import io.tidegate.config.CookieSpec;
import io.tidegate.config.ForwardFor;
import io.tidegate.config.LogTarget;
import io.tidegate.config.ProxyFlag;
import io.tidegate.config.SourceAddress;
import io.tidegate.config.ProxySection;
import io.tidegate.config.ProxySettings;
import io.tidegate.config.Server;
import io.tidegate.config.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reduces a validated {@link Config} to the {@link EnginePlan} the engine runs: effective settings
 * per proxy (defaults layered in), resolved addresses, and the options the relay acts on.
 * Every component of every plan record is named here, in order, through the staged builders
 * record-builder generates ({@code XBuilder.stagedBuilder()}): a new component does not compile
 * until it is given its line here. Defaults are not decided
 * here: {@link Config#effective(ProxySection)} layers the written settings over
 * {@link ProxySettings#BUILT_IN}, so every setting read below is already set.
 */
public final class PlanBuilder {

    private PlanBuilder() {
    }

    public static EnginePlan from(Config config) throws EngineException {
        List<EnginePlan.Frontend> frontends = new ArrayList<>();
        for (ProxySection p : config.frontends()) {
            ProxySettings s = config.effective(p);
            List<InetSocketAddress> binds = new ArrayList<>();
            for (Bind b : p.binds()) binds.add(bindAddress(p, b));
            // a use_backend without condition always matches: the first one wins over default_backend;
            // conditional ones are routes of the frontend's rules (io.tidegate.engine.ProxyRules)
            String backend = p.useBackends().stream().filter(n -> config.backend(n).isPresent()).findFirst()
                    .orElse(config.backendOf(p).map(ProxySection::name).orElse(null));
            frontends.add(EnginePlanFrontendBuilder.stagedBuilder()
                    .name(p.name())
                    .binds(binds)
                    .mode(s.mode().keyword())
                    .backend(backend)
                    .connectionMode(s.connectionMode())
                    .forwardFor(forwardFor(p, s.forwardFor()))
                    .timeouts(s.timeouts())
                    .accessLog(s.logFormat() != null)
                    .maxConnections(s.maxconn())
                    .monitor(monitor(p, s))
                    .log(logPolicy(config, s))
                    .maxHeaders(config.global().effectiveHttpMaxhdr())
                    .listen(p.kind() == io.tidegate.config.ProxyKind.LISTEN)
                    .build());
        }
        List<EnginePlan.Backend> backends = new ArrayList<>();
        for (ProxySection p : config.backends()) {
            ProxySettings s = config.effective(p);
            List<EnginePlan.Server> servers = new ArrayList<>();
            for (Server server : p.servers()) {
                ServerOptions o = config.effectiveServer(p, server);
                if (o.isDisabled()) continue;     // a disabled server takes no traffic (admin states come later)
                servers.add(EnginePlanServerBuilder.stagedBuilder()
                        .name(server.name())
                        .address(serverAddress(p, server))
                        .weight(o.effectiveWeight())
                        .backup(o.isBackup())
                        .cookie(o.cookie())
                        .limits(limits(o))
                        .slowstartMs(periodMs(o.slowstart()))
                        .source(source(p, server, o.source()))
                        .marked(o.effectiveMarked())
                        .build());
            }
            backends.add(EnginePlanBackendBuilder.stagedBuilder()
                    .name(p.name())
                    .balance(s.balance().algorithm().keyword())
                    .servers(servers)
                    .cookie(s.cookie())
                    .retries(s.retries())
                    .redispatch(s.isOn(ProxyFlag.REDISPATCH))
                    .connectionMode(s.connectionMode())
                    .forwardFor(forwardFor(p, s.forwardFor()))
                    .timeouts(s.timeouts())
                    .persist(s.isOn(ProxyFlag.PERSIST))
                    .allBackups(s.isOn(ProxyFlag.ALLBACKUPS))
                    .queue(EnginePlanQueuePolicyBuilder.stagedBuilder()
                            .fullconn(s.fullconn() == null ? 0 : s.fullconn())
                            .abortOnClose(s.isOn(ProxyFlag.ABORTONCLOSE))
                            .build())
                    .redispatchDrainedMs(ms(s.redispatchDrainedAfter()))
                    .build());
        }
        java.util.Map<String, EnginePlan.Rules> frontendRules = new java.util.HashMap<>();
        java.util.Map<String, EnginePlan.Rules> backendRules = new java.util.HashMap<>();
        for (ProxySection p : config.proxies()) {
            ProxySettings s = config.effective(p);
            boolean plainBalance = s.balance().algorithm() == io.tidegate.config.BalanceAlgorithm.ROUNDROBIN;
            if (!p.rules().isEmpty() || !s.errorfiles().isEmpty() || !plainBalance || !s.flags().isEmpty()
                    || s.compression() != null || s.persistRdpCookie() != null) {
                EnginePlan.Rules r = EnginePlanRulesBuilder.stagedBuilder()
                        .statements(WireText.rules(p.rules()))      // the one conversion of configuration text
                        .errorfiles(s.errorfiles())
                        .balance(s.balance())
                        .hashType(s.hashType())
                        .flags(s.flags())
                        .compression(s.compression())
                        .persistRdpCookie(p.kind().holdsServers() ? s.persistRdpCookie() : null)
                        .build();
                if (p.kind().acceptsTraffic()) frontendRules.put(p.name(), r);
                if (p.kind().holdsServers()) backendRules.put(p.name(), r);
            }
        }
        Integer maxconn = config.global().maxconn();
        return EnginePlanBuilder.stagedBuilder()
                .frontends(frontends)
                .backends(backends)
                .maxConnections(maxconn == null ? 0 : maxconn)
                .frontendRules(frontendRules)
                .backendRules(backendRules)
                .build();
    }

    /** {@code monitor-uri} and {@code monitor-net} lines in force (monitor-uri only means something in HTTP mode). */
    private static MonitorRule monitor(ProxySection p, ProxySettings s) throws EngineException {
        List<NetworkRange> nets = new ArrayList<>();
        for (String n : s.monitorNets()) {
            try {
                nets.add(NetworkRange.parse(n));
            } catch (IllegalArgumentException e) {
                throw new EngineException("proxy " + p.name() + ": monitor-net " + n + ": " + e.getMessage(), e);
            }
        }
        String uri = s.mode() == io.tidegate.config.Mode.HTTP ? s.monitorUri() : null;
        return uri == null && nets.isEmpty() ? MonitorRule.NONE : new MonitorRule(uri, nets);
    }

    /**
     * The proxy's log lines with {@code log global} replaced by the global section's; {@code no log}
     * = disabled; no line anywhere = WildFly's logging.
     */
    static LogPolicy logPolicy(Config config, ProxySettings s) {
        List<LogTarget> targets = new ArrayList<>();
        boolean disabled = false;
        for (LogTarget t : s.logs()) {
            if (t.isDisabled()) disabled = true;
            else if (t.isGlobal()) targets.addAll(config.global().logs());
            else targets.add(t);
        }
        io.tidegate.config.LogFormat format = s.logFormat();
        if (format != null && format.isCustom()) {
            format = io.tidegate.config.LogFormat.custom(WireText.of(format.format()));   // its literals are bytes of the line
        }
        return new LogPolicy(targets, disabled, format, s.isOn(ProxyFlag.DONTLOGNULL), s.captureCookie());
    }

    /** {@code source ADDR[:PORT[-PORT]]} of a server (own, default-server or proxy), resolved; null = none. */
    private static io.tidegate.net.SourceBinding source(ProxySection p, Server server, String source)
            throws EngineException {
        if (source == null) return null;
        SourceAddress a;
        try {
            a = SourceAddress.parse(source);
        } catch (IllegalArgumentException e) {
            throw new EngineException("proxy " + p.name() + ": server " + server.name() + ": " + e.getMessage(), e);
        }
        return new io.tidegate.net.SourceBinding(resolve(p, a.host()), a.lowPort(), a.highPort());
    }

    /** maxconn / minconn / maxqueue of a server line (HAProxy's normalisation is in {@link ServerLimits}). */
    private static ServerLimits limits(ServerOptions o) {
        return new ServerLimits(o.maxconn() == null ? 0 : o.maxconn(), o.minconn() == null ? 0 : o.minconn(),
                o.effectiveMaxqueue());
    }

    /** A period where 0 means "off" (slowstart 0): null or zero = 0, else at least 1 ms. */
    private static long periodMs(Duration d) {
        return d == null || d.isZero() ? 0 : Math.max(1, d.toMillis());
    }

    private static long ms(Duration d) {
        return d == null ? 0 : Math.max(1, d.toMillis());
    }

    private static ForwardForRule forwardFor(ProxySection p, ForwardFor f) throws EngineException {
        if (f == null || !f.enabled()) return null;
        List<NetworkRange> except = new ArrayList<>();
        if (f.exceptNetwork() != null) {
            try {
                except.add(NetworkRange.parse(f.exceptNetwork()));
            } catch (IllegalArgumentException e) {
                throw new EngineException("proxy " + p.name() + ": forwardfor except " + f.exceptNetwork() + ": "
                        + e.getMessage(), e);
            }
        }
        return new ForwardForRule(except, f.headerName(), f.ifNone());
    }

    private static InetSocketAddress bindAddress(ProxySection p, Bind b) throws EngineException {
        if (b.isAnyAddress()) return new InetSocketAddress(b.port());
        return new InetSocketAddress(resolve(p, b.host()), b.port());
    }

    private static InetSocketAddress serverAddress(ProxySection p, Server s) throws EngineException {
        if (!s.hasPort()) {
            throw new EngineException("proxy " + p.name() + ": server " + s.name()
                    + " has no port (forwarding to the client's port is not supported)");
        }
        return new InetSocketAddress(resolve(p, s.host()), s.port());
    }

    private static InetAddress resolve(ProxySection p, String host) throws EngineException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new EngineException("proxy " + p.name() + ": cannot resolve " + host, e);
        }
    }
}
