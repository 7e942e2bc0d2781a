package io.tidegate.health;

import io.tidegate.net.EventLoop;
import io.tidegate.net.NioConnection;
import io.tidegate.net.SourceBinding;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One run of an {@code option tcp-check} sequence, without ever blocking, on one of the engine's IO
 * threads: each step in turn (connect, send, expect), as HAProxy 2.6 evaluates them (src/tcpcheck.c).
 * An expect reads only while it is the current step, into the check buffer (which a send or a
 * connect empties), and waits for more data while nothing matches, until the server closes, the
 * buffer (16 KiB, HAProxy's tune.bufsize) is full, or the check times out. The first failing step
 * ends the check with HAProxy's reason naming it. Every connection is closed at the verdict.
 */
final class TcpCheckRun extends CheckConnection {

    private enum Waiting { NOTHING, CONNECT, WRITE, READ }

    private final TcpCheckSequence sequence;

    private int current;
    private Waiting waiting = Waiting.NOTHING;
    /** {@link #out} holds the PROXY line of a {@code connect send-proxy}. */
    private boolean proxyLine;
    private boolean mustRead = true;
    private boolean endOfInput;

    TcpCheckRun(TcpCheckSequence sequence, EventLoop loop, SourceBinding source, InetSocketAddress target,
                CheckTimeouts timeouts) {
        super(loop, source, target, timeouts);
        this.sequence = sequence;
    }

    private TcpCheckSequence.Step step() {
        return sequence.steps().get(current);
    }

    @Override
    void begin() {
        advance();
    }

    /** Runs steps until one must wait or the sequence is over. */
    private void advance() {
        while (!finished && current < sequence.steps().size()) {
            TcpCheckSequence.Step step = step();
            if (step instanceof TcpCheckSequence.Connect c) {
                connect(c);
                return;
            } else if (step instanceof TcpCheckSequence.Send s) {
                if (out == null) {
                    if (s.data().length >= MAX_BUFFER) {
                        finish(CheckResult.of(CheckStatus.L7RSP, "tcp-check send : string too large ("
                                + s.data().length + ") for buffer size (" + MAX_BUFFER + ") at step "
                                + s.id()));
                        return;
                    }
                    in.clear();
                    out = ByteBuffer.wrap(s.data());
                }
                if (!flush()) {
                    return;
                }
                mustRead = true;
                current++;
            } else {
                TcpCheckSequence.Expect e = (TcpCheckSequence.Expect) step;
                if (mustRead) {
                    if (!receive(e)) {
                        return;            // finished (error) or waiting for data
                    }
                    mustRead = false;
                }
                CheckResult failed = null;
                switch (evaluate(e)) {
                    case WAIT -> {
                        current = e.head();
                        mustRead = true;
                        waitFor(Waiting.READ);
                        return;
                    }
                    case STOP -> failed = failure(e);
                    default -> current++;
                }
                if (failed != null) {
                    finish(failed);
                    return;
                }
            }
        }
        if (!finished) {
            finish(success());
        }
    }

    // ---- connect

    private void connect(TcpCheckSequence.Connect c) {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        in.clear();
        out = null;
        endOfInput = false;
        mustRead = true;
        if (target.isUnresolved() && c.addr() == null) {
            finish(CheckResult.of(CheckStatus.L4CON, "Unresolved address " + target.getHostString()
                    + where(c)));
            return;
        }
        int port = c.port() != null ? c.port() : c.addr() != null && c.addr().port() > 0 ? c.addr().port()
                : target.getPort();
        InetSocketAddress to = c.addr() != null ? new InetSocketAddress(c.addr().host(), port)
                : new InetSocketAddress(target.getAddress(), port);
        if (to.isUnresolved()) {
            finish(CheckResult.of(CheckStatus.L4CON, "Unresolved address " + to.getHostString() + where(c)));
            return;
        }
        waiting = Waiting.CONNECT;
        connectTo(to);
    }

    @Override
    public void failed(IOException cause) {
        finish(CheckResult.of(CheckStatus.L4CON, message(cause) + where(step())));
    }

    @Override
    void opened(NioConnection c) {
        waiting = Waiting.NOTHING;
        armReadTimer(connectStartNanos);
        c.setReadHandler(this::onReadable);
        c.setWriteHandler(this::onWritable);
        TcpCheckSequence.Connect step = (TcpCheckSequence.Connect) step();
        current++;
        if (step.sendProxy()) {
            out = ByteBuffer.wrap(proxyLine(c).getBytes(StandardCharsets.US_ASCII));
            proxyLine = true;
            if (!flush()) {
                return;
            }
            proxyLine = false;
        }
        advance();
    }

    /** The PROXY protocol v1 line HAProxy sends on a check connection: its own local and remote address. */
    private static String proxyLine(NioConnection c) {
        InetSocketAddress local = c.localAddress();
        InetSocketAddress peer = c.peerAddress();
        if (local == null || peer == null) {
            return "PROXY UNKNOWN\r\n";
        }
        String family = local.getAddress() instanceof Inet6Address ? "TCP6" : "TCP4";
        return "PROXY " + family + " " + io.tidegate.net.AddressText.of(local.getAddress()) + " " + io.tidegate.net.AddressText.of(peer.getAddress())
                + " " + local.getPort() + " " + peer.getPort() + "\r\n";
    }

    // ---- send

    /** Writes what is pending; true when all is written, false when waiting (or finished on an error). */
    private boolean flush() {
        try {
            if (!writeOut()) {
                waitFor(Waiting.WRITE);
                return false;
            }
            out = null;
            return true;
        } catch (IOException e) {
            finish(CheckResult.of(CheckStatus.SOCKERR, message(e) + where(step())));
            return false;
        }
    }

    private void onWritable() {
        if (finished || waiting != Waiting.WRITE) {
            return;
        }
        waiting = Waiting.NOTHING;
        if (!proxyLine) {
            advance();      // the send resumes where it stopped
        } else if (flush()) {
            proxyLine = false;
            advance();
        }
    }

    // ---- expect

    private void onReadable() {
        if (finished || waiting != Waiting.READ) {
            return;
        }
        waiting = Waiting.NOTHING;
        connection.suspendReads();
        advance();
    }

    /**
     * Reads what the socket has (HAProxy's tcpcheck_eval_recv): true when there are bytes to judge,
     * false when waiting for data or finished ("got an empty response", a socket error).
     */
    private boolean receive(TcpCheckSequence.Expect e) {
        int got = 0;
        try {
            for (int i = 0; i < MAX_READS_PER_EVENT && !endOfInput; i++) {
                if (!roomToRead()) {
                    break;
                }
                int n = connection.read(in);
                if (n < 0) {
                    endOfInput = true;
                } else if (n == 0) {
                    break;
                } else {
                    got += n;
                }
            }
        } catch (IOException ex) {
            if (in.position() == 0) {
                finish(CheckResult.of(CheckStatus.SOCKERR, message(ex) + where(e)));
                return false;
            }
            endOfInput = true;     // an RST after the answer: judge what came
        }
        if (got == 0 && !bufferFull()) {
            if (!endOfInput) {
                waitFor(Waiting.READ);
                return false;
            }
            if (in.position() == 0) {
                finish(CheckResult.of(e.errorStatus(), "TCPCHK got an empty response at step " + e.id()
                        + (e.comment() != null ? " comment: '" + e.comment() + "'" : "")).withCode(e.code()));
                return false;
            }
        }
        return true;
    }

    private enum Verdict { CONTINUE, WAIT, STOP }

    /** HAProxy's tcpcheck_eval_expect for string, binary, rstring and rbinary. */
    private Verdict evaluate(TcpCheckSequence.Expect e) {
        boolean lastRead = endOfInput || bufferFull();
        int length = in.position();
        byte[] data = in.array();
        if (!lastRead) {
            if (e.bytes() != null && length < e.bytes().length) {
                return Verdict.WAIT;
            }
            if (e.minRecv() > 0 && length < e.minRecv()) {
                return Verdict.WAIT;
            }
        }
        boolean match = switch (e.match()) {
            case STRING, BINARY -> TcpCheckSequence.contains(data, length, e.bytes());
            case RSTRING -> TcpCheckSequence.find(e.regex(), data, length);
            case RBINARY -> TcpCheckSequence.findHex(e.regex(), data, length, MAX_BUFFER);
        };
        if (!match && !lastRead && e.minRecv() == -1) {
            return Verdict.WAIT;
        }
        return match != e.negated() ? Verdict.CONTINUE : Verdict.STOP;
    }

    /** The reason of a failed expect, as HAProxy words it. */
    private static CheckResult failure(TcpCheckSequence.Expect e) {
        StringBuilder b = new StringBuilder();
        if (e.onError() != null) {
            b.append(e.onError());
        } else {
            b.append(e.negated() ? "TCPCHK matched unwanted content" : "TCPCHK did not match content");
            switch (e.match()) {
                case STRING -> b.append(" '").append(new String(e.bytes(), StandardCharsets.ISO_8859_1)).append('\'');
                case BINARY -> b.append(" (binary)");
                case RSTRING -> b.append(" (regex)");
                case RBINARY -> b.append(" (binary regex)");
            }
            b.append(" at step ").append(e.id());
        }
        if (e.comment() != null) {
            b.append(" comment: ").append(e.comment());
        }
        return CheckResult.of(e.errorStatus(), b.toString()).withCode(e.code());
    }

    /** The result when every step passed, judged by the last one (HAProxy's tcpcheck_main). */
    private CheckResult success() {
        TcpCheckSequence.Step last = sequence.steps().get(sequence.steps().size() - 1);
        if (last instanceof TcpCheckSequence.Expect e) {
            return CheckResult.of(e.okStatus(), e.onSuccess() != null ? e.onSuccess() : "(tcp-check)")
                    .withCode(e.code());
        }
        if (last instanceof TcpCheckSequence.Connect c) {
            return CheckResult.of(CheckStatus.L4OK, c.implicit() ? "" : "(tcp-check)");
        }
        return CheckResult.of(CheckStatus.L7OK, "(tcp-check)");
    }

    /** HAProxy's suffix naming the step of a connection error or a timeout. */
    private static String where(TcpCheckSequence.Step step) {
        if (step instanceof TcpCheckSequence.Connect c && c.implicit()) {
            return " at initial connection step of tcp-check";
        }
        StringBuilder b = new StringBuilder(" at step ").append(step.id()).append(" of tcp-check");
        if (step instanceof TcpCheckSequence.Connect c) {
            b.append(c.port() != null ? " (connect port " + c.port() + ")" : " (connect)");
        } else if (step instanceof TcpCheckSequence.Expect e) {
            b.append(switch (e.match()) {
                case STRING -> " (expect string '" + new String(e.bytes(), StandardCharsets.ISO_8859_1) + "')";
                case BINARY -> " (expect binary '" + new String(e.bytes(), StandardCharsets.ISO_8859_1) + "')";
                case RSTRING -> " (expect regex)";
                case RBINARY -> " (expect binary regex)";
            });
        } else {
            b.append(" (send)");
        }
        if (step.comment() != null) {
            b.append(" comment: '").append(step.comment()).append('\'');
        }
        return b.toString();
    }

    private void waitFor(Waiting what) {
        waiting = what;
        if (what == Waiting.READ) {
            connection.resumeReads();
        } else if (what == Waiting.WRITE) {
            connection.resumeWrites();
        }
    }

    // ---- time

    /* As CheckConnection says: before giving up, an answer already waiting is read. */
    @Override
    void timedOut() {
        if (waiting == Waiting.CONNECT) {
            if (!graceForConnect()) {
                finish(CheckResult.of(CheckStatus.L4TOUT, where(step())));
            }
            return;
        }
        if (waiting == Waiting.READ) {
            waiting = Waiting.NOTHING;
            connection.suspendReads();
            advance();
            if (finished || waiting == Waiting.CONNECT) {
                return;        // over, or a later connect runs under its own timer
            }
        }
        TcpCheckSequence.Step step = step();
        CheckStatus status = step instanceof TcpCheckSequence.Expect e ? e.timeoutStatus() : CheckStatus.L7TOUT;
        finish(CheckResult.of(status, where(step)));
    }
}
