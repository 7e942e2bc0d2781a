package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;
import io.tidegate.engine.Exchange.RequestPhase;
import io.tidegate.engine.Exchange.ResponsePhase;
import io.tidegate.http.BodyFraming;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import io.tidegate.net.ConnectHandler;
import io.tidegate.net.NioConnection;
import io.tidegate.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.jboss.logging.Logger;

/**
 * The server side of a {@link ClientConnection}'s exchanges: choosing the server (persistence cookie,
 * stick rule, balancer), waiting for a slot (queues, S9), connecting with retries and redispatch,
 * reusing pooled keep-alive connections, and the two server hops: {@link #proxyToServer()} writes the
 * (edited) request head and body, {@link #serverToProxy()} reads the response head and hands the body
 * to the client side. One per client connection, on its IO thread.
 */
final class UpstreamLeg {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");

    /** How a leg opens a server connection: on its event loop in production, from a script in tests. */
    interface Dialer {
        /** Starts connecting {@code leg} to {@code target}; the outcome goes to {@link #connected} or {@link #connectFailed}. */
        Transport.Connect connect(UpstreamLeg leg, RuntimeServer target);

        Dialer EVENT_LOOP = (leg, target) ->
                leg.session.io.connect(target.plan().address(), target.plan().source(), leg.connectHandler);
    }

    private final ClientConnection session;
    private final Exchange ex;
    private final Dialer dialer;
    /** The server connection of the exchange in progress, or null. */
    ServerConnection server;
    /** The connect in progress, or null. A cancelled connect never reports, so its handler needs no guard. */
    private Transport.Connect connecting;
    /** The request waiting for a server slot, or null. */
    private QueuedRequest queued;
    private boolean serverReadsSuspended;
    private boolean serverWritesResumed;
    /** The forwarded request head (when edited) while it is written, from {@link #reqOutBuffer}. */
    private final PooledOut reqOutBuffer;
    private ByteBuffer reqOut;

    /** Made once: hears the outcome of this leg's connects on the event loop. */
    private final ConnectHandler connectHandler = new ConnectHandler() {
        @Override
        public void connected(NioConnection c) {
            UpstreamLeg.this.connected(c);
        }

        @Override
        public void failed(IOException cause) {
            connectFailed();
        }
    };
    private final Runnable serverReadListener = () -> {
        try {
            serverToProxy();
        } catch (RuntimeException e) {
            UpstreamLeg.this.session.internalError(e);
        }
    };
    private final Runnable serverWriteListener = () -> {
        try {
            onServerWritable();
        } catch (RuntimeException e) {
            UpstreamLeg.this.session.internalError(e);
        }
    };

    UpstreamLeg(ClientConnection session, Dialer dialer) {
        this.session = session;
        this.ex = session.ex;
        this.dialer = dialer;
        this.reqOutBuffer = new PooledOut(session.pool);
    }

    // ------------------------------------------------------------------ choosing the server

    /** Chooses the server of {@code backend} for the request just read (cookie, stick rule, balancer) and admits it. */
    void chooseServer(RuntimeBackend backend) {
        ExchangeFacts facts = session.facts;
        ex.reachedBackend = true;
        RuntimeServer chosen = ex.cookies.readRequest(ex.req, backend, System.currentTimeMillis() / 1000);
        if (chosen == null && facts != null) chosen = backend.stuckServer(facts);     // stick match / on
        boolean pinned = chosen != null;
        if (chosen == null) {
            chosen = facts == null ? backend.pickBalanced() : backend.pickBalanced(null, backend.hashKey(facts));
        }
        if (facts != null && chosen != null) backend.stick(facts, chosen);     // stick on / store-request
        if (chosen == null && !backend.hasUsableServer()) {
            session.sendLocal(LocalResponse.SERVICE_UNAVAILABLE, Termination.SERVER_REFUSED_CONNECT);
            return;
        }
        admit(chosen, pinned);
    }

    // ------------------------------------------------------------------ server slots and queues (S9)

