package io.tidegate.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One IO thread with one {@link Selector}: every socket registered with it is read, written,
 * accepted, connected and closed on this thread, so a connection never changes threads and the
 * data path takes no lock. Other threads hand work over with {@link #execute}; the selector is
 * woken only when the loop sleeps in it.
 *
 * <p>Why not XNIO's worker: XNIO 3.8 accepts on a thread of its own and hands each connection over
 * (a wake-up and a lock per connection) and runs an extra {@code selectNow} per close; measured,
 * that was most of the cost of a connection per request (issue 6). Here accept, connect and close
 * run where the connection lives, and a closed channel is released by the loop's next select.
 */
public final class EventLoop implements Executor {
    private static final Logger LOG = Logger.getLogger("io.tidegate.net");

    private final Selector selector;
    private final Thread thread;
    private final int index;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Made once: a method reference evaluated per select would allocate on every call. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private final long spinNanos;
    /**
     * Whether the loop polls before it sleeps the next time it runs out of work: true while the idle
     * gaps are short (the last spin caught an event, or the last sleep ended within spinNanos), false
     * after a gap longer than a spin, so a loop whose events come seldom sleeps at once instead of
     * polling 20 µs for nothing before every sleep. Loop thread only.
     */
    private boolean spinNext = true;
    /** When the loop went idle before its current sleep in select (0: not sleeping or spin disabled). */
    private long idleSince;
    /** True while the loop blocks in select: only then does a task from another thread wake it. */
    private volatile boolean sleeping;
    private volatile boolean shuttingDown;
    private long timerSequence;
    private int cancelledTimers;
    /** Channels whose keys were cancelled since the current select began: closed after the next one. */
    private ArrayList<Channel> closing = new ArrayList<>();
    /** Channels whose keys were cancelled before the current select: deregistered by it, closed after it. */
    private ArrayList<Channel> closable = new ArrayList<>();

    /**
     * @param name      the thread's name
     * @param index     this loop's number within its group (0..n-1), for per-thread state
     * @param spinNanos how long the loop keeps polling without blocking after its last event
     *                  before it sleeps in select (0: never spin)
     */
    public EventLoop(String name, int index, long spinNanos) throws IOException {
        this.selector = Selector.open();
        this.index = index;
        this.spinNanos = spinNanos;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.setContextClassLoader(EventLoop.class.getClassLoader());
    }

    public void start() {
        thread.start();
    }

    /** This loop's number within its group. */
    public int index() {
        return index;
    }

    /** True when the caller runs on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop's thread, after the work already queued; callable from any thread. */
    @Override
    public void execute(Runnable task) {
        if (terminated.getCount() == 0) throw new RejectedExecutionException(thread.getName() + " has stopped");
        tasks.add(task);
        if (sleeping) selector.wakeup();
    }

    /**
     * Runs {@code task} on this thread after {@code delay}; must be called on this loop's thread.
     * The returned handle cancels it.
     */
    public ScheduledTask schedule(Runnable task, long delay, TimeUnit unit) {
        assert inLoop();
        ScheduledTask t = new ScheduledTask(this, task, System.nanoTime() + unit.toNanos(delay), timerSequence++);
        timers.add(t);
        return t;
    }

    void timerCancelled() {
        // cancelled timers stay in the heap until due; purge when they are most of it
        if (++cancelledTimers > 1024 && cancelledTimers > timers.size() / 2) {
            timers.removeIf(ScheduledTask::isCancelled);
            cancelledTimers = 0;
        }
    }

    /** Registers {@code channel} (non-blocking) with this loop's selector; must run on this thread. */
    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    /**
     * Takes over a connected socket that an earlier owner detached ({@link NioConnection#detach}):
     * registers it with this loop, no interest yet. Must run on this loop's thread.
     */
    public NioConnection adopt(SocketChannel channel) throws IOException {
        assert inLoop();
        channel.configureBlocking(false);
        SelectionKey k = register(channel, 0, null);
        NioConnection conn = new NioConnection(this, channel, k);
        k.attach(conn);
        return conn;
    }

    /**
     * Opens a connection to {@code address} on this loop (must be called on its thread). The handler
     * hears of the outcome on this thread, never before this method returned.
     */
    public PendingConnect connect(InetSocketAddress address, ConnectHandler handler) {
        return connect(address, null, handler);
    }

    /**
     * As {@link #connect(InetSocketAddress, ConnectHandler)}, first binding the socket to
     * {@code source} when not null; a bind failure reaches the handler as a failed connect.
     */
    public PendingConnect connect(InetSocketAddress address, SourceBinding source, ConnectHandler handler) {
        assert inLoop();
        PendingConnect p = new PendingConnect(this, handler);
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source != null) source.bind(ch);
            boolean done = ch.connect(address);
            // On loopback the handshake has usually completed inside connect() already: finishing it
            // now saves the OP_CONNECT registration (and its change back) in epoll.
            if (!done && isLoopback(address)) done = ch.finishConnect();
            p.started(ch, register(ch, done ? 0 : SelectionKey.OP_CONNECT, p));
            if (done) execute(p::finish);
        } catch (IOException | RuntimeException e) {
            if (ch != null) closeQuietly(ch);
            IOException failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            execute(() -> p.fail(failure));
        }
        return p;
    }

    private static boolean isLoopback(InetSocketAddress address) {
        java.net.InetAddress a = address.getAddress();
        return a != null && a.isLoopbackAddress();
    }

    /** Stops the loop: runs the tasks already queued, then closes every channel still registered. */
    public void shutdown() {
        shuttingDown = true;
        selector.wakeup();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    private void run() {
        try {
            while (!shuttingDown) {
                runTasks();
                long wait = runDueTimers();
                if (!tasks.isEmpty() || !closing.isEmpty()) {
                    selectNow();
                    continue;
                }
                long idle = spinNanos > 0 ? System.nanoTime() : 0;
                if (spinNext && spinNanos > 0 && spin(idle)) {
                    continue;      // an event arrived while spinning: it was handled
                }
                idleSince = idle;
                sleeping = true;
                try {
                    if (!tasks.isEmpty() || shuttingDown) {
                        selectNow();
                    } else {
                        beforeSelect();
                        if (wait < 0) selector.select(dispatcher);
                        else selector.select(dispatcher, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
                        afterSelect();
                    }
                } finally {
                    sleeping = false;
                }
                if (idleSince != 0) idleGapEnded();     // woken by a task or a timeout, not by a socket
            }
            runTasks();
        } catch (Throwable t) {
            LOG.errorf(t, "event loop %s stopped by an unexpected error", thread.getName());
        } finally {
            closeAll();
            terminated.countDown();
        }
    }

    /** Polls without blocking for up to spinNanos from {@code start}; true when it handled at least one event. */
    private boolean spin(long start) throws IOException {
        long end = start + spinNanos;
        do {
            if (selectNow() > 0) return true;
            if (!tasks.isEmpty()) return true;
            Thread.onSpinWait();
        } while (System.nanoTime() < end);
        return false;
    }

    private int selectNow() throws IOException {
        beforeSelect();
        int n = selector.selectNow(dispatcher);
        afterSelect();
        return n;
    }

    /**
     * Closes {@code channel} once the selector has dropped its (cancelled) key. A channel closed while
     * still registered makes the JDK query SO_LINGER and shut its output first (two more system calls
     * per connection); closed after deregistration it is simply closed. Must run on this thread.
     */
    void closeAfterDeregistration(Channel channel) {
        closing.add(channel);
    }

    private void beforeSelect() {
        ArrayList<Channel> cancelledBefore = closing;
        closing = closable;
        closable = cancelledBefore;
    }

    private void afterSelect() {
        ArrayList<Channel> list = closable;
        if (list.isEmpty()) return;
        for (int i = 0; i < list.size(); i++) closeQuietly(list.get(i));
        list.clear();
    }

    /**
     * Lets the selector drop the keys cancelled so far now (their channels, if closed, are released
     * at once) instead of at the next turn of the loop. Must run on this thread.
     */
    public void flushCancelledKeys() {
        assert inLoop();
        try {
            selectNow();
        } catch (IOException e) {
            LOG.debugf(e, "selectNow on %s", thread.getName());
        }
    }

    /**
     * The loop was idle since {@link #idleSince} and has work again: it will spin the next time only
     * if this gap was short enough for a spin to have caught its end; after a longer gap the polling
     * would have been spent for nothing.
     */
    private void idleGapEnded() {
        spinNext = System.nanoTime() - idleSince <= spinNanos;
        idleSince = 0;
    }

    private void dispatch(SelectionKey key) {
        if (idleSince != 0) idleGapEnded();
        IoHandler h = (IoHandler) key.attachment();
        try {
            h.ready(key.readyOps());
        } catch (java.nio.channels.CancelledKeyException ignored) {
            // the handler closed its channel while handling the event
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "IO handler failed on %s", thread.getName());
            h.failed(e);
        }
    }

    private void runTasks() {
        Runnable t;
        int n = 0;
        // bounded: tasks queued by tasks run in the next round, after the selector had its turn
        int limit = 4096;
        while (n++ < limit && (t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "task failed on %s", thread.getName());
            }
        }
    }

    /** Runs the timers that are due; returns nanos until the next one, or -1 when none is set. */
    private long runDueTimers() {
        if (timers.isEmpty()) return -1;
        long now = System.nanoTime();
        ScheduledTask t;
        while ((t = timers.peek()) != null) {
            if (t.isCancelled()) {
                timers.poll();
                cancelledTimers = Math.max(0, cancelledTimers - 1);
                continue;
            }
            long left = t.deadline - now;
            if (left > 0) return left;
            timers.poll();
            t.fire();
        }
        return -1;
    }

    private void closeAll() {
        for (Channel c : closable) closeQuietly(c);
        for (Channel c : closing) closeQuietly(c);
        List<SelectionKey> keys;
        try {
            keys = new ArrayList<>(selector.keys());
        } catch (RuntimeException e) {
            keys = List.of();
        }
        for (SelectionKey k : keys) {
            Object a = k.attachment();
            if (a instanceof IoHandler h) {
                try {
                    h.closedByLoop();
                } catch (RuntimeException e) {
                    LOG.debugf(e, "closing %s at shutdown", k.channel());
                }
            }
            closeQuietly(k.channel());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debugf(e, "closing the selector of %s", thread.getName());
        }
    }

    static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
