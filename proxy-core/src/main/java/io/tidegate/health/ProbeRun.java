package io.tidegate.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import io.tidegate.net.EventLoop;
import io.tidegate.net.NioConnection;
import io.tidegate.net.SourceBinding;

/**
 * One check in progress: connects, sends, reads and judges without ever blocking, every step on one
 * of the engine's IO threads (an {@link EventLoop}, the same loops that carry the traffic), under the
 * check's timeouts. The connection is closed as soon as there is a verdict.
 */
final class ProbeRun extends CheckConnection {

    private final CheckProtocol protocol;

    ProbeRun(CheckProtocol protocol, EventLoop loop, SourceBinding source, InetSocketAddress target,
             CheckTimeouts timeouts) {
        super(loop, source, target, timeouts);
        this.protocol = protocol;
    }

    @Override
    void begin() {
        if (target.isUnresolved()) {
            finish(CheckResult.of(CheckStatus.L4CON, "Unresolved address " + target.getHostString()));
            return;
        }
        connectTo(target);
    }

    @Override
    public void failed(IOException cause) {
        finish(CheckResult.of(CheckStatus.L4CON, message(cause)));
    }

    @Override
    void opened(NioConnection c) {
        ByteBuffer request = protocol.request();
        if (request == null) {
            finish(protocol.judge(ByteBuffer.allocate(0), true));
            return;
        }
        armReadTimer(startNanos);
        out = request;
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
            if (!writeOut()) {
                connection.resumeWrites();
            }
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
                if (!roomToRead()) {
                    verdict(true);
                    return;
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

    @Override
    void timedOut() {
        if (connection == null) {
            if (!graceForConnect()) {
                finish(CheckResult.of(CheckStatus.L4TOUT));
            }
            return;
        }
        onReadable();
        if (!finished) {
            finish(CheckResult.of(protocol.timeoutStatus()));
        }
    }
}