    /**
     * Sends the request to {@code chosen} when it has a free slot, else queues it: in the server's
     * queue when persistence pinned it there, else in the backend's queue (also when others already
     * wait there: first come, first served). chosen null = every usable server is full.
     */
    void admit(RuntimeServer chosen, boolean pinned) {
        RuntimeFrontend frontend = session.frontend;
        RuntimeBackend backend = frontend.backend();
        if (chosen != null && !pinned && backend.dispatcher().anyServerQueue().length() > 0) chosen = null;
        if (chosen != null && chosen.tryStartRequest()) {
            startOn(chosen);
            return;
        }
        QueuedRequest q = new QueuedRequest(pinned ? chosen : null, session.io, this::onSlotGranted);
        if (!backend.dispatcher().enqueue(q)) {
            // the pinned server's queue is full (maxqueue): another server if redispatch allows it
            if (frontend.redispatch) {
                admit(backend.pickBalanced(), false);
            } else {
                ex.target = chosen;
                session.sendLocal(LocalResponse.SERVICE_UNAVAILABLE, Termination.SERVER_QUEUE_FULL);
            }
            return;
        }
        queued = q;
        ex.tQueued = System.nanoTime();
        if (pinned) ex.serverQueueAhead = Math.max(0, chosen.queue().length() - 1);
        else ex.backendQueueAhead = Math.max(0, backend.dispatcher().anyServerQueue().length() - 1);
        ex.target = pinned ? chosen : null;      // for the log; no slot held yet (targetCounted stays false)
        ex.requestPhase = RequestPhase.QUEUED;
        session.armDeferredReads();      // it may wait long: a client that leaves is noticed at once (abortonclose)
    }

    private void startOn(RuntimeServer server) {
        ex.target = server;
        ex.targetCounted = true;
        ex.requestPhase = RequestPhase.CONNECT;
        ex.connectAttempts = 0;
        connect(!session.tcpMode);
    }

    /** A slot was taken for a queued request (runs on this connection's thread). */
    private void onSlotGranted(QueuedRequest q) {
        session.guarded(() -> {
            RuntimeServer s = q.granted();
            if (session.closed || q != queued) {
                s.requestEnded();     // nobody will use it: the next waiter gets it
                return;
            }
            queued = null;
            ex.tDequeued = System.nanoTime();
            startOn(s);
        });
    }

    /** timeout queue: 503, logged sQ and counted as a queue timeout (not as a connect failure). */
    void queueTimedOut() {
        QueuedRequest q = queued;
        RuntimeFrontend frontend = session.frontend;
        if (!frontend.backend().dispatcher().cancel(q)) return;    // a slot was granted just now
        queued = null;
        ex.tDequeued = System.nanoTime();
        ex.target = q.pinned();      // null when it waited for any server (also after a requeue)
        if (ex.target != null) ex.target.counters().queueTimeout();
        else frontend.backend().queueTimeout();
        session.sendLocal(LocalResponse.SERVICE_UNAVAILABLE, Termination.SERVER_TIMEOUT_QUEUE);
    }

    /** option abortonclose: the client closed while queued; the request never reaches a server. */
    void abortQueued() {
        if (queued == null || !session.frontend.backend().dispatcher().cancel(queued)) return;
        queued = null;
        ex.tDequeued = System.nanoTime();
        session.abort(Termination.CLIENT_LEFT_QUEUE);
    }

    /** The connection closes: a request still queued leaves its queue (else the grant releases the slot). */
    void leaveQueue() {
        if (queued != null && session.frontend.backend().dispatcher().cancel(queued)) {
            queued = null;
            ex.tDequeued = System.nanoTime();
            ex.terminateIfUnset(Termination.CLIENT_LEFT_QUEUE);     // the client left while queued
        }
    }

    // ------------------------------------------------------------------ connecting

    private void connect(boolean allowPooled) {
        if (allowPooled) {
            ServerConnection idle;
            while ((idle = ex.target.takeIdle(session.io)) != null) {
                if (idle.isOpen()) {
                    attach(idle);
                    return;
                }
                idle.close();
            }
        }
        ex.connectAttempts++;
        ex.tConnectStart = session.lastActivity = System.nanoTime();
        connecting = dialer.connect(this, ex.target);
    }

    /** The connect succeeded (on this connection's thread). */
    void connected(Transport c) {
        session.guarded(() -> onConnected(c));
    }

    /** The connect failed (on this connection's thread). */
    void connectFailed() {
        session.guarded(this::onConnectFailed);
    }

    private void onConnected(Transport c) {
        if (session.closed) {
            c.close();
            return;
        }
        connecting = null;
        attach(new ServerConnection(c, session.io, ex.target, session.pool, ex.tConnectStart));
    }

