package io.tidegate.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The byte stream a relay reads and writes: a {@link NioConnection} in production, a scripted
 * in-memory stream in the relay's unit tests. Same contract as {@link NioConnection}: handlers run on
 * the owner's thread while interest is resumed; reading the end of the stream suspends reads and runs
 * the end-of-stream handler before {@link #read} returns -1.
 */
public interface Transport {
    /** Reads into dst; returns bytes read, 0 when nothing is there, -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    int write(ByteBuffer src) throws IOException;

    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    void resumeReads();

    void suspendReads();

    void resumeWrites();

    void suspendWrites();

    void setReadHandler(Runnable h);

    void setWriteHandler(Runnable h);

    void setEndOfStreamHandler(Runnable h);

    boolean isOpen();

    void close();

    /**
     * Closes a connection that will not be used again, without shutting its output down first: the
     * peer gets the FIN when the descriptor is released (see {@link NioConnection#discard()}). For a
     * server connection at the end of an exchange that does not keep it.
     */
    default void discard() {
        close();
    }

    /**
     * Shuts both directions down without closing (on the owner's thread): the peer gets a FIN and the
     * owner's read handler runs now and reads the end of the stream (see {@link NioConnection#shutdown()}).
     */
    void shutdown();

    /**
     * Half-close: shuts the sending side only (the peer gets a FIN, it may go on sending and this
     * side goes on reading). For a tunnel whose other side sent its FIN.
     */
    void shutdownOutput();

    /** {@code option clitcpka|srvtcpka|tcpka}: TCP keep-alive probes (SO_KEEPALIVE); nothing to do in memory. */
    void keepAliveProbes() throws IOException;

    InetSocketAddress peerAddress();

    InetSocketAddress localAddress();

    /** A connect in progress toward a server; {@link #cancel()} gives it up (its handler then hears nothing). */
    interface Connect {
        void cancel();
    }
}
