package io.tidegate.log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * {@code log HOST[:PORT] ...}: one datagram per line to a syslog server. The socket is non-blocking:
 * a line the kernel cannot take at once is dropped and counted, never waited for (HAProxy does the
 * same), so a slow or absent syslog server never slows the relay.
 */
public final class UdpSyslogSink implements LogSink {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");

    private final InetSocketAddress target;
    private final DatagramChannel channel;
    private final SyslogFraming.Format format;
    private final int facility;
    private final String maxLevel;
    private final String minLevel;
    private final int maxLength;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean warned;

    public UdpSyslogSink(InetSocketAddress target, SyslogFraming.Format format, int facility, String maxLevel,
                         String minLevel, int maxLength) throws IOException {
        this.target = target;
        this.format = format;
        this.facility = facility;
        this.maxLevel = maxLevel;
        this.minLevel = minLevel;
        this.maxLength = maxLength;
        this.channel = DatagramChannel.open();
        channel.configureBlocking(false);
        // not connected: Linux reports ICMP "port unreachable" only on connected sockets, so a syslog
        // server that is down costs nothing here (no exception per line), as with HAProxy
        channel.bind(null);
    }

    @Override
    public void write(LogLine line, int level) {
        if (!SyslogFraming.passes(level, maxLevel, minLevel)) return;
        ByteBuffer b = SyslogFraming.frame(line, format, facility, level, maxLength);
        try {
            if (channel.send(b, target) == 0) dropped.increment();
        } catch (IOException e) {
            // ICMP port unreachable and the like: the line is lost, as with any UDP syslog
            dropped.increment();
            if (!warned) {
                warned = true;
                LOG.warnf("syslog target %s: %s (lines are dropped while this lasts)", target, e.getMessage());
            }
        }
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "udp syslog " + target;
    }
}