    private void onConnectFailed() {
        if (session.closed) return;
        connecting = null;
        retryOrGiveUp();
    }

    /** timeout connect, checked on the connection's timer. */
    void checkConnectTimeout(long now) {
        RuntimeFrontend frontend = session.frontend;
        if (connecting != null && frontend.connectTimeoutMs > 0
                && Exchange.ms(now - ex.tConnectStart) >= frontend.connectTimeoutMs) {
            cancelConnect();
            retryOrGiveUp();
        }
    }

    /** Gives up the connect in progress, if any: it will not report. */
    private void cancelConnect() {
        if (connecting != null) {
            connecting.cancel();
            connecting = null;
        }
    }

    private void retryOrGiveUp() {
        if (session.closed) return;
        RuntimeFrontend frontend = session.frontend;
        ex.target.counters().connectError();
        if (ex.connectAttempts <= frontend.retries) {
            ex.target.counters().retry();
            if (frontend.redispatch && ex.connectAttempts == frontend.retries) {
                redispatch();
            }
            connect(false);
        } else {
            session.sendLocal(LocalResponse.SERVICE_UNAVAILABLE, Termination.SERVER_REFUSED_CONNECT);
        }
    }

    /** option redispatch: the last retry goes to another server when the balancer offers one. */
    private void redispatch() {
        RuntimeServer other = ex.target.backend().pickBalancedAvoiding(ex.target);
        if (other == null) return;
        ex.cookies.redispatched();
        ex.target.counters().redispatch();
        ex.releaseTarget();
        ex.target = other;
        ex.target.requestStarted();
        ex.targetCounted = true;
    }

    private void attach(ServerConnection c) {
        server = c;
        c.exchanges++;
        ex.tConnected = System.nanoTime();
        ex.serverReusable = false;
        serverReadsSuspended = false;
        serverWritesResumed = false;
        c.conn().setReadHandler(serverReadListener);
        c.conn().setWriteHandler(serverWriteListener);
        c.conn().setEndOfStreamHandler(null);
        c.conn().resumeReads();
        if (session.tcpMode) {
            try {
                session.tunnel().start();
            } catch (IOException e) {
                session.close();
            }
            return;
        }
        RequestHead req = ex.req;
        IoBuffer clientIn = session.clientIn;
        ExchangeFacts facts = session.facts;
        HeadWriter.ConnectionEdit edit = requestConnectionEdit();
        byte[] xff = session.forwardedForLine();
        CookieExchange cookieEdit = ex.cookies.editsRequest() ? ex.cookies : null;
        HeadEdits ruleEdits = facts == null || facts.reqEdits.isEmpty() ? null : facts.reqEdits;
        if (edit == HeadWriter.ConnectionEdit.KEEP && xff == null && cookieEdit == null && ruleEdits == null
                && !req.hasHopByHop()) {
            // nothing to change: the head goes out as received, in the same write as the body
            clientIn.r = ex.reqHeadStart;
            ex.requestBody.pending += ex.reqHeadEnd - ex.reqHeadStart;
        } else {
            reqOut = reqOutBuffer.take();
            try {
                HeadWriter.request(req, reqOut, edit, xff, cookieEdit, ruleEdits);
            } catch (RuntimeException overflow) {
                session.rejectRequest(new HttpParseException(431, "forwarded head too large"));
                return;
            }
            reqOut.flip();
        }
        if (!ex.requestBody.hasBody() && !ex.reqUpgrade) {
            clientIn.keepFrom(ex.reqHeadStart);    // may be replayed if a reused connection fails (see serverClosedBeforeResponse)
        }
        ex.requestPhase = RequestPhase.BODY;
        ex.responsePhase = ResponsePhase.HEAD;
        proxyToServer();
    }

    private HeadWriter.ConnectionEdit requestConnectionEdit() {
        RequestHead req = ex.req;
        if (ex.reqUpgrade) return HeadWriter.ConnectionEdit.KEEP;
        if (session.frontend.connectionMode != ConnectionMode.KEEP_ALIVE) {
            return req.connectionClose() && !req.connectionKeepAlive() ? HeadWriter.ConnectionEdit.KEEP
                    : HeadWriter.ConnectionEdit.CLOSE;
        }
        if (req.connectionClose() || (ex.clientHttp10 && !req.connectionKeepAlive())) {
            return HeadWriter.ConnectionEdit.KEEP_ALIVE;   // keep the server connection for reuse
        }
        return HeadWriter.ConnectionEdit.KEEP;
    }

