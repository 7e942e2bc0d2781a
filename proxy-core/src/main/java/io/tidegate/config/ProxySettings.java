package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.time.Duration;
import java.util.List;

/**
 * The settings of one {@code defaults}, {@code listen}, {@code frontend} or {@code backend} section,
 * as written in that section: {@code null} (or an empty list, {@link Timeouts#NONE},
 * {@link ServerOptions#NONE}) = not written here. {@link Config#effective(ProxySection)} layers them
 * over the preceding {@code defaults} section and HAProxy's built-in values ({@link #BUILT_IN}).
 *
 * @param mode            {@code mode http|tcp}
 * @param balance         {@code balance ...}
 * @param timeouts        {@code timeout ...} and the 1.4 spellings {@code contimeout/clitimeout/srvtimeout}; never null
 * @param maxconn         {@code maxconn N}: concurrent connections accepted by a listen/frontend
 * @param cookie          {@code cookie NAME ...}
 * @param connectionMode  {@code option httpclose | http-server-close | http-keep-alive}
 * @param forwardFor      {@code [no] option forwardfor ...}
 * @param healthCheck     {@code option httpchk ...} / {@code option ssl-hello-chk}
 * @param httpCheckExpect {@code http-check expect ...}
 * @param logFormat       {@code option httplog | tcplog}
 * @param flags           {@code [no] option X} of every on/off option ({@link ProxyFlag}), 1.4 {@code redispatch}; never null
 * @param monitorUri      {@code monitor-uri URI}
 * @param monitorNets     {@code monitor-net NET} lines, in order (address or CIDR as written); empty = none
 * @param grace           {@code grace T}
 * @param retries         {@code retries N}
 * @param fullconn        {@code fullconn N}
 * @param logs            {@code log ...} lines, in order; empty = none
 * @param defaultServer   {@code default-server ...} options (several lines merge, later words win); never null
 * @param redispatchDrained {@code option redispatch-drained T}: how long a drained server keeps its persistent
 *                        clients; {@link Duration#ZERO} = {@code no option redispatch-drained} (they stay for good)
 * @param captureCookie   {@code capture cookie NAME len N}: the cookie shown in httplog's %CC / %CS
 * @param persistRdpCookie {@code persist rdp-cookie[(NAME)]}: the cookie (msts by default) whose
 *                        ADDRESS.PORT. value names the server of an RDP connection; null = none
 * @param hashType        {@code hash-type map-based|consistent [FUNCTION]}: how hash-based balancing maps keys
 * @param errorfiles      {@code errorfile CODE FILE} lines by status (merged per status over the defaults); never null
 * @param httpCheckSend   {@code http-check send ...}: the request of HTTP health checks (HAProxy 2.2+)
 * @param tcpCheckRules   the {@code tcp-check ...} lines, in order; empty = none written here (a section's
 *                        own rules replace those of its defaults as a whole, as in HAProxy)
 * @param compression     {@code compression algo|type|offload ...}; null = none written here
 */
