package io.tidegate.cli;

import io.tidegate.config.StatsSocket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Serves the runtime API on one UNIX-domain socket ({@code stats socket}), on threads of its own
 * (never the engine's IO threads): one acceptor, and one thread per client, at most
 * {@code maxClients} at once (further clients wait in the socket's backlog, as with HAProxy's
 * {@code stats maxconn}). A client is closed when it is idle longer than the timeout
 * ({@code stats timeout}) or sends a line longer than {@link #MAX_LINE_BYTES}. The socket file gets
 * the configured mode; a stale socket file is replaced; the file is removed on close.
 */
public final class CliSocketServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("io.tidegate.cli");
    /** The longest command line accepted (HAProxy's default buffer size). */
    public static final int MAX_LINE_BYTES = 16 * 1024;
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private final StatsSocket socket;
    private final Path path;
    private final ServerSocketChannel server;
    private final CliCommands commands;
    private final long timeoutMs;
    private final Semaphore clients;
    private final Thread acceptor;
    /** Clients connected now: closed with the server so no client thread outlives it (undeploy). */
    private final Set<SocketChannel> clientsOpen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private CliSocketServer(StatsSocket socket, ServerSocketChannel server, CliCommands commands, long timeoutMs, int maxClients) {
        this.socket = socket;
        this.path = socket.isTcp() ? null : Path.of(socket.file());
        this.server = server;
        this.commands = commands;
        this.timeoutMs = timeoutMs;
        this.clients = new Semaphore(maxClients);
        this.acceptor = new Thread(this::acceptLoop, "tidegate-cli-accept " + socket.path());
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the socket (replacing a stale socket file, refusing to replace anything else), applies its
     * mode and starts accepting.
     */
    public static CliSocketServer open(StatsSocket socket, CliCommands commands, long timeoutMs, int maxClients) throws IOException {
        if (socket.isTcp()) return openTcp(socket, commands, timeoutMs, maxClients);
        Path path = Path.of(socket.file());
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)) {
                throw new IOException(path + " exists and is not a socket: not replaced");
            }
            Files.delete(path);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path), Math.max(16, maxClients * 2));
            if (socket.mode() != null) Files.setPosixFilePermissions(path, permissions(socket.mode()));
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        CliSocketServer s = new CliSocketServer(socket, ch, commands, timeoutMs, maxClients);
        s.acceptor.start();
        LOG.infof("Runtime API on %s (level %s%s)", path, socket.level().keyword(),
                socket.mode() == null ? "" : String.format(", mode %03o", socket.mode()));
        return s;
    }

    /**
     * HAProxy's {@code stats socket ipv4@ADDR:PORT}: the same protocol over TCP. Anyone who can reach
     * the address gets the socket's level (no file mode protects it), so an address other than
     * loopback is warned about.
     */
    private static CliSocketServer openTcp(StatsSocket socket, CliCommands commands, long timeoutMs, int maxClients) throws IOException {
        java.net.InetSocketAddress address = socket.tcpAddress();
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(address, Math.max(16, maxClients * 2));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        CliSocketServer s = new CliSocketServer(socket, ch, commands, timeoutMs, maxClients);
        s.acceptor.start();
        if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
            LOG.warnf("Runtime API on TCP %s (level %s): reachable from other hosts, with no sign-in", socket.path(),
                    socket.level().keyword());
        } else {
            LOG.infof("Runtime API on TCP %s (level %s)", socket.path(), socket.level().keyword());
        }
        return s;
    }

    /** The TCP address bound (the real port when the configuration asked for port 0), null for a UNIX socket. */
    public java.net.InetSocketAddress tcpAddress() {
        try {
            return path == null ? (java.net.InetSocketAddress) server.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((mode & (1 << i)) != 0) p.add(order[i]);
        return p;
    }

    public StatsSocket socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                clients.acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                clients.release();
                if (!closed) LOG.warnf("Runtime API on %s: accept failed: %s", socket.path(), e.getMessage());
                if (closed || !server.isOpen()) return;
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(client);
                } finally {
                    clients.release();
                }
            }, "tidegate-cli-" + CLIENT_IDS.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    /** One client: lines in, answers out, until the conversation ends, the client leaves or idles too long. */
    private void serve(SocketChannel client) {
        CliConversation conversation = new CliConversation(commands, socket.level());
        ByteBuffer in = ByteBuffer.allocate(MAX_LINE_BYTES);
        clientsOpen.add(client);
        if (closed) closeQuietly(client);
        try (client; Selector selector = Selector.open()) {
            client.configureBlocking(false);
            SelectionKey key = client.register(selector, SelectionKey.OP_READ);
            while (!closed && !conversation.done()) {
                int n = read(client, selector, key, in);
                int lineEnd = indexOf(in, (byte) '\n');
                while (lineEnd >= 0 && !conversation.done()) {
                    String line = takeLine(in, lineEnd);
                    write(client, selector, key, conversation.line(line));
                    lineEnd = indexOf(in, (byte) '\n');
                }
                if (conversation.done()) break;
                if (n < 0) {                          // the client closed its side: a last line without newline counts
                    if (in.position() > 0) write(client, selector, key, conversation.line(takeLine(in, in.position())));
                    break;
                }
                if (!in.hasRemaining()) {
                    write(client, selector, key, "Line too long (more than " + MAX_LINE_BYTES + " bytes).\n\n");
                    discardInput(client, selector, key, in);
                    break;
                }
            }
        } catch (CliTimeout e) {
            LOG.debugf("Runtime API on %s: client idle for %d ms, closed", socket.path(), timeoutMs);
        } catch (IOException e) {
            LOG.debugf("Runtime API on %s: client connection failed: %s", socket.path(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Runtime API on %s: command failed", socket.path());
        } finally {
            clientsOpen.remove(client);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static final class CliTimeout extends IOException {
        CliTimeout() {
            super("idle", null);
        }
    }

    /** Reads what is there, waiting up to the timeout; -1 at the end of the client's stream. */
    private int read(SocketChannel client, Selector selector, SelectionKey key, ByteBuffer in) throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            int n = client.read(in);
            if (n != 0 || !in.hasRemaining()) return n;
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) throw new CliTimeout();
            selector.select(left);
            selector.selectedKeys().clear();
            if (closed) throw new ClosedChannelException();
        }
    }

    /**
     * After refusing a line: ends the answer and reads away what the client still sends (at most 1 MiB,
     * within the timeout), so closing does not reset the connection before the client has read the answer.
     */
    private void discardInput(SocketChannel client, Selector selector, SelectionKey key, ByteBuffer in) throws IOException {
        client.shutdownOutput();
        long left = 1 << 20;
        while (left > 0) {
            in.clear();
            int n = read(client, selector, key, in);
            if (n < 0) return;
            left -= n;
        }
    }

    private void write(SocketChannel client, Selector selector, SelectionKey key, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        key.interestOps(SelectionKey.OP_WRITE);
        try {
            while (out.hasRemaining()) {
                if (client.write(out) > 0) continue;
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new CliTimeout();
                selector.select(left);
                selector.selectedKeys().clear();
            }
        } finally {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static int indexOf(ByteBuffer in, byte b) {
        for (int i = 0; i < in.position(); i++) if (in.get(i) == b) return i;
        return -1;
    }

    /** Removes bytes [0, end] (the newline too, if there) from the buffer and returns them as a line. */
    private static String takeLine(ByteBuffer in, int end) {
        int len = Math.min(end, in.position());
        String line = new String(in.array(), 0, len, StandardCharsets.UTF_8);
        int consumed = Math.min(end + 1, in.position());
        in.flip();
        in.position(consumed);
        in.compact();
        return line;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debugf("closing %s: %s", socket.path(), e.getMessage());
        }
        acceptor.interrupt();
        clientsOpen.forEach(CliSocketServer::closeQuietly);
        try {
            if (path != null) Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("Runtime API: cannot remove %s: %s", path, e.getMessage());
        }
        LOG.infof("Runtime API on %s closed", socket.path());
    }
}
