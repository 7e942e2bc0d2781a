package io.tidegate.engine;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;
import io.tidegate.net.ListeningSocket;
import io.tidegate.net.NioConnection;
import org.jboss.logging.Logger;

/** One bound address of a frontend: accepts connections and starts a session for each. */
final class Listener {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    private static final int BACKLOG = 1024;
    static final long ACCEPT_RETRY_MS = 100;

    private final InetSocketAddress address;
    private final RuntimeFrontend frontend;
    private final Set<HttpSession> sessions = ConcurrentHashMap.newKeySet();
    /** The buffers of each IO thread, by loop index. */
    private final LoopBuffers[] buffers;
    private final ConnectionLimit limit;
    private volatile ListeningSocket channel;
    private volatile long lastAcceptWarning;

    Listener(InetSocketAddress address, RuntimeFrontend frontend, LoopBuffers[] buffers,
             ConnectionLimit limit) {
        this.address = address;
        this.frontend = frontend;
        this.buffers = buffers;
        this.limit = limit;
    }

    void open(EventLoopGroup loops) throws IOException {
        channel = ListeningSocket.bind(address, BACKLOG, loops.loops(), this::acceptAll);
        channel.resumeAccepts();
        LOG.infof("Proxy %s started on %s", frontend.name(), format(boundAddress()));
    }

    /** The address actually bound (the real port when the plan asked for port 0). */
    InetSocketAddress boundAddress() {
        ListeningSocket ch = channel;
        return ch == null ? address : ch.boundAddress();
    }

    RuntimeFrontend frontend() {
        return frontend;
    }

    /** Runs on {@code loop} when connections wait: accepts them there while the limits allow. */
    private void acceptAll(EventLoop loop) {
        ListeningSocket ch = channel;
        if (ch == null) return;
        try {
            ConnectionLimit own = frontend.connectionLimit();
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
                HttpSession s = new HttpSession(frontend, c, buffers[loop.index()], this::sessionEnded);
                sessions.add(s);
                s.start();
            }
        } catch (IOException e) {
            frontend.connectionLimit().release();
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
            LOG.warnf("Proxy %s cannot accept connections on %s: %s; retrying every %d ms", frontend.name(),
                    format(boundAddress()), e.getMessage(), ACCEPT_RETRY_MS);
        }
        ch.suspendAccepts();
        loop.schedule(() -> {
            if (channel == ch) ch.resumeAccepts();
        }, ACCEPT_RETRY_MS, TimeUnit.MILLISECONDS);
    }

    private void sessionEnded(HttpSession s) {
        if (sessions.remove(s)) {
            frontend.connectionLimit().release();
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

    /** Stops accepting and closes every session of this listener (each on its own IO thread). */
    void close() {
        if (channel == null) return;
        InetSocketAddress bound = boundAddress();
        channel.close();
        channel = null;
        for (HttpSession s : sessions) {
            try {
                s.ioThread().execute(s::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // its IO thread has stopped and closed the connection already
            }
        }
        LOG.infof("Proxy %s stopped on %s", frontend.name(), format(bound));
    }

    int sessionCount() {
        return sessions.size();
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        if (a.getAddress() instanceof Inet6Address) {
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            return "[" + host + "]:" + a.getPort();
        }
        return host + ":" + a.getPort();
    }
}
