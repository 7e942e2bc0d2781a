package io.tidegate.engine;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/** One bound address of a frontend: accepts connections and starts a session for each. */
final class Listener {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    private static final OptionMap OPTIONS = OptionMap.builder()
            .set(Options.REUSE_ADDRESSES, true)
            .set(Options.TCP_NODELAY, true)
            .set(Options.BACKLOG, 1024)
            .getMap();

    private final InetSocketAddress address;
    private final RuntimeFrontend frontend;
    private final Set<HttpSession> sessions = ConcurrentHashMap.newKeySet();
    private final io.undertow.connector.ByteBufferPool pool;
    private final ConnectionLimit limit;
    private volatile AcceptingChannel<StreamConnection> channel;

    Listener(InetSocketAddress address, RuntimeFrontend frontend, io.undertow.connector.ByteBufferPool pool,
             ConnectionLimit limit) {
        this.address = address;
        this.frontend = frontend;
        this.pool = pool;
        this.limit = limit;
    }

    void open(XnioWorker worker) throws IOException {
        channel = worker.createStreamConnectionServer(address, ch -> acceptAll(), OPTIONS);
        channel.resumeAccepts();
        LOG.infof("Proxy %s started on %s", frontend.name(), format(boundAddress()));
    }

    /** The address actually bound (the real port when the plan asked for port 0). */
    InetSocketAddress boundAddress() {
        return channel == null ? address : channel.getLocalAddress(InetSocketAddress.class);
    }

    RuntimeFrontend frontend() {
        return frontend;
    }

    private void acceptAll() {
        AcceptingChannel<StreamConnection> ch = channel;
        if (ch == null) return;
        try {
            while (limit.tryAcquire()) {
                StreamConnection c = ch.accept();
                if (c == null) {
                    limit.release();
                    return;
                }
                HttpSession s = new HttpSession(frontend, c, pool, this::sessionEnded);
                sessions.add(s);
                if (c.getIoThread() == Thread.currentThread()) s.start();
                else c.getIoThread().execute(s::start);
            }
        } catch (IOException e) {
            limit.release();
            LOG.debugf(e, "accept failed on %s", address);
        }
    }

    private void sessionEnded(HttpSession s) {
        if (sessions.remove(s)) limit.release();
    }

    void suspendAccepts() {
        AcceptingChannel<StreamConnection> ch = channel;
        if (ch != null) ch.suspendAccepts();
    }

    void resumeAccepts() {
        AcceptingChannel<StreamConnection> ch = channel;
        if (ch != null) ch.resumeAccepts();
    }

    /** Stops accepting and closes every session of this listener (each on its own IO thread). */
    void close() {
        if (channel == null) return;
        InetSocketAddress bound = boundAddress();
        IoUtils.safeClose(channel);
        channel = null;
        for (HttpSession s : sessions) s.ioThread().execute(s::close);
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
