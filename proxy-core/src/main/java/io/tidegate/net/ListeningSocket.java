package io.tidegate.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A bound, listening TCP socket served by every loop of a group: each loop selects it for
 * accept and accepts on its own thread, so a new connection lives where it was accepted with no
 * hand-over. The owner is told when connections wait ({@code onAcceptable}, on the loop's thread)
 * and takes them with {@link #accept(EventLoop)}, which lets it check its limits first.
 */
public final class ListeningSocket {
    private final ServerSocketChannel channel;
    private final InetSocketAddress boundAddress;
    private final List<EventLoop> loops;
    private final AtomicReferenceArray<SelectionKey> keys;
    private volatile boolean accepting;
    private volatile boolean closed;

    private ListeningSocket(ServerSocketChannel channel, List<EventLoop> loops) throws IOException {
        this.channel = channel;
        this.boundAddress = (InetSocketAddress) channel.getLocalAddress();
        this.loops = List.copyOf(loops);
        this.keys = new AtomicReferenceArray<>(loops.size());
    }

    /**
     * Binds {@code address} (SO_REUSEADDR, the given backlog) and registers it with every loop,
     * accepts suspended until {@link #resumeAccepts()}.
     *
     * @param onAcceptable runs on a loop's thread when a connection waits; it takes them with {@link #accept}
     */
    public static ListeningSocket bind(InetSocketAddress address, int backlog, List<EventLoop> loops,
                                       Consumer<EventLoop> onAcceptable) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.configureBlocking(false);
            ch.bind(address, backlog);
            ListeningSocket s = new ListeningSocket(ch, loops);
            s.registerAll(onAcceptable);
            return s;
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Takes over a socket that is bound and listening already (handed over by {@link ListenerParking}
     * from a previous deployment): registers it with every loop, accepts suspended until
     * {@link #resumeAccepts()}. Connections that waited in its backlog are accepted then.
     */
    public static ListeningSocket adopt(ServerSocketChannel ch, List<EventLoop> loops,
                                        Consumer<EventLoop> onAcceptable) throws IOException {
        ch.configureBlocking(false);
        ListeningSocket s = new ListeningSocket(ch, loops);
        s.registerAll(onAcceptable);
        return s;
    }

    /**
     * Stops accepting and leaves every loop's selector, without closing the socket: it stays bound
     * and listening (new connections wait in its backlog) for whoever takes it next. Call off the
     * loops' threads.
     */
    public ServerSocketChannel detach() {
        closed = true;
        dropKeys();
        return channel;
    }

    private void registerAll(Consumer<EventLoop> onAcceptable) throws IOException {
        CountDownLatch registered = new CountDownLatch(loops.size());
        IOException[] failure = new IOException[1];
        for (EventLoop loop : loops) {
            Runnable r = () -> {
                try {
                    keys.set(loop.index(), loop.register(channel, 0, new Handler(loop, onAcceptable)));
                } catch (IOException e) {
                    failure[0] = e;
                } finally {
                    registered.countDown();
                }
            };
            runOn(loop, r);
        }
        try {
            if (!registered.await(5, TimeUnit.SECONDS)) throw new IOException("event loops did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering " + boundAddress, e);
        }
        if (failure[0] != null) throw failure[0];
    }

    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    /** A waiting connection, registered with {@code loop} (no interest yet), or null when none waits. */
    public NioConnection accept(EventLoop loop) throws IOException {
        SocketChannel c = channel.accept();
        if (c == null) return null;
        try {
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey k = loop.register(c, 0, null);
            NioConnection conn = new NioConnection(loop, c, k);
            k.attach(conn);
            return conn;
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(c);
            throw e;
        }
    }

    public void resumeAccepts() {
        accepting = true;
        setInterest(SelectionKey.OP_ACCEPT);
    }

    public void suspendAccepts() {
        accepting = false;
        setInterest(0);
    }

    private void setInterest(int ops) {
        for (EventLoop loop : loops) {
            Runnable r = () -> {
                SelectionKey k = keys.get(loop.index());
                if (k != null && k.isValid() && !closed) k.interestOps(ops == 0 || accepting ? ops : 0);
            };
            runOn(loop, r);
        }
    }

    /** Runs {@code r} now when called on {@code loop}'s thread, else hands it to that thread. */
    private static void runOn(EventLoop loop, Runnable r) {
        if (loop.inLoop()) r.run();
        else loop.execute(r);
    }

    /**
     * Stops listening and releases the port before returning (when called off the loops' threads):
     * each loop drops its key first, so the descriptor is closed at once. Connections already
     * accepted are not touched.
     */
    public void close() {
        closed = true;
        dropKeys();
        EventLoop.closeQuietly(channel);
    }

    /** Each loop cancels its key and flushes it, so the channel is registered nowhere afterwards. */
    private void dropKeys() {
        CountDownLatch dropped = new CountDownLatch(loops.size());
        boolean onALoop = false;
        for (EventLoop loop : loops) {
            Runnable r = () -> {
                try {
                    SelectionKey k = keys.get(loop.index());
                    if (k != null) {
                        k.cancel();
                        loop.flushCancelledKeys();
                    }
                } finally {
                    dropped.countDown();
                }
            };
            if (loop.inLoop()) {
                onALoop = true;
                r.run();
            } else {
                try {
                    loop.execute(r);
                } catch (RejectedExecutionException e) {
                    dropped.countDown();     // that loop is gone and took its key with it
                }
            }
        }
        if (!onALoop) {
            try {
                dropped.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Handler implements IoHandler {
        private final EventLoop loop;
        private final Consumer<EventLoop> onAcceptable;

        Handler(EventLoop loop, Consumer<EventLoop> onAcceptable) {
            this.loop = loop;
            this.onAcceptable = onAcceptable;
        }

        @Override
        public void ready(int readyOps) {
            if (!closed) onAcceptable.accept(loop);
        }

        @Override
        public void failed(Throwable cause) {
            // the owner logs its own failures; the socket keeps listening
        }

        @Override
        public void closedByLoop() {
            // the socket belongs to the listener, which closes it
        }
    }
}
