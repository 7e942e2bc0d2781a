package io.tidegate.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One check in progress: connects, sends, reads and judges without ever blocking, every step on one
 * XNIO IO thread, under the check's timeouts. The connection is closed as soon as there is a verdict.
 */
final class ProbeRun {

    /** The check buffer starts small (most verdicts need only the first line) and grows to HAProxy's 16 KiB. */
    static final int INITIAL_BUFFER = 1024;
    static final int MAX_BUFFER = 16 * 1024;
    private static final int MAX_READS_PER_EVENT = 16;
    private static final long GRACE_MILLIS = 1;
    private static final OptionMap OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

    private final CheckProtocol protocol;
    private final XnioIoThread thread;
    private final InetSocketAddress target;
    private final CheckTimeouts timeouts;
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();

    private IoFuture<StreamConnection> connecting;
    private StreamConnection connection;
    private XnioExecutor.Key timer;
    private ByteBuffer out;
    private ByteBuffer in;
    private boolean finished;
    private boolean graceGiven;

    /** The local address to bind before connecting, or null. */
    private final InetSocketAddress source;

    private ProbeRun(CheckProtocol protocol, XnioIoThread thread, InetSocketAddress source, InetSocketAddress target,
                     CheckTimeouts timeouts) {
        this.protocol = protocol;
        this.source = source;
        this.thread = thread;
        this.target = target;
        this.timeouts = timeouts;
    }

    static CompletableFuture<CheckResult> start(CheckProtocol protocol, XnioIoThread thread, InetSocketAddress source,
                                                InetSocketAddress target, CheckTimeouts timeouts) {
        ProbeRun run = new ProbeRun(protocol, thread, source, target, timeouts);
        try {
            thread.execute(run::begin);
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
        timer = thread.executeAfter(this::onTimeout, Math.max(1, timeouts.connect().toMillis()), TimeUnit.MILLISECONDS);
        IoFuture<StreamConnection> f;
        try {
            f = source == null ? thread.openStreamConnection(target, this::onConnected, null, OPTIONS)
                    : thread.openStreamConnection(source, target, this::onConnected, null, OPTIONS);
        } catch (RuntimeException e) {
            finish(CheckResult.of(CheckStatus.L4CON, message(e)));
            return;
        }
        connecting = f;
        f.addNotifier(new IoFuture.HandlingNotifier<StreamConnection, Void>() {
            @Override
            public void handleFailed(IOException exception, Void attachment) {
                finish(CheckResult.of(CheckStatus.L4CON, message(exception)));
            }
        }, null);
    }

    private void onConnected(StreamConnection c) {
        if (finished) {
            IoUtils.safeClose(c);
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
        timer = thread.executeAfter(this::onTimeout, Math.max(1, remaining), TimeUnit.MILLISECONDS);
        out = request;
        in = ByteBuffer.allocate(INITIAL_BUFFER);
        c.getSourceChannel().getReadSetter().set(ch -> onReadable());
        c.getSinkChannel().getWriteSetter().set(ch -> onWritable());
        onWritable();
        if (!finished) {
            c.getSourceChannel().resumeReads();
        }
    }

    private void onWritable() {
        if (finished) {
            return;
        }
        ConduitStreamSinkChannel sink = connection.getSinkChannel();
        try {
            while (out.hasRemaining()) {
                if (sink.write(out) == 0) {
                    sink.resumeWrites();
                    return;
                }
            }
            if (!sink.flush()) {
                sink.resumeWrites();
                return;
            }
            sink.suspendWrites();
        } catch (IOException e) {
            finish(CheckResult.of(CheckStatus.SOCKERR, message(e)));
        }
    }

    private void onReadable() {
        if (finished) {
            return;
        }
        ConduitStreamSourceChannel source = connection.getSourceChannel();
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
                int n = source.read(in);
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
                timer = thread.executeAfter(this::onTimeout, GRACE_MILLIS, TimeUnit.MILLISECONDS);
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
            IoUtils.safeClose(connection);
        } else if (connecting != null) {
            connecting.cancel();
        }
        result.complete(r.withDuration(elapsed()));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.remove();
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
