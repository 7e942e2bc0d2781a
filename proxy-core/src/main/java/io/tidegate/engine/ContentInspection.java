package io.tidegate.engine;

import io.tidegate.net.ScheduledTask;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The clientToProxy inspection of a {@code mode tcp} connection's first bytes by the
 * {@code tcp-request content} rules of one stage (the frontend's, then those of the backend
 * use_backend chose). The bytes stay in the connection's receive buffer and are forwarded first. With
 * {@code tcp-request inspect-delay} the rules wait for more while a rule's answer may change, until
 * the buffer is full, the client ends its side or the delay expires; then (and at once without a
 * delay) they run on what is there, "maybe" counting as no match, as HAProxy 2.6's
 * {@code tcp_inspect_request}. The decision goes back to the connection:
 * {@code ClientConnection.contentsAccepted} or {@code contentRejected}.
 *
 * <p>One per connection, made at its first inspection; nothing of it exists for proxies without
 * content rules.
 */
final class ContentInspection {
    private static final ByteBuffer NO_CONTENTS = ByteBuffer.allocate(0);

    private final ClientConnection conn;
    /** The content rules being run, else null. */
    private ProxyRules rules;
    /** The expiry of the inspect-delay of {@link #rules}, else null. */
    private ScheduledTask delayTimer;
    private boolean delayExpired;
    /** Made once: the inspect-delay's expiry. */
    private final Runnable delayTask = this::onDelayExpired;

    ContentInspection(ClientConnection conn) {
        this.conn = conn;
    }

    private void onDelayExpired() {
        delayExpired = true;
        try {
            if (rules != null && !conn.closed) run();
        } catch (IOException e) {
            conn.abort(Termination.CLIENT_ABORT_DATA);
        } catch (RuntimeException e) {
            conn.internalError(e);
        }
    }

    /** The bytes received so far as the rules read them (an empty buffer before the first read). */
    static ByteBuffer contents(IoBuffer in) {
        ByteBuffer b = in.buffer();
        return b == null ? NO_CONTENTS : b;
    }

    /** Whether content rules are running (the connection waits for their decision). */
    boolean active() {
        return rules != null;
    }

    /** Starts running {@code stage}'s content rules on what the client sent and sends. */
    void start(ProxyRules stage) {
        rules = stage;
        delayExpired = false;
        try {
            if (stage.inspectDelayMs > 0) {
                delayTimer = conn.io.schedule(delayTask, stage.inspectDelayMs, TimeUnit.MILLISECONDS);
            } else if (conn.clientIn.isEmpty() && !conn.clientEof && conn.fillFromClient() < 0) {   // no delay: once, on what is there now
                conn.clientEof = true;
            }
            run();
        } catch (IOException e) {
            conn.abort(Termination.CLIENT_ABORT_DATA);
        }
    }

    /** Reads what the client sent and runs the content rules until they decide. */
    void run() throws IOException {
        IoBuffer in = conn.clientIn;
        ExchangeFacts facts = conn.facts;
        while (!conn.closed) {
            ProxyRules stage = rules;
            boolean full = in.buffer() != null && !in.hasSpace();
            facts.contents(contents(in), in.r, in.w, conn.pool.bufferSize(),
                    full || conn.clientEof || delayExpired || stage.inspectDelayMs == 0);
            int outcome = stage.inspectContents(facts);
            if (outcome != ProxyRules.CONTENT_WAIT) {
                cancel();
                if (outcome == ProxyRules.CONTENT_REJECTED) {
                    conn.contentRejected();
                } else {
                    conn.contentsAccepted(stage);
                }
                return;
            }
            int n = conn.fillFromClient();
            if (n == 0) return;      // read interest is armed: the rules run again when more comes
            if (n < 0) {
                conn.clientEof = true;
                conn.suspendClientReads();
            }
        }
    }

    /** Ends the inspection without a decision (the connection closes). */
    void cancel() {
        if (delayTimer != null) delayTimer.cancel();
        delayTimer = null;
        rules = null;
    }
}