    // ------------------------------------------------------------------ proxyToServer

    private void onServerWritable() {
        if (session.closed) return;
        session.lastActivity = System.nanoTime();
        if (ex.requestPhase == RequestPhase.BODY) {
            proxyToServer();
        } else if (ex.requestPhase == RequestPhase.TUNNEL) {
            try {
                session.tunnel().clientToServer();
            } catch (IOException e) {
                session.close();
            }
        } else {
            suspendServerWrites();
        }
    }

    /** Writes the (edited) request head, then the request body from the client's receive buffer, reading more as needed. */
    void proxyToServer() {
        ServerConnection c = server;
        IoBuffer clientIn = session.clientIn;
        MessageCursor body = ex.requestBody;
        try {
            if (reqOut != null) {
                if (body.pending == 0) body.scan(clientIn);    // body bytes at hand leave with the head
                body.pending -= clientIn.drainAfter(c.conn(), reqOut, body.pending);
                if (reqOut.hasRemaining()) {
                    resumeServerWrites();
                    session.suspendClientReads();
                    return;
                }
                freeRequestOut();
            }
            while (!session.closed) {
                if (body.pending == 0) body.scan(clientIn);    // bytes that arrived while connecting
                if (body.pending > 0) {
                    body.pending -= clientIn.drain(c.conn(), body.pending);
                    if (body.pending > 0) {
                        resumeServerWrites();
                        session.suspendClientReads();
                        return;
                    }
                    continue;
                }
                if (body.isComplete()) {
                    suspendServerWrites();
                    session.readAheadAfterRequest();
                    session.requestDone();
                    return;
                }
                clientIn.compact();
                int n = session.fillFromClient();
                if (n > 0) {
                    body.scan(clientIn);
                } else if (n == 0) {
                    suspendServerWrites();
                    session.resumeClientReads();
                    return;
                } else {
                    session.clientEof = true;
                    session.abort(Termination.CLIENT_ABORT_DATA);
                    return;
                }
            }
        } catch (HttpParseException e) {
            // bad chunk framing after the head went out: stop both sides
            if (!ex.rspStarted) {
                ex.status = 400;
                session.sendLocal(LocalResponse.BAD_REQUEST, Termination.PROXY_DATA);
            } else {
                session.abort(Termination.PROXY_DATA);
            }
        } catch (IOException e) {
            serverFailed();
        }
    }

    void freeRequestOut() {
        if (reqOut == null) return;
        reqOut = null;
        reqOutBuffer.release();
    }

    // ------------------------------------------------------------------ serverToProxy

    /** The server is readable: a response head, more response body, tunnel bytes, or unexpected bytes. */
    private void serverToProxy() {
        if (session.closed) return;
        session.lastActivity = System.nanoTime();
        try {
            switch (ex.responsePhase) {
                case HEAD -> readResponseHead();
                case BODY -> session.proxyToClient();
                case TUNNEL -> session.tunnel().serverToClient();
                default -> {
                    ServerConnection c = server;
                    if (c != null) {
                        int n = c.in.fill(c.conn());
                        if (n != 0 || !c.in.hasSpace()) {    // unexpected bytes: not reusable; never spin
                            ex.serverReusable = false;
                            suspendServerReads();
                        }
                    }
                }
            }
        } catch (IOException e) {
            serverFailed();
        }
    }

    void readResponseHead() throws IOException {
        ServerConnection c = server;
        IoBuffer in = c.in;
        while (!session.closed) {
            if (!in.isEmpty()) {
                int headEnd;
                try {
                    headEnd = MessageHead.findHeadEnd(in.buffer(), in.r, in.w, 502);
                    if (headEnd > 0) ex.rsp.parse(in.buffer(), in.r, headEnd);
                } catch (HttpParseException e) {
                    LOG.debugf("invalid response from %s: %s", ex.target.name(), e.getMessage());
                    invalidResponse(e);
                    session.sendLocal(LocalResponse.BAD_GATEWAY, Termination.PROXY_HEADERS);
                    return;
                }
                if (headEnd > 0) {
                    onResponseHead(headEnd);
                    return;
                }
            }
            in.compact();
            int n = in.fill(c.conn());
            if (n == 0) return;
            if (n < 0) {
                serverClosedBeforeResponse();
                return;
            }
        }
    }

