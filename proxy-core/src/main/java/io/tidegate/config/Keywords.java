package io.tidegate.config;

import static io.tidegate.config.SectionType.BACKEND;
import static io.tidegate.config.SectionType.DEFAULTS;
import static io.tidegate.config.SectionType.FRONTEND;
import static io.tidegate.config.SectionType.GLOBAL;
import static io.tidegate.config.SectionType.LISTEN;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which keywords the parser understands and in which sections each may appear (HAProxy's
 * "may be used in sections" rules). Used for dispatch and for error messages that list what is
 * valid where.
 */
final class Keywords {

    private static final Set<SectionType> DFLB = EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND);
    private static final Set<SectionType> DLB = EnumSet.of(DEFAULTS, LISTEN, BACKEND);
    private static final Set<SectionType> DFL = EnumSet.of(DEFAULTS, FRONTEND, LISTEN);
    private static final Set<SectionType> FL = EnumSet.of(FRONTEND, LISTEN);
    private static final Set<SectionType> LB = EnumSet.of(LISTEN, BACKEND);
    private static final Set<SectionType> FLB = EnumSet.of(FRONTEND, LISTEN, BACKEND);

    /** Statement keywords of the proxy-like sections. */
    static final Map<String, Set<SectionType>> PROXY = joined(ordered(
            "bind", FL,
            "mode", DFLB,
            "balance", DLB,
            "server", LB,
            "default-server", DLB,
            "dispatch", LB,
            "default_backend", DFL,
            "use_backend", FL,
            "timeout", DFLB),
            legacyTimeouts(),
            ordered(
            "option", DFLB,
            "no", DFLB,
            "redispatch", DLB,
            "cookie", DLB),
            counts(),
            ordered(
            "grace", DFLB,
            "monitor-net", DFL,
            "monitor-uri", DFL,
            "monitor", FL,
            "stats", DFL,
            "http-check", DLB,
            "log", DFLB,
            "log-format", DFL,
            "source", DLB,
            "capture", FL,
            "compression", DFLB,
            "acl", FLB,
            "http-request", FLB,
            "http-response", FLB,
            "redirect", FLB,
            "errorfile", DFLB,
            "tcp-request", FLB,
            "reqadd", FLB, "reqrep", FLB, "reqirep", FLB, "reqdel", FLB, "reqidel", FLB,
            "rspadd", FLB, "rsprep", FLB, "rspirep", FLB, "rspdel", FLB, "rspidel", FLB,
            "block", FLB,
            "hash-type", DLB,
            "persist", DLB,
            "tcp-check", DLB,
            "stick-table", FLB,
            "stick", LB,
            "description", FLB));

    /** Words after {@code timeout}: every {@link TimeoutKind}. */
    static final Map<String, Set<SectionType>> TIMEOUTS = timeouts();

    /** Words after {@code option}: those with arguments or a choice, then every on/off {@link ProxyFlag}. */
    static final Map<String, Set<SectionType>> OPTIONS = withFlags(ordered(
            "httpclose", DFLB,
            "http-server-close", DFLB,
            "http-keep-alive", DFLB,
            "forwardfor", DFLB,
            "httplog", DFL,
            "tcplog", DFL,
            "httpchk", DLB,
            "ssl-hello-chk", DLB,
            "tcp-check", DLB,
            "redis-check", DLB,
            "pgsql-check", DLB,
            "mysql-check", DLB,
            "smtpchk", DLB,
            "ldap-check", DLB,
            "redispatch-drained", DLB));

    /** Keywords of the {@code global} section. */
    static final List<String> GLOBAL_KEYWORDS = List.of("daemon", "quiet", "pidfile", "maxconn", "nbthread", "log",
            "tune.http.maxhdr", "stats", "hard-stop-after");

    /**
     * HAProxy's server-state file keywords of the {@code global} section: alone they change nothing
     * (HAProxy reads the file only for backends with {@code load-server-state-from-file}, which
     * Tidegate refuses), so they are accepted with one warning each.
     */
    static final List<String> GLOBAL_STATE_FILE = List.of("server-state-file", "server-state-base");

    /**
     * Process keywords of the {@code global} section that mean nothing inside WildFly (the process,
     * its user, limits and CPU placement belong to WildFly; TLS defaults wait for TLS support):
     * accepted with one warning each. {@code tune.*} (other than {@code tune.http.maxhdr}) too.
     */
    static final List<String> GLOBAL_NO_EFFECT = List.of("user", "group", "uid", "gid", "chroot", "ulimit-n",
            "nbproc", "cpu-map", "node", "description", "ca-base", "crt-base", "ssl-default-bind-ciphers",
            "ssl-default-bind-ciphersuites", "ssl-default-bind-options", "ssl-default-server-ciphers",
            "ssl-default-server-ciphersuites", "ssl-default-server-options", "spread-checks",
            "master-worker");

    private Keywords() {
    }

    /** The keywords valid in a section of this type, for messages. */
    static List<String> validIn(SectionType type) {
        if (type == GLOBAL) {
            return GLOBAL_KEYWORDS;
        }
        return PROXY.entrySet().stream().filter(e -> e.getValue().contains(type)).map(Map.Entry::getKey).toList();
    }

    /** The words valid after {@code timeout} / {@code option} in a section of this type. */
    static List<String> validIn(Map<String, Set<SectionType>> table, SectionType type) {
        return table.entrySet().stream().filter(e -> e.getValue().contains(type)).map(Map.Entry::getKey).toList();
    }

    /** "listen, backend" for messages. */
    static String sectionsOf(Set<SectionType> types) {
        return String.join(", ", types.stream().map(SectionType::keyword).toList());
    }

    private static Map<String, Set<SectionType>> withFlags(Map<String, Set<SectionType>> options) {
        Map<String, Set<SectionType>> map = new LinkedHashMap<>(options);
        for (ProxyFlag f : ProxyFlag.values()) {
            if (f.isOption()) map.put(f.keyword(), f.sections());
        }
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, Set<SectionType>> timeouts() {
        Map<String, Set<SectionType>> map = new LinkedHashMap<>();
        for (TimeoutKind k : TimeoutKind.values()) map.put(k.keyword(), k.sections());
        return Collections.unmodifiableMap(map);
    }

    /** The 1.4 statements of some timeouts ({@code contimeout}...), in declared order. */
    private static Map<String, Set<SectionType>> legacyTimeouts() {
        Map<String, Set<SectionType>> map = new LinkedHashMap<>();
        for (TimeoutKind k : TimeoutKind.values()) {
            if (k.legacyKeyword() != null) map.put(k.legacyKeyword(), k.sections());
        }
        return map;
    }

    /** Every {@code KEYWORD N} setting ({@link ProxyCount}), in its declared order. */
    private static Map<String, Set<SectionType>> counts() {
        Map<String, Set<SectionType>> map = new LinkedHashMap<>();
        for (ProxyCount c : ProxyCount.values()) map.put(c.keyword(), c.sections());
        return map;
    }

    @SafeVarargs
    private static Map<String, Set<SectionType>> joined(Map<String, Set<SectionType>>... parts) {
        Map<String, Set<SectionType>> map = new LinkedHashMap<>();
        for (Map<String, Set<SectionType>> part : parts) map.putAll(part);
        return Collections.unmodifiableMap(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<SectionType>> ordered(Object... pairs) {
        Map<String, Set<SectionType>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Set<SectionType>) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
