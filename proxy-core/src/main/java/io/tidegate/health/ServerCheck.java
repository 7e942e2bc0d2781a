package io.tidegate.health;

import io.soabase.recordbuilder.core.RecordBuilder;

import io.tidegate.config.ProxySettings;
import io.tidegate.config.Server;
import io.tidegate.config.ServerOptions;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Everything needed to check one server: where (the traffic address, or the {@code addr} / {@code port}
 * the check is redirected to), how (the probe and its timeouts), how often and with which rise/fall.
 *
 * @param server   backend/server name
 * @param backup   a {@code backup} server (counted apart in the log line)
 * @param target   the address checks connect to
 * @param probe    the kind of check
 * @param timeouts how long one check may take
 * @param intervals inter / fastinter / downinter
 * @param rise     passed checks in a row to come up
 * @param fall     failed checks in a row to go down
 * @param initial  the health the server starts with
 * @param source   the local address checks bind to before connecting ({@code source} of the server,
 *                 its default-server or its proxy, as HAProxy does), null = any
 * @param logChecks {@code option log-health-checks}: log every change of the check status, not only up/down
 */
@RecordBuilder
public record ServerCheck(ServerKey server, boolean backup, InetSocketAddress target, HealthProbe probe,
                          CheckTimeouts timeouts, CheckIntervals intervals, int rise, int fall,
                          InitialState initial, InetSocketAddress source, boolean logChecks)
        implements ServerCheckBuilder.With {

    public ServerCheck {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(intervals, "intervals");
        initial = initial == null ? InitialState.UP : initial;
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1");
        }
    }

    /**
     * The check of a configured server of a section without listeners (a {@code backend}).
     *
     * @see #of(String, Server, ServerOptions, ProxySettings, int)
     */
    public static ServerCheck of(String backend, Server server, ServerOptions options, ProxySettings proxy) {
        return of(backend, server, options, proxy, 0);
    }

    /**
     * The check of a configured server. The port checked is, as in HAProxy 1.4 (whose configurations
     * must load as written): the {@code port} option, else the server's port, else the port of the
     * section's first listener (a {@code listen} section whose servers have no port); the address is
     * {@code addr}, else the server's.
     *
     * @param backend      the name of the backend or listen section
     * @param server       the {@code server} line
     * @param options      the server's effective options (its line over {@code default-server})
     * @param proxy        the section's effective settings (check kind, expect rule, timeouts)
     * @param listenerPort the port of the section's first listener, 0 when it has none
     * @throws IllegalArgumentException when no port can be found, which HAProxy refuses too
     */
    public static ServerCheck of(String backend, Server server, ServerOptions options, ProxySettings proxy,
                                 int listenerPort) {
        ServerKey key = new ServerKey(backend, server.name());
        String host = options.addr() != null ? options.addr() : server.host();
        int port = options.port() != null ? options.port() : server.port() > 0 ? server.port() : listenerPort;
        if (port <= 0 && proxy.healthCheck() != null
                && proxy.healthCheck().kind() == io.tidegate.config.CheckKind.TCP_CHECK) {
            port = firstConnectPort(proxy.tcpCheckRules());      // HAProxy accepts a first 'connect port N'
        }
        if (port <= 0) {
            throw new IllegalArgumentException("server " + key + " has neither service port nor check port;"
                    + " add a port to its address or 'port N' to check it");
        }
        return ServerCheckBuilder.builder()
                .server(key)
                .backup(options.isBackup())
                .target(new InetSocketAddress(host, port))
                .probe(HealthProbe.of(proxy.healthCheck(), proxy.httpCheckExpect(), proxy.httpCheckSend(),
                        proxy.flags().isOn(io.tidegate.config.ProxyFlag.DISABLE_ON_404), proxy.tcpCheckRules()))
                .timeouts(CheckTimeouts.of(options.effectiveInter(), proxy.timeouts().connect(),
                        proxy.timeouts().check()))
                .intervals(CheckIntervals.of(options))
                .rise(options.effectiveRise())
                .fall(options.effectiveFall())
                .initial(InitialState.UP)
                .source(checkSource(options.source()))
                .logChecks(proxy.flags().isOn(io.tidegate.config.ProxyFlag.LOG_HEALTH_CHECKS))
                .build();
    }

    /** The port of a sequence's first step when it is a {@code tcp-check connect} with a port, else 0. */
    private static int firstConnectPort(java.util.List<io.tidegate.config.TcpCheckRule> rules) {
        for (io.tidegate.config.TcpCheckRule r : rules) {
            if (r instanceof io.tidegate.config.TcpCheckRule.Comment) continue;
            if (r instanceof io.tidegate.config.TcpCheckRule.Connect c) {
                if (c.port() != null) return c.port();
                if (c.addr() != null && c.addr().port() > 0) return c.addr().port();
            }
            return 0;
        }
        return 0;
    }

    /**
     * The local address of checks: the source address with its single port; with a port range the
     * system picks the port (the range is left to traffic connections).
     */
    static InetSocketAddress checkSource(String source) {
        if (source == null) return null;
        io.tidegate.config.SourceAddress a = io.tidegate.config.SourceAddress.parse(source);
        return new InetSocketAddress(a.host(), a.hasPortRange() ? 0 : a.lowPort());
    }

    /**
     * True when {@code other} checks the same server the same way (address, probe, timeouts, intervals,
     * rise, fall, backup flag), so a reload may keep the health this one reached.
     */
    public boolean sameSettings(ServerCheck other) {
        return other != null && server.equals(other.server) && backup == other.backup && target.equals(other.target)
                && probe.equals(other.probe) && timeouts.equals(other.timeouts) && intervals.equals(other.intervals)
                && rise == other.rise && fall == other.fall && Objects.equals(source, other.source);
    }
}