@RecordBuilder
@RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
public record ProxySettings(Mode mode, Balance balance, Timeouts timeouts, Integer maxconn, CookieSpec cookie,
                            ConnectionMode connectionMode, ForwardFor forwardFor, HealthCheck healthCheck,
                            HttpCheckExpect httpCheckExpect, LogFormat logFormat, ProxyFlags flags,
                            String monitorUri, List<String> monitorNets, Duration grace, Integer retries,
                            Integer fullconn, List<LogTarget> logs, ServerOptions defaultServer,
                            Duration redispatchDrained, CookieCapture captureCookie, String hashType,
                            java.util.Map<Integer, String> errorfiles, HttpCheckSend httpCheckSend,
                            List<TcpCheckRule> tcpCheckRules, Compression compression, String persistRdpCookie)
        implements ProxySettingsBuilder.With {

    /** Nothing written. */
    public static final ProxySettings NONE = ProxySettingsBuilder.builder()
            .timeouts(Timeouts.NONE)
            .flags(ProxyFlags.NONE)
            .monitorNets(List.of())
            .logs(List.of())
            .defaultServer(ServerOptions.NONE)
            .errorfiles(java.util.Map.of())
            .tcpCheckRules(List.of())
            .build();

    /**
     * HAProxy's built-in values: mode tcp, balance roundrobin, keep-alive, TCP health checks, no
     * forwardfor, grace 0, every option off, and each {@code KEYWORD N} setting's own built-in value
     * ({@link ProxyCount#builtIn()}: maxconn 2000, retries 3). Timeouts stay unset (= none), the cookie
     * stays unset (= no persistence). {@code fullconn} is computed per backend by
     * {@link Config#effective(ProxySection)}.
     */
    public static final ProxySettings BUILT_IN = withBuiltInCounts(ProxySettingsBuilder.builder()
            .mode(Mode.TCP)
            .balance(Balance.ROUNDROBIN)
            .timeouts(Timeouts.NONE)
            .connectionMode(ConnectionMode.KEEP_ALIVE)
            .forwardFor(ForwardFor.DISABLED)
            .healthCheck(HealthCheck.TCP)
            .flags(ProxyFlags.NONE)
            .monitorNets(List.of())
            .grace(Duration.ZERO)
            .logs(List.of())
            .defaultServer(ServerOptions.NONE)
            .redispatchDrained(Duration.ZERO)
            .hashType("map-based")
            .errorfiles(java.util.Map.of())
            .tcpCheckRules(List.of())
            .build());

    private static ProxySettings withBuiltInCounts(ProxySettings s) {
        for (ProxyCount c : ProxyCount.values()) s = c.set(s, c.builtIn());
        return s;
    }

    public ProxySettings {
        timeouts = timeouts == null ? Timeouts.NONE : timeouts;
        flags = flags == null ? ProxyFlags.NONE : flags;
        monitorNets = monitorNets == null ? List.of() : List.copyOf(monitorNets);
        logs = logs == null ? List.of() : List.copyOf(logs);
        defaultServer = defaultServer == null ? ServerOptions.NONE : defaultServer;
        errorfiles = errorfiles == null ? java.util.Map.of() : java.util.Map.copyOf(errorfiles);
        tcpCheckRules = tcpCheckRules == null ? List.of() : List.copyOf(tcpCheckRules);
    }

    /** Each setting of {@code this}, else the one of {@code base} (timeouts and default-server per field). */
    public ProxySettings over(ProxySettings base) {
        return ProxySettingsBuilder.stagedBuilder()
                .mode(pick(mode, base.mode))
                .balance(pick(balance, base.balance))
                .timeouts(timeouts.over(base.timeouts))
                .maxconn(pick(maxconn, base.maxconn))
                .cookie(pick(cookie, base.cookie))
                .connectionMode(pick(connectionMode, base.connectionMode))
                .forwardFor(pick(forwardFor, base.forwardFor))
                .healthCheck(pick(healthCheck, base.healthCheck))
                .httpCheckExpect(pick(httpCheckExpect, base.httpCheckExpect))
                .logFormat(pick(logFormat, base.logFormat))
                .flags(flags.over(base.flags))
                .monitorUri(pick(monitorUri, base.monitorUri))
                .monitorNets(monitorNets.isEmpty() ? base.monitorNets : monitorNets)
                .grace(pick(grace, base.grace))
                .retries(pick(retries, base.retries))
                .fullconn(pick(fullconn, base.fullconn))
                .logs(logs.isEmpty() ? base.logs : logs)
                .defaultServer(defaultServer.over(base.defaultServer))
                .redispatchDrained(pick(redispatchDrained, base.redispatchDrained))
                .captureCookie(pick(captureCookie, base.captureCookie))
                .hashType(pick(hashType, base.hashType))
                .errorfiles(mergeErrorfiles(base))
                .httpCheckSend(pick(httpCheckSend, base.httpCheckSend))
                .tcpCheckRules(tcpCheckRules.isEmpty() ? base.tcpCheckRules : tcpCheckRules)
                .compression(compression == null ? (base.compression == null ? null : base.compression.inherited())
                        : compression.over(base.compression))
                .persistRdpCookie(pick(persistRdpCookie, base.persistRdpCookie))
                .build();
    }

    private java.util.Map<Integer, String> mergeErrorfiles(ProxySettings base) {
        java.util.Map<Integer, String> m = new java.util.HashMap<>(base.errorfiles);
        m.putAll(errorfiles);
        return m;
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** {@code option httpclose}. */
    public boolean isHttpClose() {
        return connectionMode == ConnectionMode.CLOSE;
    }

    /** {@code option forwardfor} in force. */
    public boolean isForwardFor() {
        return forwardFor != null && forwardFor.enabled();
    }

    /** An on/off option in force ({@code option X} here or in the defaults; off when written nowhere). */
    public boolean isOn(ProxyFlag flag) {
        return flags.isOn(flag);
    }

    /** {@code option FLAG} (enabled) or {@code no option FLAG}. */
    public ProxySettings withFlag(ProxyFlag flag, boolean enabled) {
        return withFlags(flags.with(flag, enabled));
    }

    /** {@code option redispatch-drained T} in force: T, else null. */
    public Duration redispatchDrainedAfter() {
        return redispatchDrained == null || redispatchDrained.isZero() ? null : redispatchDrained;
    }

    private static <T> T pick(T own, T base) {
        return own != null ? own : base;
    }
}
