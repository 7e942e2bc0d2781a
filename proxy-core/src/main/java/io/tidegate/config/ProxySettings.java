package io.tidegate.config;

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
 * @param hashType        {@code hash-type map-based|consistent [FUNCTION]}: how hash-based balancing maps keys
 * @param errorfiles      {@code errorfile CODE FILE} lines by status (merged per status over the defaults); never null
 * @param httpCheckSend   {@code http-check send ...}: the request of HTTP health checks (HAProxy 2.2+)
 * @param tcpCheckRules   the {@code tcp-check ...} lines, in order; empty = none written here (a section's
 *                        own rules replace those of its defaults as a whole, as in HAProxy)
 */
public record ProxySettings(Mode mode, Balance balance, Timeouts timeouts, Integer maxconn, CookieSpec cookie,
                            ConnectionMode connectionMode, ForwardFor forwardFor, HealthCheck healthCheck,
                            HttpCheckExpect httpCheckExpect, LogFormat logFormat, ProxyFlags flags,
                            String monitorUri, List<String> monitorNets, Duration grace, Integer retries,
                            Integer fullconn, List<LogTarget> logs, ServerOptions defaultServer,
                            Duration redispatchDrained, CookieCapture captureCookie, String hashType,
                            java.util.Map<Integer, String> errorfiles, HttpCheckSend httpCheckSend,
                            List<TcpCheckRule> tcpCheckRules) {

    /** Nothing written. */
    public static final ProxySettings NONE = new ProxySettings(null, null, Timeouts.NONE, null, null, null, null,
            null, null, null, ProxyFlags.NONE, null, List.of(), null, null, null, List.of(),
            ServerOptions.NONE, null, null, null, java.util.Map.of(), null, List.of());

    /** HAProxy's proxy maxconn when none is written (the value of the 1.4 guide's HAProxy). */
    public static final int DEFAULT_MAXCONN = 2000;
    public static final int DEFAULT_RETRIES = 3;

    /**
     * HAProxy's built-in values: mode tcp, balance roundrobin, maxconn 2000, retries 3, keep-alive,
     * TCP health checks, no forwardfor, grace 0, every option off. Timeouts stay unset (= none),
     * the cookie stays unset (= no persistence). {@code fullconn} is computed per backend by
     * {@link Config#effective(ProxySection)}.
     */
    public static final ProxySettings BUILT_IN = new ProxySettings(Mode.TCP, Balance.ROUNDROBIN, Timeouts.NONE,
            DEFAULT_MAXCONN, null, ConnectionMode.KEEP_ALIVE, ForwardFor.DISABLED, HealthCheck.TCP, null, null,
            ProxyFlags.NONE, null, List.of(), Duration.ZERO, DEFAULT_RETRIES, null, List.of(),
            ServerOptions.NONE, Duration.ZERO, null, "map-based", java.util.Map.of(), null, List.of());

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
        return new ProxySettings(pick(mode, base.mode), pick(balance, base.balance), timeouts.over(base.timeouts),
                pick(maxconn, base.maxconn), pick(cookie, base.cookie), pick(connectionMode, base.connectionMode),
                pick(forwardFor, base.forwardFor), pick(healthCheck, base.healthCheck),
                pick(httpCheckExpect, base.httpCheckExpect), pick(logFormat, base.logFormat),
                flags.over(base.flags),
                pick(monitorUri, base.monitorUri), monitorNets.isEmpty() ? base.monitorNets : monitorNets,
                pick(grace, base.grace), pick(retries, base.retries), pick(fullconn, base.fullconn),
                logs.isEmpty() ? base.logs : logs, defaultServer.over(base.defaultServer),
                pick(redispatchDrained, base.redispatchDrained), pick(captureCookie, base.captureCookie),
                pick(hashType, base.hashType), mergeErrorfiles(base),
                pick(httpCheckSend, base.httpCheckSend),
                tcpCheckRules.isEmpty() ? base.tcpCheckRules : tcpCheckRules);
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

    public ProxySettings withFlags(ProxyFlags v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, v, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withMode(Mode v) {
        return new ProxySettings(v, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withBalance(Balance v) {
        return new ProxySettings(mode, v, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withTimeouts(Timeouts v) {
        return new ProxySettings(mode, balance, v, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withMaxconn(Integer v) {
        return new ProxySettings(mode, balance, timeouts, v, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withCookie(CookieSpec v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, v, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withConnectionMode(ConnectionMode v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, v, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withForwardFor(ForwardFor v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, v, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withHealthCheck(HealthCheck v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, v, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withHttpCheckExpect(HttpCheckExpect v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, v, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withLogFormat(LogFormat v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, v, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withMonitorUri(String v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, v, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withMonitorNets(List<String> v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, v, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withGrace(Duration v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, v, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withRetries(Integer v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, v, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withFullconn(Integer v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, v, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withLogs(List<LogTarget> v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, v, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withDefaultServer(ServerOptions v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, v, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withRedispatchDrained(Duration v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, v, captureCookie, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withCaptureCookie(CookieCapture v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, v, hashType, errorfiles, httpCheckSend, tcpCheckRules);
    }

    /** {@code option redispatch-drained T} in force: T, else null. */
    public Duration redispatchDrainedAfter() {
        return redispatchDrained == null || redispatchDrained.isZero() ? null : redispatchDrained;
    }

    private static <T> T pick(T own, T base) {
        return own != null ? own : base;
    }

    public ProxySettings withHashType(String v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, v, errorfiles, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withErrorfiles(java.util.Map<Integer, String> v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, v, httpCheckSend, tcpCheckRules);
    }

    public ProxySettings withHttpCheckSend(HttpCheckSend v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, v, tcpCheckRules);
    }

    public ProxySettings withTcpCheckRules(List<TcpCheckRule> v) {
        return new ProxySettings(mode, balance, timeouts, maxconn, cookie, connectionMode, forwardFor, healthCheck, httpCheckExpect, logFormat, flags, monitorUri, monitorNets, grace, retries, fullconn, logs, defaultServer, redispatchDrained, captureCookie, hashType, errorfiles, httpCheckSend, v);
    }
}
