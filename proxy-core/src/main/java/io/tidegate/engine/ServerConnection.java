package io.tidegate.engine;

import java.io.IOException;
import java.nio.channels.Channel;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/** One connection from Tidegate to a server, with its receive buffer; reused across exchanges. */
final class ServerConnection {
    private final StreamConnection connection;
    private final RuntimeServer server;
    final IoBuffer in;
    private boolean closed;
    /** Number of exchanges this connection has carried. */
    int exchanges;
    /** Created once: a keep-alive connection is parked after every exchange. */
    private final ChannelListener<Channel> idleReadListener = ch -> onIdleReadable();

    ServerConnection(StreamConnection connection, RuntimeServer server, io.undertow.connector.ByteBufferPool pool) {
        this.connection = connection;
        this.in = new IoBuffer(pool);
        this.server = server;
    }

    RuntimeServer server() { return server; }
    XnioIoThread ioThread() { return connection.getIoThread(); }
    ConduitStreamSourceChannel source() { return connection.getSourceChannel(); }
    ConduitStreamSinkChannel sink() { return connection.getSinkChannel(); }
    boolean isOpen() { return !closed && connection.isOpen(); }

    /**
     * Parks this connection in its server's idle pool. Read interest stays armed: data or end of
     * stream while idle means the server closed it (or misbehaved), and it is dropped.
     */
    boolean park() {
        if (!isOpen() || !in.isEmpty() || !server.offerIdle(this)) return false;
        source().getReadSetter().set(idleReadListener);
        sink().getWriteSetter().set(null);
        in.releaseIfIdle();
        source().resumeReads();
        return true;
    }

    /** Data or end of stream while parked: drop the connection. */
    private void onIdleReadable() {
        int n;
        try {
            n = in.fill(source());
        } catch (IOException e) {
            n = -1;
        }
        if (n != 0) {
            server.removeIdle(this);
            close();
        }
    }

    void close() {
        if (closed) return;
        closed = true;
        IoUtils.safeClose(connection);
        in.free();
    }
}
