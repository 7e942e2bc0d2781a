package io.tidegate.engine;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;
import io.tidegate.net.ListenerParking;
import io.tidegate.net.ListeningSocket;
import io.tidegate.net.NioConnection;
import org.jboss.logging.Logger;

/**
 * One bound address of a frontend: accepts connections and starts a session for each. A reload that
 * keeps the address keeps the listener and its open socket and points it at the new graph's
 * frontend ({@link #switchTo}); its keep-alive sessions follow at their next request. A reload that
 * removes the address closes the socket and lets the sessions drain ({@link #stopAccepting}).
 */
final class Listener {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    private static final int BACKLOG = 1024;
    static final long ACCEPT_RETRY_MS = 100;

    private final InetSocketAddress address;
    /**
     * The frontend new connections and the next requests of this listener's keep-alive sessions run
     * on; replaced by a reload. Null before {@link #switchTo} of a new listener, and after a reload
     * removed the address and no frontend of the same name is left for its sessions.
     */
    private volatile RuntimeFrontend frontend;
    private final Set<ClientConnection> sessions = ConcurrentHashMap.newKeySet();
    /** The buffers of each IO thread, by loop index. */
    private final LoopBuffers[] buffers;
    private final ConnectionLimit limit;
    private volatile ListeningSocket channel;
    private volatile long lastAcceptWarning;
    /** The socket was taken over from a previous deployment, not bound here. */
    private boolean adopted;

    Listener(InetSocketAddress address, RuntimeFrontend frontend, LoopBuffers[] buffers,
             ConnectionLimit limit) {
        this.address = address;
        this.frontend = frontend;
        this.buffers = buffers;
        this.limit = limit;
    }

    /** Binds and starts accepting. */
    void open(EventLoopGroup loops) throws IOException {
        bind(loops);
        startAccepting();
    }

    /**
     * Binds the address, accepts still suspended (a reload binds every new address before it
     * switches). A socket a previous deployment parked for this address ({@link ListenerParking})
     * is taken over instead: it never stopped listening, its waiting connections are accepted here.
     */
    void bind(EventLoopGroup loops) throws IOException {
        java.nio.channels.ServerSocketChannel parked = address.getPort() == 0 ? null
                : ListenerParking.claim(parkingKey());
        if (parked != null) {
            try {
                channel = ListeningSocket.adopt(parked, loops.loops(), this::acceptAll);
                adopted = true;
                return;
            } catch (IOException | RuntimeException e) {
                closeQuietly(parked);
                LOG.warnf("Cannot take over the parked listening socket on %s (%s); binding anew", format(address),
                        e.getMessage());
            }
        }
        channel = ListeningSocket.bind(address, BACKLOG, loops.loops(), this::acceptAll);
    }

    /** The key of this address in {@link ListenerParking}. */
    private String parkingKey() {
        return format(address);
    }

    /**
     * Undeploy of an upgrade: stops accepting and parks the socket, still listening, for the next
     * deployment (closed after {@code timeoutMs} if nobody claims it). New requests of this
     * listener's keep-alive sessions are answered with {@code Connection: close}.
     *
     * @return true when a socket was parked
     */
    boolean park(long timeoutMs) {
        ListeningSocket ch = channel;
        channel = null;
        frontend = null;
        if (ch == null) return false;
        java.nio.channels.ServerSocketChannel raw = ch.detach();
        if (address.getPort() == 0 || !raw.isOpen()) {
            closeQuietly(raw);
            return false;
        }
        ListenerParking.park(parkingKey(), raw, timeoutMs);
        LOG.infof("Listening socket on %s parked for the next deployment (%d sessions drain)",
                format(ch.boundAddress()), sessions.size());
        return true;
    }

    /**
     * Undeploy: every session ends after its exchange in progress ({@code Connection: close} on its
     * last response); idle keep-alive sessions answer one more request that way, if it comes.
     */
    void endSessionsAfterExchange() {
        for (ClientConnection s : sessions) {
            try {
                s.ioThread().execute(s::endAfterExchange);
            } catch (RejectedExecutionException e) {
                // gone with its thread
            }
        }
    }

