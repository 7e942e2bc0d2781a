package io.tidegate.engine;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * One line per request in the spirit of HAProxy's httplog: client, accept date, frontend,
 * backend/server, Tq/Tw/Tc/Tr/Tt in ms, status, bytes to the client, termination state, request line.
 */
final class AccessLog {
    static final Logger LOG = Logger.getLogger("io.tidegate.access");
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AccessLog() {
    }

    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    static void request(InetSocketAddress client, long acceptMillis, String frontend, String backend, String server,
                        long tq, long tw, long tc, long tr, long tt, int status, long bytes, String termination,
                        String requestLine) {
        LOG.infof("%s:%d [%s] %s %s/%s %d/%d/%d/%d/%d %d %d %s \"%s\"",
                client.getAddress().getHostAddress(), client.getPort(), DATE.format(Instant.ofEpochMilli(acceptMillis)),
                frontend, backend == null ? "-" : backend, server == null ? "<NOSRV>" : server,
                tq, tw, tc, tr, tt, status, bytes, termination, requestLine == null ? "<BADREQ>" : requestLine);
    }

    /** TCP mode, HAProxy tcplog-like: one line per session, Tw/Tc/Tt in ms, bytes to the client. */
    static void session(InetSocketAddress client, long acceptMillis, String frontend, String backend, String server,
                        long tw, long tc, long tt, long bytes, String termination) {
        LOG.infof("%s:%d [%s] %s %s/%s %d/%d/%d %d %s",
                client.getAddress().getHostAddress(), client.getPort(), DATE.format(Instant.ofEpochMilli(acceptMillis)),
                frontend, backend == null ? "-" : backend, server == null ? "<NOSRV>" : server,
                tw, tc, tt, bytes, termination);
    }
}
