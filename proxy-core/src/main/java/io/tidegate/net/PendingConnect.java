package io.tidegate.net;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A connect in progress on an {@link EventLoop}; {@link #cancel()} gives it up and closes the socket. */
public final class PendingConnect implements IoHandler, Transport.Connect {
    private final EventLoop loop;
    private final ConnectHandler handler;
    private SocketChannel channel;
    private SelectionKey key;
    private boolean done;

    PendingConnect(EventLoop loop, ConnectHandler handler) {
        this.loop = loop;
        this.handler = handler;
    }

    void started(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
    }

    /** Gives the connect up: the handler hears nothing more. Must run on the loop's thread. */
    public void cancel() {
        if (done) return;
        done = true;
        release();
    }

    private void release() {
        if (key != null) {
            key.cancel();
            loop.closeAfterDeregistration(channel);
        } else if (channel != null) {
            EventLoop.closeQuietly(channel);
        }
    }

    @Override
    public void ready(int readyOps) {
        finish();
    }

    void finish() {
        if (done) return;
        try {
            if (!channel.finishConnect()) return;      // not yet: stay registered for OP_CONNECT
        } catch (IOException e) {
            fail(e);
            return;
        }
        done = true;
        key.interestOps(0);
        NioConnection c = new NioConnection(loop, channel, key);
        key.attach(c);
        handler.connected(c);
    }

    void fail(IOException cause) {
        if (done) return;
        done = true;
        release();
        handler.failed(cause);
    }

    @Override
    public void failed(Throwable cause) {
        fail(cause instanceof IOException io ? io : new IOException(cause));
    }

    @Override
    public void closedByLoop() {
        fail(new IOException("the event loop stopped"));
    }
}
