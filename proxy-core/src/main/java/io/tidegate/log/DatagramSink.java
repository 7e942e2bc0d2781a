package io.tidegate.log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import org.jboss.logging.Logger;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One datagram per line to a syslog server: {@code log HOST[:PORT] ...} over UDP, or
 * {@code log /dev/log ...} (any absolute path) over a UNIX datagram socket, which the JDK lacks and
 * junixsocket provides (its native library is unpacked to a temporary directory when first used).
 * The socket is non-blocking: a line the kernel cannot take at once is dropped and counted, never
 * waited for (HAProxy does the same), so a slow or absent syslog server never slows the relay.
 */
public final class DatagramSink extends FramedSink {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");

    private final SocketAddress target;
    private final String name;
    private final DatagramChannel channel;
    private volatile boolean warned;

    private DatagramSink(DatagramChannel channel, SocketAddress target, String name, SyslogFraming.Format format,
                         int facility, String maxLevel, String minLevel, int maxLength) throws IOException {
        super(format, facility, maxLevel, minLevel, maxLength);
        this.target = target;
        this.name = name;
        this.channel = channel;
        channel.configureBlocking(false);
    }

    /** UDP syslog to {@code target}. */
    public static DatagramSink udp(InetSocketAddress target, SyslogFraming.Format format, int facility,
                                   String maxLevel, String minLevel, int maxLength) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        // not connected: Linux reports ICMP "port unreachable" only on connected sockets, so a syslog
        // server that is down costs nothing here (no exception per line), as with HAProxy
        ch.bind(null);
        return new DatagramSink(ch, target, "udp syslog " + target, format, facility, maxLevel, minLevel, maxLength);
    }

    /**
     * The UNIX datagram socket at {@code path} (e.g. {@code /dev/log}). The socket need not exist yet:
     * lines sent while it does not are dropped and counted, as with a syslog server that is down.
     *
     * @throws IOException when UNIX sockets cannot be used here (junixsocket's native library did not load)
     */
    public static DatagramSink unix(Path path, SyslogFraming.Format format, int facility, String maxLevel,
                                    String minLevel, int maxLength) throws IOException {
        AFUNIXDatagramChannel ch;
        try {
            ch = AFUNIXDatagramChannel.open();
        } catch (LinkageError | RuntimeException e) {
            throw new IOException("UNIX datagram sockets are not available: " + e, e);
        }
        return new DatagramSink(ch, AFUNIXSocketAddress.of(path), "unix syslog " + path, format, facility, maxLevel, minLevel, maxLength);
    }

    @Override
    boolean deliver(ByteBuffer b) {
        try {
            return channel.send(b, target) != 0;
        } catch (IOException e) {
            // ICMP port unreachable, no socket at the path and the like: the line is lost, as with any syslog
            if (!warned) {
                warned = true;
                LOG.warnf("syslog target %s: %s (lines are dropped while this lasts)", this, e.getMessage());
            }
            return false;
        }
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
        return name;
    }
}