    /** The sessions open now. */
    java.util.List<ClientConnection> sessionsNow() {
        return new java.util.ArrayList<>(sessions);
    }

    /** Counts, on their threads, the sessions with an exchange in progress; waits up to 1 s. */
    int busySessions() {
        return busy(new java.util.ArrayList<>(sessions));
    }

    /** Counts, on their threads, those of {@code now} with an exchange in progress; waits up to 1 s. */
    static int busy(java.util.List<ClientConnection> now) {
        java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch counted = new CountDownLatch(now.size());
        for (ClientConnection s : now) {
            try {
                s.ioThread().execute(() -> {
                    if (s.isBusy()) busy.incrementAndGet();
                    counted.countDown();
                });
            } catch (RejectedExecutionException e) {
                counted.countDown();
            }
        }
        try {
            if (!counted.await(1, TimeUnit.SECONDS)) return Math.max(1, busy.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return busy.get();
    }

    void startAccepting() {
        channel.resumeAccepts();
        if (adopted) {
            LOG.infof("Proxy %s started on %s (listening socket taken over from the previous deployment)",
                    frontend.name(), format(boundAddress()));
        } else {
            LOG.infof("Proxy %s started on %s", frontend.name(), format(boundAddress()));
        }
    }

    /** The address as configured (port 0 stays 0): what a reload compares. */
    InetSocketAddress configuredAddress() {
        return address;
    }

    /** The address actually bound (the real port when the plan asked for port 0). */
    InetSocketAddress boundAddress() {
        ListeningSocket ch = channel;
        return ch == null ? address : ch.boundAddress();
    }

    RuntimeFrontend frontend() {
        return frontend;
    }

    /**
     * Points this listener at {@code next} (a reload): new connections start there at once, idle
     * keep-alive sessions are moved on their IO threads, busy ones follow when their exchange ends.
     * The socket is not touched.
     */
    void switchTo(RuntimeFrontend next) {
        RuntimeFrontend previous = frontend;
        if (previous != null && previous.connectionLimit() != next.connectionLimit()) {
            previous.connectionLimit().unregister(this);
        }
        next.connectionLimit().register(this);
        frontend = next;
        if (previous != null) tellSessions();
    }

    /**
     * A reload removed this address: the socket closes (connections already waiting in its backlog
     * are accepted first), the sessions stay. They move to {@code successor} (a frontend of the same
     * name that remains, may be null) or, with none, end after their exchange in progress.
     */
    void stopAccepting(EventLoopGroup loops, RuntimeFrontend successor) {
        ListeningSocket ch = channel;
        if (ch == null) return;
        ch.suspendAccepts();
        EventLoop first = loops.get(0);
        CountDownLatch drained = new CountDownLatch(1);
        try {
            first.execute(() -> {
                try {
                    acceptAll(first);
                } finally {
                    drained.countDown();
                }
            });
            drained.await(2, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // the loops are stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel = null;
        ch.close();
        RuntimeFrontend previous = frontend;
        if (previous != null) previous.connectionLimit().unregister(this);
        limit.unregister(this);
        frontend = successor;
        tellSessions();
        LOG.infof("Proxy %s stopped on %s (%d sessions drain)", previous == null ? "?" : previous.name(),
                format(ch.boundAddress()), sessions.size());
    }

    /** Asks each session, on its own IO thread, to follow this listener's frontend if it is idle. */
    private void tellSessions() {
        for (ClientConnection s : sessions) {
            try {
                s.ioThread().execute(s::followListenerIfIdle);
            } catch (RejectedExecutionException e) {
                // its IO thread has stopped and closed the connection already
            }
        }
    }

    /**
     * Asks each session still on one of {@code old} (a replaced graph's frontends) to end: politely
     * (idle ones close, busy ones close after their exchange, a {@code Connection: close} on the last
     * response when it has not started) or, with {@code force}, at once.
     *
     * @return the sessions asked (those of this listener; each checks on its thread whether it is on {@code old})
     */
    int endSessionsOn(Set<RuntimeFrontend> old, boolean force) {
        int n = 0;
        for (ClientConnection s : sessions) {
            try {
                s.ioThread().execute(() -> s.endIfOn(old, force));
                n++;
            } catch (RejectedExecutionException e) {
                // gone with its thread
            }
        }
        return n;
    }

    /** Runs on {@code loop} when connections wait: accepts them there while the limits allow. */
    private void acceptAll(EventLoop loop) {
        ListeningSocket ch = channel;
        RuntimeFrontend f = frontend;
        if (ch == null || f == null) return;
        ConnectionLimit own = f.connectionLimit();
        try {
            while (limit.tryAcquire(this)) {
                if (!own.tryAcquire(this)) {
                    limit.release();
                    return;
                }
                NioConnection c = ch.accept(loop);
                if (c == null) {
                    own.release();
                    limit.release();
                    return;
                }
                if (f.clientTcpKeepAlive) {
                    try {
                        c.keepAliveProbes();
                    } catch (IOException e) {
                        // the connection failed already: its first read reports it to the session
                    }
                }
                ClientConnection s = new ClientConnection(this, f, c, buffers[loop.index()], ended -> sessionEnded(ended, own));
                sessions.add(s);
                s.start();
            }
        } catch (IOException e) {
            own.release();
            limit.release();
            pauseAfterAcceptFailure(loop, ch, e);
        }
    }

    /**
     * accept() failed (out of file descriptors, most likely): the connection stays in the kernel's
     * backlog and the socket stays readable, so accepting again at once would spin. Accepting pauses
     * for {@link #ACCEPT_RETRY_MS} and resumes; the warning is logged at most every 10 s.
     */
    private void pauseAfterAcceptFailure(EventLoop loop, ListeningSocket ch, IOException e) {
        long now = System.nanoTime();
        if (now - lastAcceptWarning > TimeUnit.SECONDS.toNanos(10) || lastAcceptWarning == 0) {
            lastAcceptWarning = now;
            RuntimeFrontend f = frontend;
            LOG.warnf("Proxy %s cannot accept connections on %s: %s; retrying every %d ms", f == null ? "?" : f.name(),
                    format(boundAddress()), e.getMessage(), ACCEPT_RETRY_MS);
        }
        ch.suspendAccepts();
        loop.schedule(() -> {
            if (channel == ch) ch.resumeAccepts();
        }, ACCEPT_RETRY_MS, TimeUnit.MILLISECONDS);
    }

    private void sessionEnded(ClientConnection s, ConnectionLimit own) {
        if (sessions.remove(s)) {
            own.release();
            limit.release();
        }
    }

    void suspendAccepts() {
        ListeningSocket ch = channel;
        if (ch != null) ch.suspendAccepts();
    }

    void resumeAccepts() {
        ListeningSocket ch = channel;
        if (ch != null) ch.resumeAccepts();
    }

    /** Stops accepting (if it still does) and closes every session of this listener (each on its own IO thread). */
    void close() {
        ListeningSocket ch = channel;
        channel = null;
        if (ch != null) ch.close();
        for (ClientConnection s : sessions) {
            try {
                s.ioThread().execute(s::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // its IO thread has stopped and closed the connection already
            }
        }
        RuntimeFrontend f = frontend;
        if (ch != null) LOG.infof("Proxy %s stopped on %s", f == null ? "?" : f.name(), format(ch.boundAddress()));
    }

    boolean isAccepting() {
        return channel != null;
    }

    int sessionCount() {
        return sessions.size();
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? io.tidegate.net.AddressText.of(a.getAddress()) : a.getHostString();
        if (a.getAddress() instanceof Inet6Address) {
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            return "[" + host + "]:" + a.getPort();
        }
        return host + ":" + a.getPort();
    }
}
