package io.tidegate.log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Opens one more socket to send from. */
    private interface Opener {
        DatagramChannel open() throws IOException;
    }

    private final SocketAddress target;
    private final String name;
    private final Opener opener;
    /**
     * One socket per sending thread: a channel's send takes a lock, which the IO threads would
     * otherwise all contend for on every line. HAProxy's threads likewise each send on their own.
     */
    private final ThreadLocal<DatagramChannel> perThread = new ThreadLocal<>();
    private final Set<DatagramChannel> opened = ConcurrentHashMap.newKeySet();
    /** The socket opened while the sink was made (to fail then, not at the first line); the first sender takes it. */
    private final AtomicReference<DatagramChannel> spare;
    private volatile boolean closed;
    private volatile boolean warned;

    private DatagramSink(Opener opener, SocketAddress target, String name, SyslogFraming.Format format,
                         int facility, String maxLevel, String minLevel, int maxLength) throws IOException {
        super(format, facility, maxLevel, minLevel, maxLength);
        this.target = target;
        this.name = name;
        this.opener = opener;
        this.spare = new AtomicReference<>(open());
    }

    private DatagramChannel open() throws IOException {
        DatagramChannel ch = opener.open();
        ch.configureBlocking(false);
        opened.add(ch);
        return ch;
    }

    /** UDP syslog to {@code target}. */
    public static DatagramSink udp(InetSocketAddress target, SyslogFraming.Format format, int facility,
                                   String maxLevel, String minLevel, int maxLength) throws IOException {
        // not connected: Linux reports ICMP "port unreachable" only on connected sockets, so a syslog
        // server that is down costs nothing here (no exception per line), as with HAProxy
        return new DatagramSink(() -> DatagramChannel.open().bind(null), target, "udp syslog " + target, format,
                facility, maxLevel, minLevel, maxLength);
    }

    /**
     * The UNIX datagram socket at {@code path} (e.g. {@code /dev/log}). The socket need not exist yet:
     * lines sent while it does not are dropped and counted, as with a syslog server that is down.
     *
     * @throws IOException when UNIX sockets cannot be used here (junixsocket's native library did not load)
     */
    public static DatagramSink unix(Path path, SyslogFraming.Format format, int facility, String maxLevel,
                                    String minLevel, int maxLength) throws IOException {
        Opener opener = () -> {
            try {
                return AFUNIXDatagramChannel.open();
            } catch (LinkageError | RuntimeException e) {
                throw new IOException("UNIX datagram sockets are not available: " + e, e);
            }
        };
        return new DatagramSink(opener, AFUNIXSocketAddress.of(path), "unix syslog " + path, format, facility,
                maxLevel, minLevel, maxLength);
    }

    @Override
    boolean deliver(ByteBuffer b) {
        try {
            DatagramChannel ch = perThread.get();
            if (ch == null) {
                ch = spare.getAndSet(null);
                if (ch == null) ch = open();
                perThread.set(ch);
                if (closed) close();
            }
            return ch.send(b, target) != 0;
        } catch (IOException e) {
            // ICMP port unreachable, no socket at the path, sink closed and the like: the line is lost,
            // as with any syslog
            if (!warned && !closed) {
                warned = true;
                LOG.warnf("syslog target %s: %s (lines are dropped while this lasts)", this, e.getMessage());
            }
            return false;
        }
    }

    /** Closes every thread's socket; lines sent afterwards are dropped. */
    @Override
    public void close() {
        closed = true;
        for (DatagramChannel ch : opened) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
