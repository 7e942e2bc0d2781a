package io.tidegate.engine;

import io.tidegate.net.EventLoop;
import io.tidegate.net.Transport;
import java.io.IOException;

/** One connection from Tidegate to a server, with its receive buffer; reused across exchanges. */
final class ServerConnection {
    private final Transport connection;
    private final EventLoop loop;
    /** The server whose pool it parks in; a reload that keeps the server moves idle connections to its successor. */
    private RuntimeServer server;
    final IoBuffer in;
    private boolean closed;
    /** Number of exchanges this connection has carried. */
    int exchanges;
    /** Created once: a keep-alive connection is parked after every exchange. */
    private final Runnable idleReadListener = this::onIdleReadable;

    /** @param connectStartNanos when the connect began (System.nanoTime), see {@link RuntimeServer#opened(ServerConnection, long)} */
    ServerConnection(Transport connection, EventLoop loop, RuntimeServer server, LoopBuffers pool, long connectStartNanos) {
        this.connection = connection;
        this.loop = loop;
        this.in = new IoBuffer(pool);
        this.server = server;
        server.opened(this, connectStartNanos);
        if (server.backend().serverTcpKeepAlive) {
            try {
                connection.keepAliveProbes();
            } catch (IOException e) {
                // the connection failed already: its first read or write reports it
            }
        }
    }

    /** A health transition ends this connection (on-marked-down / on-marked-up): see {@link OpenConnections}. */
    void shutDown() {
        if (!closed) connection.shutdown();
    }

    RuntimeServer server() { return server; }

    /** A reload moved this idle connection to the same server of the new graph. On the connection's thread. */
    void movedTo(RuntimeServer successor) {
        server.closed(this);
        this.server = successor;
        successor.opened(this);
    }
    EventLoop ioThread() { return loop; }
    Transport conn() { return connection; }
    boolean isOpen() { return !closed && connection.isOpen(); }

    /**
     * Parks this connection in its server's idle pool. Read interest stays armed: data or end of
     * stream while idle means the server closed it (or misbehaved), and it is dropped.
     */
    boolean park() {
        if (!isOpen() || !in.isEmpty() || !server.offerIdle(this)) return false;
        connection.setReadHandler(idleReadListener);
        connection.setWriteHandler(null);
        connection.setEndOfStreamHandler(null);
        connection.suspendWrites();
        in.releaseIfIdle();
        connection.resumeReads();
        return true;
    }

    /** Data or end of stream while parked: drop the connection. */
    private void onIdleReadable() {
        int n;
        try {
            n = in.fill(connection);
        } catch (IOException e) {
            n = -1;
        }
        if (n != 0) {
            server.removeIdle(this);
            close();
        }
    }

    void close() {
        end(false);
    }

    /** The exchange it carried is over and it is not kept: closed without an early shutdown ({@link Transport#discard()}). */
    void discard() {
        end(true);
    }

    private void end(boolean discard) {
        if (closed) return;
        closed = true;
        server.closed(this);
        if (discard) connection.discard();
        else connection.close();
        in.free();
    }
}
