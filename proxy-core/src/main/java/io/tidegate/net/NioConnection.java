package io.tidegate.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connected TCP socket on one {@link EventLoop}. Handlers run on the loop's thread when the
 * socket is readable / writable and interest in that is resumed; every method must be called on
 * that thread. Reading the end of the stream suspends reads and runs the end-of-stream handler
 * before {@link #read} returns -1.
 */
public final class NioConnection implements IoHandler, Transport {
    private final EventLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private int interest;
    private boolean closed;
    private boolean readShutdown;
    private Runnable readHandler;
    private Runnable writeHandler;
    private Runnable endOfStreamHandler;

    NioConnection(EventLoop loop, SocketChannel channel, SelectionKey key) {
        this.loop = loop;
        this.channel = channel;
        this.key = key;
        this.interest = key.interestOps();
    }

    public EventLoop loop() {
        return loop;
    }

    public InetSocketAddress peerAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The local end of the connection (the bound address of a listener, the source toward a server). */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    public void setReadHandler(Runnable h) {
        readHandler = h;
    }

    public void setWriteHandler(Runnable h) {
        writeHandler = h;
    }

    /** Runs when a read meets the end of the stream (the peer shut its sending side). */
    public void setEndOfStreamHandler(Runnable h) {
        endOfStreamHandler = h;
    }

    /** Reads into dst; returns bytes read, 0 when nothing is there, -1 at the end of the stream. */
    public int read(ByteBuffer dst) throws IOException {
        if (readShutdown) return -1;
        int n;
        try {
            n = channel.read(dst);
        } catch (ClosedChannelException e) {
            return -1;
        }
        if (n < 0) {
            readShutdown = true;
            suspendReads();
            Runnable h = endOfStreamHandler;
            if (h != null) h.run();
        }
        return n;
    }

    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    public void resumeReads() {
        if (!readShutdown) setInterest(interest | SelectionKey.OP_READ);
    }

    public void suspendReads() {
        setInterest(interest & ~SelectionKey.OP_READ);
    }

    public void resumeWrites() {
        setInterest(interest | SelectionKey.OP_WRITE);
    }

    public void suspendWrites() {
        setInterest(interest & ~SelectionKey.OP_WRITE);
    }

    private void setInterest(int ops) {
        if (ops == interest || closed) return;
        interest = ops;
        key.interestOps(ops);
    }

    public boolean isOpen() {
        return !closed;
    }

    /**
     * Shuts both directions of the socket down without closing it (on the loop's thread): the peer
     * gets a FIN and the owner's read handler runs now and reads the end of the stream, so the owner
     * closes the connection the way it handles any peer that went away.
     */
    public void shutdown() {
        if (closed) return;
        try {
            channel.shutdownInput();
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // not connected any more: the next read reports it
        }
        Runnable h = readHandler;
        if (h != null && (interest & SelectionKey.OP_READ) != 0) h.run();
    }

    /** Half-close: the peer gets a FIN; reading goes on (see {@link Transport#shutdownOutput()}). */
    public void shutdownOutput() {
        if (closed) return;
        try {
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // not connected any more: the next read reports it
        }
    }

    /** {@code option clitcpka|srvtcpka|tcpka}: TCP keep-alive probes on this socket (SO_KEEPALIVE). */
    public void keepAliveProbes() throws IOException {
        channel.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
    }

    /** Closes the socket; the loop releases its descriptor at its next select. */
    public void close() {
        if (closed) return;
        closed = true;
        key.cancel();
        try {
            channel.shutdownOutput();      // the FIN goes now; the descriptor is released after the next select
        } catch (IOException ignored) {
            // not connected any more: nothing to send
        }
        loop.closeAfterDeregistration(channel);
    }

    /**
     * Closes the socket without the early {@code shutdown()} of {@link #close}: one system call less
     * for a connection whose peer needs no FIN before the loop's next select, which releases the
     * descriptor (and sends the FIN) right after this turn of the loop.
     */
    @Override
    public void discard() {
        if (closed) return;
        closed = true;
        key.cancel();
        loop.closeAfterDeregistration(channel);
    }

    /**
     * Leaves this loop without closing the socket (an upgrade hands it to the next deployment): the
     * key is cancelled, no handler runs any more, and {@link #close} does nothing afterwards. The
     * selector drops the key at its next select, or at once with {@link EventLoop#flushCancelledKeys()}
     * (needed before the loop stops: a stopping loop closes what is still registered). Call on the
     * loop's thread.
     *
     * @return the still open, non-blocking channel
     */
    public SocketChannel detach() {
        closed = true;
        key.cancel();
        key.attach(null);
        return channel;
    }

    @Override
    public void ready(int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            Runnable h = readHandler;
            if (h != null && (interest & SelectionKey.OP_READ) != 0) h.run();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && !closed) {
            Runnable h = writeHandler;
            if (h != null && (interest & SelectionKey.OP_WRITE) != 0) h.run();
        }
    }

    @Override
    public void failed(Throwable cause) {
        close();
    }

    @Override
    public void closedByLoop() {
        closed = true;
    }

    @Override
    public String toString() {
        return "connection " + peerAddress() + " on " + loop;
    }
}
