package io.tidegate.health;

import io.tidegate.net.ConnectHandler;
import io.tidegate.net.EventLoop;
import io.tidegate.net.NioConnection;
import io.tidegate.net.PendingConnect;
import io.tidegate.net.ScheduledTask;
import io.tidegate.net.SourceBinding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The non-blocking plumbing a check run shares, all on one of the engine's IO threads (an
 * {@link EventLoop}): the check's connection (connected with its source binding), its one timer, its
 * outgoing bytes and its check buffer, and the result, completed once. {@link ProbeRun} (one request,
 * one verdict) and {@link TcpCheckRun} (a tcp-check sequence) decide what is sent and how it is judged.
 */
abstract class CheckConnection implements ConnectHandler {

    /** The check buffer starts small (most verdicts need only the first line) and grows to HAProxy's 16 KiB. */
    static final int INITIAL_BUFFER = 1024;
    static final int MAX_BUFFER = 16 * 1024;
    static final int MAX_READS_PER_EVENT = 16;
    private static final long GRACE_MILLIS = 1;

    final EventLoop loop;
    final InetSocketAddress target;
    final CheckTimeouts timeouts;
    /** The local address to bind before connecting, or null. */
    private final SourceBinding source;
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    final long startNanos = System.nanoTime();

    private PendingConnect connecting;
    NioConnection connection;
    /** When the latest connect began. */
    long connectStartNanos;
    private ScheduledTask timer;
    private boolean graceGiven;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
    boolean finished;

    CheckConnection(EventLoop loop, SourceBinding source, InetSocketAddress target, CheckTimeouts timeouts) {
        this.loop = loop;
        this.source = source;
        this.target = target;
        this.timeouts = timeouts;
    }

    /** Starts the check on its loop; its result, a socket error when the loop no longer runs. */
    final CompletableFuture<CheckResult> start() {
        try {
            loop.execute(this::begin);
        } catch (RejectedExecutionException e) {
            result.complete(CheckResult.of(CheckStatus.SOCKERR, "IO thread not running").withDuration(elapsed()));
        }
        return result;
    }

    /** Connects to {@code to} (binding the source first) under the connect timeout. */
    final void connectTo(InetSocketAddress to) {
        cancelTimer();
        connectStartNanos = System.nanoTime();
        graceGiven = false;
        armTimer(timeouts.connect().toMillis());
        connecting = loop.connect(to, source, this);
    }

    /** The check's first step, on the loop. */
    abstract void begin();

    @Override
    public final void connected(NioConnection c) {
        connecting = null;
        if (finished) {
            c.close();
            return;
        }
        connection = c;
        cancelTimer();
        opened(c);
    }

    /** The connection is up (the connect timer cancelled): go on with the check. */
    abstract void opened(NioConnection c);

    /** The check's timer expired, the check not finished yet. */
    abstract void timedOut();

    /** Arms the read timer: {@code timeout check}, else what is left of the connect timeout since {@code sinceNanos}. */
    final void armReadTimer(long sinceNanos) {
        long remaining = timeouts.read() != null ? timeouts.read().toMillis()
                : timeouts.connect().toMillis() - Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis();
        armTimer(remaining);
    }

    private void armTimer(long millis) {
        timer = loop.schedule(this::onTimer, Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    private void onTimer() {
        timer = null;
        if (!finished) {
            timedOut();
        }
    }

    /**
     * On a connect timeout: true when the pending connect was given one more pass of the event loop
     * (GRACE_MILLIS, the timer re-armed). An IO thread held up (GC pause, busy CPU) may run an expired
     * timer before the events that arrived meanwhile; a check must not time out while its answer is
     * already waiting. So before giving up, a run reads the bytes already received (in its timedOut),
     * and a connect still pending is given this pass to be noticed.
     */
    final boolean graceForConnect() {
        if (graceGiven) {
            return false;
        }
        graceGiven = true;
        armTimer(GRACE_MILLIS);
        return true;
    }

    /** Writes {@link #out}; true when all is written (writes suspended), false when the socket is full. */
    final boolean writeOut() throws IOException {
        while (out.hasRemaining()) {
            if (connection.write(out) == 0) {
                return false;
            }
        }
        connection.suspendWrites();
        return true;
    }

    /** Makes room in the check buffer, growing it up to {@link #MAX_BUFFER}; false when it is full at that size. */
    final boolean roomToRead() {
        if (in.hasRemaining()) {
            return true;
        }
        if (in.capacity() >= MAX_BUFFER) {
            return false;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BUFFER, in.capacity() * 4));
        in.flip();
        bigger.put(in);
        in = bigger;
        return true;
    }

    final boolean bufferFull() {
        return !in.hasRemaining() && in.capacity() >= MAX_BUFFER;
    }

    /** Ends the check with {@code r} (the first verdict wins): closes the connection, gives up a pending connect. */
    final void finish(CheckResult r) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        if (connection != null) {
            connection.close();
        }
        if (connecting != null) {
            connecting.cancel();
        }
        result.complete(r.withDuration(elapsed()));
    }

    final void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String message(Exception e) {
        String m = e.getMessage();
        return m != null ? m : e.getClass().getSimpleName();
    }
}
