package io.tidegate.engine;

import io.tidegate.config.LogTarget;
import io.tidegate.log.JBossLogSink;
import io.tidegate.log.DatagramSink;
import io.tidegate.log.LogSink;
import io.tidegate.log.StreamSink;
import io.tidegate.log.SyslogFraming;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log sinks of one engine: one per distinct {@code log} line (frontends writing to the same
 * target share its socket), opened when the engine starts and closed with it: stdout/stderr, UDP syslog,
 * a UNIX datagram socket such as {@code /dev/log} (junixsocket), or WildFly's logging.
 */
final class LogSinks implements AutoCloseable {
    static final int DEFAULT_SYSLOG_PORT = 514;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger("io.tidegate.engine");
    private final Map<LogTarget, LogSink> open = new LinkedHashMap<>();

    /** The sinks of a policy: none for {@code no log}, WildFly's logging when it has no target. */
    synchronized List<LogSink> sinksFor(LogPolicy policy) throws EngineException {
        if (policy.disabled()) return List.of();
        if (policy.targets().isEmpty()) return List.of(JBossLogSink.INSTANCE);
        List<LogSink> sinks = new ArrayList<>();
        for (LogTarget t : policy.targets()) {
            LogSink s = open.get(t);
            if (s == null) {
                s = create(t);
                open.put(t, s);
            }
            if (!sinks.contains(s)) sinks.add(s);
        }
        return sinks;
    }

    private static LogSink create(LogTarget t) throws EngineException {
        SyslogFraming.Format format = SyslogFraming.format(t.effectiveFormat());
        int facility = SyslogFraming.FACILITIES.indexOf(t.facility());
        if (t.isStdout()) return StreamSink.stdout(format, facility, t.level(), t.minLevel(), t.effectiveLength());
        if (t.isStderr()) return StreamSink.stderr(format, facility, t.level(), t.minLevel(), t.effectiveLength());
        if (t.isUnixSocket()) {
            try {
                return DatagramSink.unix(java.nio.file.Path.of(t.address()), format, facility, t.level(), t.minLevel(),
                        t.effectiveLength());
            } catch (IOException e) {
                LOG.warnf("log %s: %s; these lines go to WildFly's logging (category %s) instead", t.address(),
                        e.getMessage(), JBossLogSink.CATEGORY);
                return JBossLogSink.INSTANCE;
            }
        }
        String address = t.address();
        String host = address;
        int port = DEFAULT_SYSLOG_PORT;
        int colon = address.lastIndexOf(':');
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            host = address.substring(1, close);
            if (close + 1 < address.length()) port = Integer.parseInt(address.substring(close + 2));
        } else if (colon > 0 && address.indexOf(':') == colon) {
            host = address.substring(0, colon);
            port = Integer.parseInt(address.substring(colon + 1));
        }
        try {
            return DatagramSink.udp(new InetSocketAddress(InetAddress.getByName(host), port), format, facility,
                    t.level(), t.minLevel(), t.effectiveLength());
        } catch (IOException e) {
            throw new EngineException("log " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        for (LogSink s : open.values()) s.close();
        open.clear();
    }
}
