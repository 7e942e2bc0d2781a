package io.tidegate.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The configuration features the engine implements so far. A feature that parses but is not listed
 * here makes {@link ConfigValidator} report an error "not supported yet" at the line that uses it,
 * so nothing written in a file is ever silently ignored. Extend {@link #CURRENT} as features land.
 *
 * <p>Feature names are written the way a user writes the keyword: {@code option httpchk},
 * {@code timeout connect} (also used for the 1.4 spelling {@code contimeout}), {@code server check}
 * (an option on a server line), {@code cookie insert}, {@code cookie nocache}, {@code mode tcp},
 * {@code global maxconn}. {@link ParsedConfig#features()} lists the names a file uses.
 */
public final class SupportedFeatures {

    /** What Tidegate implements today. */
    public static final SupportedFeatures CURRENT = new SupportedFeatures(withFlags(Set.of(
            "global daemon", "global quiet", "global pidfile", "global maxconn", "global nbthread", "global log",
            "global stats",   // the runtime API: stats socket / timeout / maxconn (io.tidegate.cli)
            "stats enable", "stats uri", "stats realm", "stats auth", "stats refresh", "stats hide-version",
            "stats scope", "stats show-node", "stats show-desc", "stats admin",
            "defaults", "listen", "frontend", "backend",
            "bind",
            "mode http", "mode tcp",
            "balance roundrobin",
            "server", "server weight", "server cookie", "server backup", "default-server", "server slowstart",
            "dispatch",
            "default_backend", "use_backend",
            "timeout connect", "timeout client", "timeout server", "timeout http-request",
            "timeout http-keep-alive",
            "option httpclose", "option http-server-close", "option http-keep-alive",
            "option forwardfor", "option forwardfor except", "option forwardfor header", "option forwardfor if-none",
            "option httplog", "option tcplog",
            "cookie insert", "cookie prefix", "cookie rewrite", "cookie (passive: no insert, prefix or rewrite)",
            "cookie indirect", "cookie nocache", "cookie postonly", "cookie preserve", "cookie httponly",
            "cookie secure", "cookie domain", "cookie maxidle", "cookie maxlife", "cookie attr",
            "option redispatch-drained",
            // connection limits and queueing
            "server maxconn", "server minconn", "server maxqueue",
            "timeout queue", "timeout tunnel", "timeout client-fin", "timeout server-fin",
            // health checks (io.tidegate.health.ServerChecks.FEATURES), driven by ejb-control's timers
            "option httpchk", "option ssl-hello-chk", "http-check expect", "timeout check",
            "server check", "server inter", "server fastinter", "server downinter", "server rise", "server fall",
            "server port", "server addr",
            // issue 15: monitoring from L4 balancers, outgoing source addresses, logs, input limits
            "monitor-uri", "monitor-net", "compression algo", "compression type", "compression offload", "monitor fail", "server source", "source", "log", "no log", "log-format",
            "global tune.http.maxhdr", "capture cookie",
            // seamless reload (io.tidegate.engine.Reload): how long a replaced configuration may drain
            "grace", "global hard-stop-after",
            // ACLs and rules (issue 16)
            "acl", "if", "unless", "use_backend if", "use_backend %[...]",
            "http-request allow", "http-request deny", "http-request return", "http-request redirect",
            "http-request set-header", "http-request add-header", "http-request del-header",
            "http-request replace-header", "http-request replace-value", "http-request set-path",
            "http-request set-query", "http-request set-uri", "http-request use-service",
            "http-response allow", "http-response deny", "http-response set-header", "http-response add-header",
            "http-response del-header", "http-response replace-header", "http-response replace-value",
            "http-response set-status", "http-response return",
            "http-request set-var", "http-response set-var",
            "redirect", "errorfile",
            "tcp-request connection accept", "tcp-request connection reject", "tcp-request content accept",
            "tcp-request content reject", "tcp-request inspect-delay",
            "reqadd", "reqrep", "reqirep", "reqdel", "reqidel", "rspadd", "rsprep", "rspirep", "rspdel", "rspidel",
            "block",
            // balancing algorithms (issue 16)
            "balance static-rr", "balance leastconn", "balance first", "balance source", "balance uri",
            "balance url_param", "balance hdr", "balance random", "balance rdp-cookie", "persist rdp-cookie",
            "hash-type map-based", "hash-type consistent",
            "option tcp-check", "tcp-check connect", "tcp-check comment", "tcp-check send", "tcp-check send-lf",
            "tcp-check send-binary", "tcp-check expect",
            "option redis-check", "option pgsql-check", "option mysql-check", "option smtpchk", "option ldap-check",
            "stick-table", "stick on", "stick match", "stick store-request",
            // corpus blockers (issue 16): check requests, transition actions (on/off options: ProxyFlag)
            "http-check send", "server on-marked-down", "server on-marked-up",
            // Basic authentication against userlists (issue 16)
            "userlist", "http-request auth",
            // stick counters and rate limiting (issue 16)
            "http-request track-sc*", "http-request sc-inc-gpc0", "http-request sc-inc-gpc1", "http-request sc-set-gpt0",
            "tcp-request connection track-sc*", "tcp-request connection sc-inc-gpc0",
            "tcp-request connection sc-inc-gpc1", "tcp-request connection sc-set-gpt0",
            "tcp-request content track-sc*", "tcp-request content sc-inc-gpc0", "tcp-request content sc-inc-gpc1",
            "tcp-request content sc-set-gpt0")));

    /** Accepted, but meaningless inside WildFly: a warning, never an error. */
    private static final Set<String> NO_EFFECT_IN_WILDFLY = noEffect();

    /** Every on/off option ({@link ProxyFlag}) and {@code KEYWORD N} setting ({@link ProxyCount}) is implemented where it is declared. */
    private static Set<String> withFlags(Set<String> features) {
        Set<String> all = new LinkedHashSet<>(features);
        for (ProxyFlag f : ProxyFlag.values()) all.add(f.feature());
        for (ProxyCount c : ProxyCount.values()) all.add(c.keyword());
        return all;
    }

    private static Set<String> noEffect() {
        Set<String> s = new LinkedHashSet<>(Set.of("global daemon", "global quiet", "global pidfile", "global tune.*",
                "description"));
        for (String k : Keywords.GLOBAL_NO_EFFECT) {
            s.add("global " + k);
        }
        return Collections.unmodifiableSet(s);
    }

    private final Set<String> features;

    public SupportedFeatures(Collection<String> features) {
        this.features = Collections.unmodifiableSet(new LinkedHashSet<>(features));
    }

    public boolean isSupported(String feature) {
        return features.contains(feature);
    }

    /** True for features accepted only for compatibility, with a warning that they do nothing here. */
    public boolean hasNoEffect(String feature) {
        return NO_EFFECT_IN_WILDFLY.contains(feature);
    }

    /** A copy that also supports {@code more}. */
    public SupportedFeatures with(String... more) {
        Set<String> all = new LinkedHashSet<>(features);
        all.addAll(Set.of(more));
        return new SupportedFeatures(all);
    }

    public Set<String> features() {
        return features;
    }
}
