package io.tidegate.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import io.tidegate.net.ConnectHandler;
import io.tidegate.net.EventLoop;
import io.tidegate.net.NioConnection;
import io.tidegate.net.PendingConnect;
import io.tidegate.net.ScheduledTask;
import io.tidegate.net.SourceBinding;

/**
 * One check in progress: connects, sends, reads and judges without ever blocking, every step on one
 * of the engine's IO threads (an {@link EventLoop}, the same loops that carry the traffic), under the
 * check's timeouts. The connection is closed as soon as there is a verdict.
 */
final class ProbeRun implements ConnectHandler {

    /** The check buffer starts small (most verdicts need only the first line) and grows to HAProxy's 16 KiB. */
    static final int INITIAL_BUFFER = 1024;
    static final int MAX_BUFFER = 16 * 1024;
    private static final int MAX_READS_PER_EVENT = 16;
    private static final long GRACE_MILLIS = 1;

    private final CheckProtocol protocol;
    private final EventLoop loop;
    private final InetSocketAddress target;
    private final CheckTimeouts timeouts;
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();

    private PendingConnect connecting;
    private NioConnection connection;
    private ScheduledTask timer;
    private ByteBuffer out;
    private ByteBuffer in;
    private boolean finished;
    private boolean graceGiven;

    /** The local address to bind before connecting, or null. */
    private final SourceBinding source;

    private ProbeRun(CheckProtocol protocol, EventLoop loop, SourceBinding source, InetSocketAddress target,
                     CheckTimeouts timeouts) {
        this.protocol = protocol;
        this.source = source;
        this.loop = loop;
        this.target = target;
        this.timeouts = timeouts;
    }

    static CompletableFuture<CheckResult> start(CheckProtocol protocol, EventLoop loop, SourceBinding source,
                                                InetSocketAddress target, CheckTimeouts timeouts) {
        ProbeRun run = new ProbeRun(protocol, loop, source, target, timeouts);
        try {
            loop.execute(run::begin);
        } catch (RejectedExecutionException e) {
            run.result.complete(CheckResult.of(CheckStatus.SOCKERR, "IO thread not running")
                    .withDuration(run.elapsed()));
        }
        return run.result;
    }

    private void begin() {
        if (target.isUnresolved()) {
            finish(CheckResult.of(CheckStatus.L4CON, "Unresolved address " + target.getHostString()));
            return;
        }
        timer = loop.schedule(this::onTimeout, Math.max(1, timeouts.connect().toMillis()), TimeUnit.MILLISECONDS);
        connecting = loop.connect(target, source, this);
    }

    @Override
    public void failed(IOException cause) {
        finish(CheckResult.of(CheckStatus.L4CON, message(cause)));
    }

    @Override
    public void connected(NioConnection c) {
        connecting = null;
        if (finished) {
            c.close();
            return;
        }
        connection = c;
        cancelTimer();
        ByteBuffer request = protocol.request();
        if (request == null) {
            finish(protocol.judge(ByteBuffer.allocate(0), true));
            return;
        }
        long remaining = timeouts.read() != null ? timeouts.read().toMillis()
                : timeouts.connect().toMillis() - elapsed().toMillis();
        timer = loop.schedule(this::onTimeout, Math.max(1, remaining), TimeUnit.MILLISECONDS);
        out = request;
        in = ByteBuffer.allocate(INITIAL_BUFFER);
        c.setReadHandler(this::onReadable);
        c.setWriteHandler(this::onWritable);
        onWritable();
        if (!finished) {
            c.resumeReads();
        }
    }

    private void onWritable() {
        if (finished) {
            return;
        }
        try {
            while (out.hasRemaining()) {
                if (connection.write(out) == 0) {
                    connection.resumeWrites();
                    return;
                }
            }
            connection.suspendWrites();
        } catch (IOException e) {
            finish(CheckResult.of(CheckStatus.SOCKERR, message(e)));
        }
    }

    private void onReadable() {
        if (finished) {
            return;
        }
        try {
            for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
                if (!in.hasRemaining()) {
                    if (in.capacity() >= MAX_BUFFER) {
                        verdict(true);
                        return;
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BUFFER, in.capacity() * 4));
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                int n = connection.read(in);
                if (n < 0) {
                    verdict(true);
                    return;
                }
                if (n == 0 || verdict(false)) {
                    return;
                }
            }
        } catch (IOException e) {
            finish(CheckResult.of(CheckStatus.SOCKERR, message(e)));
        }
    }

    /** Asks the protocol for a verdict on the bytes so far; true when the check is over. */
    private boolean verdict(boolean endOfInput) {
        ByteBuffer view = in.duplicate().flip();
        CheckResult r = protocol.judge(view, endOfInput);
        if (r == null && endOfInput) {
            r = CheckResult.of(CheckStatus.SOCKERR, "No verdict at end of input");
        }
        if (r != null) {
            finish(r);
            return true;
        }
        return false;
    }

    /*
     * An IO thread held up (GC pause, busy CPU) may run an expired timer before the events that arrived
     * meanwhile; a check must not time out while its answer is already waiting. So before giving up,
     * bytes already received are read, and a connect still pending gets one more pass of the event loop
     * (GRACE_MILLIS) to be noticed.
     */
    private void onTimeout() {
        timer = null;
        if (finished) {
            return;
        }
        if (connection == null) {
            if (!graceGiven) {
                graceGiven = true;
                timer = loop.schedule(this::onTimeout, GRACE_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            finish(CheckResult.of(CheckStatus.L4TOUT));
            return;
        }
        onReadable();
        if (!finished) {
            finish(CheckResult.of(protocol.timeoutStatus()));
        }
    }

    private void finish(CheckResult r) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        if (connection != null) {
            connection.close();
        } else if (connecting != null) {
            connecting.cancel();
        }
        result.complete(r.withDuration(elapsed()));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m != null ? m : e.getClass().getSimpleName();
    }
}