    /** Keeps the refused response for {@code show errors}: error path only. */
    private void invalidResponse(HttpParseException e) {
        IoBuffer in = server.in;
        ErrorCaptures.response(ex.target, session.frontend, session.id, session.clientAddress, e, in.buffer(), in.r, in.w);
    }

    private void serverClosedBeforeResponse() {
        if (canReplay()) {
            replay();
            return;
        }
        session.sendLocal(LocalResponse.BAD_GATEWAY, Termination.SERVER_ABORT_HEADERS);
    }

    /** The server connection failed while it was written or read. */
    private void serverFailed() {
        if (canReplay()) {
            replay();
            return;
        }
        if (!ex.rspStarted && session.rspOut == null) {
            session.sendLocal(LocalResponse.BAD_GATEWAY, Termination.SERVER_ABORT_HEADERS);
        } else {
            session.abort(Termination.SERVER_ABORT_DATA);
        }
    }

    /**
     * A reused keep-alive connection that fails before any byte of the response (the server closed
     * it as we used it) loses nothing yet: a body-less request, still pinned in clientIn, can go out
     * again on a fresh connection. Only once: a fresh connection has carried one exchange.
     */
    private boolean canReplay() {
        ServerConnection c = server;
        return c != null && c.exchanges > 1 && c.in.isEmpty() && !ex.requestBody.hasBody() && !ex.reqUpgrade
                && ex.responsePhase == ResponsePhase.HEAD && !ex.rspStarted && session.rspOut == null;
    }

    private void replay() {
        server.close();
        server = null;
        freeRequestOut();
        session.clientIn.r = ex.reqHeadEnd;
        ex.requestBody.pending = 0;
        ex.requestPhase = RequestPhase.CONNECT;
        ex.responsePhase = ResponsePhase.IDLE;
        connect(false);
    }

    private void onResponseHead(int headEnd) {
        IoBuffer in = server.in;
        ResponseHead rsp = ex.rsp;
        RuntimeFrontend frontend = session.frontend;
        session.clientIn.release();   // the server answered: no replay from here on
        if (ex.tResponse == 0) ex.tResponse = System.nanoTime();
        int st = rsp.status();
        if (st >= 200 || st == 101) ex.target.counters().response(st);
        if (rsp.isInterim() || st == 101) {
            if (st == 101 && !ex.reqUpgrade) {
                session.sendLocal(LocalResponse.BAD_GATEWAY, Termination.PROXY_HEADERS);
                return;
            }
            ByteBuffer out = session.takeResponseOut();
            HeadWriter.unchanged(rsp, out);
            out.flip();
            in.r = headEnd;
            if (st == 101) {
                ex.status = 101;
                ex.responsePhase = ResponsePhase.TUNNEL;
                ex.serverReusable = false;
                ex.clientKeepAlive = false;
            }
            session.proxyToClient();
            return;
        }
        ex.status = st;
        BodyFraming framing = rsp.framing(ex.reqIsHead);
        ex.responseBody.begin(framing, framing == BodyFraming.LENGTH ? rsp.contentLength() : 0);
        ex.serverReusable = frontend.connectionMode == ConnectionMode.KEEP_ALIVE && rsp.keepAlive()
                && framing != BodyFraming.UNTIL_CLOSE && !ex.reqUpgrade;
        ex.clientCloseAfter = !ex.clientKeepAlive || session.clientEof || framing == BodyFraming.UNTIL_CLOSE
                || (ex.clientHttp10 && framing == BodyFraming.CHUNKED);
        HeadWriter.ConnectionEdit edit;
        if (ex.clientCloseAfter) {
            edit = rsp.connectionClose() ? HeadWriter.ConnectionEdit.KEEP : HeadWriter.ConnectionEdit.CLOSE;
        } else if (ex.clientHttp10) {
            edit = rsp.connectionKeepAlive() && !rsp.connectionClose() ? HeadWriter.ConnectionEdit.KEEP
                    : HeadWriter.ConnectionEdit.KEEP_ALIVE;
        } else if (rsp.connectionClose()) {
            edit = HeadWriter.ConnectionEdit.DROP;        // the server closes; this client's connection stays
        } else if (rsp.connectionKeepAlive() && rsp.minorVersion() == 1) {
            edit = HeadWriter.ConnectionEdit.DROP;        // redundant in HTTP/1.1, as HAProxy drops it
        } else {
            edit = HeadWriter.ConnectionEdit.KEEP;
        }
        LogFields logFields = session.logFields;
        if (logFields != null && frontend.captureCookieName != null) {
            logFields.responseCookieLength = CookieCapturer.response(rsp, frontend.captureCookieName,
                    logFields.responseCookie);
        }
        HeadEdits ruleEdits = null;
        ExchangeFacts facts = session.facts;
        if (facts != null) {
            if (answeredByResponseRules()) return;
            if (ex.compressAlgo != null && frontend.compression.compresses(rsp, !ex.clientHttp10, ex.reqIsHead, framing)) {
                CompressionPolicy.editResponse(rsp, ex.compressAlgo, facts.rspEdits);
                ex.compressing = true;
            }
            if (!facts.rspEdits.isEmpty()) ruleEdits = facts.rspEdits;
        }
        boolean cookieEdits = ex.cookies.readResponse(rsp, ex.target);
        if (edit == HeadWriter.ConnectionEdit.KEEP && !cookieEdits && ruleEdits == null && !rsp.hasHopByHop()) {
            // nothing to change: the head goes out as received, in the same write as the body
            ex.responseBody.pending = headEnd - in.r;
        } else {
            ByteBuffer out = session.takeResponseOut();
            try {
                HeadWriter.response(rsp, out, edit, cookieEdits ? ex.cookies : null, ruleEdits);
            } catch (RuntimeException overflow) {
                session.freeResponseOut();
                session.sendLocal(LocalResponse.BAD_GATEWAY, Termination.PROXY_HEADERS);
                return;
            }
            out.flip();
            in.r = headEnd;
            if (in.r == in.w) in.clear();
        }
        ex.responsePhase = ResponsePhase.BODY;
        if (ex.compressing) session.compressor().begin(ex.compressAlgo);
        try {
            ex.responseBody.scan(in);
        } catch (HttpParseException e) {
            invalidResponse(e);
            session.freeResponseOut();
            session.sendLocal(LocalResponse.BAD_GATEWAY, Termination.PROXY_DATA);
            return;
        }
        session.proxyToClient();
    }

