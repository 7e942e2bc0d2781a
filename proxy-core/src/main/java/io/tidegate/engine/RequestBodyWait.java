package io.tidegate.engine;

import io.tidegate.engine.Exchange.RequestPhase;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.RequestHead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The clientToProxy wait of {@code option http-buffer-request}: before the request rules of the proxy
 * that asks for it, the request's body is read into the connection's receive buffer behind its head
 * (never compacted meanwhile, so the parsed head stays where it is) until it is complete or a buffer's
 * worth is there, as HAProxy 2.6's {@code http_wait_for_msg_body}; then the routing goes on where it
 * stopped ({@code ClientConnection.routeRequest}). A client waiting on {@code Expect: 100-continue} is
 * answered 100 by the proxy and the Expect header is not forwarded.
 *
 * <p>One per connection, made at its first wait; an exchange waits at most once (frontend or
 * backend). Its time bound is the connection's timer ({@link #expired}): the {@code timeout
 * http-request} of the proxy that asked, else 408 logged {@code cD}.
 */
final class RequestBodyWait {
    /** HAProxy stops waiting when the buffer is full but for its tune.maxrewrite reserve (1024 of 16384 bytes). */
    static final int LIMIT = Engine.BUFFER_SIZE - 1024;
    private static final byte[] EXPECT = "expect".getBytes(StandardCharsets.ISO_8859_1);

    private final ClientConnection conn;
    /** The body of this exchange was waited for already (HAProxy waits once, frontend or backend). */
    private boolean waited;
    /** Where the routing goes on once the body is at hand: the frontend's rules (true) or the backend's. */
    private boolean beforeFrontendRules;
    /** When the wait began (nanos): {@code timeout http-request} counts from here, as HAProxy's analyser expiry. */
    private long since;

    RequestBodyWait(ClientConnection conn) {
        this.conn = conn;
    }

    /** A new exchange: it may wait once. */
    void newExchange() {
        waited = false;
    }

    /**
     * Starts waiting for the request body unless this exchange waited already; false when there is
     * nothing to wait for (no body, or all of it or a buffer's worth is here): the routing goes on.
     * True when the exchange now waits (or the client left while it was told to continue).
     */
    boolean waits(boolean beforeFrontendRules) {
        if (waited) return false;
        waited = true;
        Exchange ex = conn.ex;
        RequestHead req = ex.req;
        if (!ex.requestBody.hasBody()) return false;
        if (req.expectContinue() && !ex.clientHttp10) {
            int h = req.find(EXPECT);
            if (h >= 0) conn.facts.reqEdits.replace(h, HeadEdits.DELETED);
            if (!conn.writeContinue()) return true;      // the client left: closed
        }
        if (atHand()) return false;
        this.beforeFrontendRules = beforeFrontendRules;
        since = System.nanoTime();
        ex.requestPhase = RequestPhase.BODY_WAIT;
        try {
            read();
        } catch (IOException e) {
            conn.abort(Termination.CLIENT_ABORT_DATA);
        }
        return true;
    }

    /** The body is complete, or fills the receive buffer (a larger body is forwarded as it comes, the rules see its start). */
    private boolean atHand() {
        IoBuffer in = conn.clientIn;
        return conn.ex.requestBody.isComplete() || in.w - conn.ex.reqHeadStart >= LIMIT || !in.hasSpace();
    }

    /** The client is readable during the wait: takes what came; once the body is at hand the routing goes on. */
    void read() throws IOException {
        Exchange ex = conn.ex;
        while (!conn.closed && ex.requestPhase == RequestPhase.BODY_WAIT) {
            try {
                ex.requestBody.scan(conn.clientIn);
            } catch (HttpParseException e) {
                conn.rejectRequest(e);
                return;
            }
            if (atHand()) {
                ex.requestPhase = RequestPhase.HEAD;
                conn.routeRequest(beforeFrontendRules);
                return;
            }
            int n = conn.fillFromClient();
            if (n == 0) {
                conn.resumeClientReads();
                return;
            }
            if (n < 0) {
                conn.abort(Termination.CLIENT_ABORT_DATA);
                return;
            }
        }
    }

    /** Whether the wait has outlasted the {@code timeout http-request} of the proxy that asked for it. */
    boolean expired(RuntimeFrontend frontend, long now) {
        long limit = beforeFrontendRules ? frontend.httpRequestTimeoutMs : frontend.backendBodyWaitTimeoutMs;
        return ClientConnection.expired(limit, Exchange.ms(now - since));
    }
}
