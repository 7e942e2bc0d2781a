package io.tidegate.engine;

import io.tidegate.net.ConnectionParking;
import io.tidegate.net.EventLoop;
import io.tidegate.net.NioConnection;
import io.tidegate.net.ScheduledTask;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * An upgraded (101) or {@code mode tcp} tunnel taken over from the previous deployment (EAR
 * upgrade, {@link TunnelHandover}): relays raw bytes both ways on one IO thread of this engine,
 * starting with the bytes the previous deployment had read and not yet sent on. Counts against its
 * frontend and server when this engine's configuration still has them (same names), ends after
 * {@code timeout tunnel} of silence, and is handed over again at the next upgrade.
 */
final class ResumedTunnel {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");

    private final EventLoop io;
    private final LoopBuffers pool;
    private final NioConnection client;
    private final NioConnection server;
    /** clientToProxy bytes for proxyToServer, in read mode (position..limit pending). */
    private final ByteBuffer up;
    /** serverToProxy bytes for proxyToClient, in read mode. */
    private final ByteBuffer down;
    private final String frontendName;
    private final String backendName;
    private final String serverName;
    /** Null when this engine's configuration has no frontend / server of those names. */
    private final RuntimeFrontend frontend;
    private final RuntimeServer target;
    private final long tunnelTimeoutMs;
    private final Consumer<ResumedTunnel> onClose;
    private long lastActivity = System.nanoTime();
    private long bytesIn;
    private long bytesOut;
    private ScheduledTask timer;
    private boolean closed;

    private ResumedTunnel(EventLoop io, LoopBuffers pool, NioConnection client, NioConnection server,
                          ConnectionParking.Tunnel t, RuntimeGraph graph, Consumer<ResumedTunnel> onClose) {
        this.io = io;
        this.pool = pool;
        this.client = client;
        this.server = server;
        this.up = filled(pool, t.toServer());
        this.down = filled(pool, t.toClient());
        this.frontendName = t.frontend();
        this.backendName = t.backend();
        this.serverName = t.serverName();
        this.frontend = t.frontend() == null ? null : graph.frontend(t.frontend());
        RuntimeBackend b = t.backend() == null ? null : graph.backend(t.backend());
        RuntimeServer s = null;
        if (b != null) for (RuntimeServer x : b.servers()) if (x.name().equals(t.serverName())) s = x;
        this.target = s;
        this.tunnelTimeoutMs = frontend != null ? frontend.tunnelTimeoutMs : t.tunnelTimeoutMs();
        this.onClose = onClose;
    }

    /**
     * Takes {@code t} over on {@code io} (call on its thread) and starts relaying; a tunnel whose
     * sockets cannot be registered is closed.
     *
     * @return the running tunnel, or null when it could not be resumed
     */
    static ResumedTunnel resume(ConnectionParking.Tunnel t, EventLoop io, LoopBuffers pool, RuntimeGraph graph,
                                Consumer<ResumedTunnel> onClose) {
        NioConnection c = null;
        NioConnection s = null;
        try {
            c = io.adopt(t.client());
            s = io.adopt(t.server());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Cannot resume a tunnel of %s handed over by the previous deployment: %s", t.frontend(), e);
            if (c != null) c.close();
            closeQuietly(t.client());
            closeQuietly(t.server());
            return null;
        }
        ResumedTunnel r = new ResumedTunnel(io, pool, c, s, t, graph, onClose);
        r.start();
        return r;
    }

    private static ByteBuffer filled(LoopBuffers pool, byte[] bytes) {
        ByteBuffer b = pool.take();
        b.put(bytes).flip();
        return b;
    }

    EventLoop ioThread() {
        return io;
    }

    private void start() {
        if (frontend != null) frontend.sessionMovedIn();
        if (target != null) target.counters().resumed();
        client.setReadHandler(() -> guarded(this::pumpUp));
        server.setWriteHandler(() -> guarded(this::pumpUp));
        server.setReadHandler(() -> guarded(this::pumpDown));
        client.setWriteHandler(() -> guarded(this::pumpDown));
        armTimer(tunnelTimeoutMs);
        guarded(this::pumpUp);
        guarded(this::pumpDown);
    }

    private void guarded(IoStep step) {
        if (closed) return;
        try {
            step.run();
        } catch (IOException e) {
            close();
        } catch (RuntimeException e) {
            LOG.errorf(e, "resumed tunnel of %s closed after an internal error", frontendName);
            close();
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }

    /** clientToProxy, then proxyToServer. */
    private void pumpUp() throws IOException {
        for (int i = 0; i < 64 && !closed; i++) {
            if (up.hasRemaining()) {
                server.write(up);
                if (up.hasRemaining()) {
                    server.resumeWrites();
                    client.suspendReads();
                    return;
                }
            }
            server.suspendWrites();
            up.clear();
            int n = client.read(up);
            up.flip();
            if (n < 0) {
                close();
                return;
            }
            if (n == 0) {
                client.resumeReads();
                return;
            }
            lastActivity = System.nanoTime();
            bytesIn += n;
            if (frontend != null) frontend.bytesIn(n);
        }
        if (!closed) client.resumeReads();
    }

    /** serverToProxy, then proxyToClient. */
    private void pumpDown() throws IOException {
        for (int i = 0; i < 64 && !closed; i++) {
            if (down.hasRemaining()) {
                int before = down.remaining();
                client.write(down);
                bytesOut += before - down.remaining();
                if (down.hasRemaining()) {
                    client.resumeWrites();
                    server.suspendReads();
                    return;
                }
            }
            client.suspendWrites();
            down.clear();
            int n = server.read(down);
            down.flip();
            if (n < 0) {
                close();
                return;
            }
            if (n == 0) {
                server.resumeReads();
                return;
            }
            lastActivity = System.nanoTime();
        }
        if (!closed) server.resumeReads();
    }

    private void armTimer(long ms) {
        if (ms > 0) timer = io.schedule(this::onTimer, ms, TimeUnit.MILLISECONDS);
    }

    private void onTimer() {
        timer = null;
        if (closed) return;
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
        if (idleMs >= tunnelTimeoutMs) {
            close();
        } else {
            armTimer(tunnelTimeoutMs - idleMs);
        }
    }

    /**
     * The next upgrade: hands this tunnel over again, with what is buffered (call on its thread).
     *
     * @return true when it was parked
     */
    boolean park(long parkMs) {
        if (closed) return false;
        if (!TunnelHandover.park(client, up, server, down, frontendName, backendName, serverName, tunnelTimeoutMs,
                parkMs)) {
            return false;
        }
        close();      // the sockets are detached: only the bookkeeping ends here
        return true;
    }

    /** Closes both sockets (unless handed over) and ends the counts. Idempotent; on its thread. */
    void close() {
        if (closed) return;
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        client.close();
        server.close();
        pool.give(up);
        pool.give(down);
        if (frontend != null) {
            frontend.bytesOut(bytesOut);
            frontend.sessionClosed();
        }
        if (target != null) {
            target.counters().bytes(bytesIn, bytesOut);
            target.requestEnded();
        }
        onClose.accept(this);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "tunnel of " + frontendName + " to " + backendName + "/" + serverName + " resumed on " + io;
    }
}