    /**
     * The http-response rules of the backend, then of the frontend (HAProxy's order), before the
     * cookie edits. True when one answered instead of the server (http-response deny or return).
     */
    private boolean answeredByResponseRules() {
        ExchangeFacts facts = session.facts;
        ProxyRules backendRules = session.frontend.backendRules;
        ProxyRules own = session.home.rules;
        boolean some = backendRules != null && backendRules.hasResponseRules() || own != null && own.hasResponseRules();
        if (!some) return false;
        facts.rsp = ex.rsp;
        facts.responseSide = true;
        int outcome = HttpRule.CONTINUE;
        if (backendRules != null && backendRules.hasResponseRules()) outcome = backendRules.runResponse(facts);
        if (outcome == HttpRule.CONTINUE && own != null && own.hasResponseRules()) outcome = own.runResponse(facts);
        if (outcome != HttpRule.ANSWER) return false;
        session.sendLocal(facts.answer, facts.denied ? Termination.PROXY_HEADERS : Termination.LOCAL_HEADERS);
        return true;
    }

    // ------------------------------------------------------------------ end of an exchange

    /** The exchange is over: the server connection goes back to its pool when {@code reusable}, else it closes. */
    void endExchange(boolean reusable) {
        ServerConnection c = server;
        server = null;
        if (c != null) {
            if (!(reusable && c.park())) c.discard();
        }
    }

    /** Gives up the connect in progress and closes the server connection, if any (a local answer, a close). */
    void drop() {
        cancelConnect();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    // ------------------------------------------------------------------ server interest bookkeeping

    boolean serverWritesResumed() {
        return serverWritesResumed;
    }

    void suspendServerReads() {
        if (server != null && !serverReadsSuspended) {
            serverReadsSuspended = true;
            server.conn().suspendReads();
        }
    }

    void resumeServerReads() {
        if (server != null && serverReadsSuspended) {
            serverReadsSuspended = false;
            server.conn().resumeReads();
        }
    }

    void resumeServerWrites() {
        if (server != null && !serverWritesResumed) {
            serverWritesResumed = true;
            server.conn().resumeWrites();
        }
    }

    void suspendServerWrites() {
        if (server != null && serverWritesResumed) {
            serverWritesResumed = false;
            server.conn().suspendWrites();
        }
    }
}
