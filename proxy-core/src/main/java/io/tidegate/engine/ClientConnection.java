package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;
import io.tidegate.engine.Exchange.RequestPhase;
import io.tidegate.engine.Exchange.ResponsePhase;
import io.tidegate.http.BodyFraming;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import io.tidegate.net.AddressText;
import io.tidegate.net.EventLoop;
import io.tidegate.net.ScheduledTask;
import io.tidegate.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One accepted client connection and the exchanges it carries, one at a time (pipelined requests
 * wait in the receive buffer). It owns the client side of the four hops: {@link #clientToProxy()}
 * reads requests, {@link #proxyToClient()} writes responses; its {@link UpstreamLeg} owns
 * proxyToServer and serverToProxy, its {@link TcpRelay} the raw tunnel ({@code mode tcp}, after 101).
 * The request in progress is its {@link Exchange}. It also keeps the connection alive between
 * exchanges, runs the client timers and follows its listener across reloads. Everything runs on
 * the connection's IO thread; read interest stays armed while bytes can be buffered and is suspended
 * only under backpressure.
 */
final class ClientConnection {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    /** One line per request refused as malformed, with the reason (silence the category to drop them). */
    private static final Logger REJECTED = Logger.getLogger("io.tidegate.engine.rejected");

    /**
     * The frontend its listener accepted this connection for. A reload does not change it under an
     * exchange; between exchanges the connection follows its listener's frontend ({@link #followListener}),
     * so a keep-alive client's next request runs on the new graph.
     */
    RuntimeFrontend home;
    /** The route of the exchange in progress: {@link #home}, or the route of a use_backend rule that applied. */
    RuntimeFrontend frontend;
    /** Where this connection was accepted; null for connections made without one (tests). */
    private final Listener listener;
    /** What rules read and edit; null when the frontend has no rules (the plain path does not touch it). */
    ExchangeFacts facts;
    final Transport client;
    final EventLoop io;
    final InetSocketAddress clientAddress;
    private final Consumer<ClientConnection> onClose;
    final LoopBuffers pool;
    /** The clientToProxy receive buffer: request heads and bodies, pipelined requests, tunnel bytes. */
    final IoBuffer clientIn;
    final boolean tcpMode;
    private final long acceptMillis = System.currentTimeMillis();
    /** Its number in show sess / shutdown session (SessionTable). */
    final long id = SessionTable.nextId();
    /** When the connection was accepted (nanos). */
    private final long tAccept = System.nanoTime();

    /** The exchange in progress (one object, restarted by {@link Exchange#begin}). */
    final Exchange ex = new Exchange();
    final UpstreamLeg upstream;
    /** Made when a tunnel starts (mode tcp, after a 101): HTTP connections without one never need it. */
    private TcpRelay tunnel;

    boolean closed;
    boolean clientEof;
    private boolean clientReadsSuspended;
    /** The body of a locally answered POST being read (request phase LOCAL_BODY), else null. */
    LocalBodyReader localBody;
    /**
     * The first request was read at once right after accept and read interest was never armed: the
     * first exchange runs without it until the first timer tick ({@link #onTimer}), a queue, or a
     * read that needs more bytes arms it. Saves the epoll registration (and its removal) for a client that
     * sends one request and closes.
     */
    private boolean readInterestDeferred;
    private boolean clientWritesResumed;

    /** The response head (or a local response) while it is written to the client, from {@link #rspOutBuffer}. */
    private final PooledOut rspOutBuffer;
    ByteBuffer rspOut;
    /** The access-log line being filled, null while the frontend writes none (replaced when a reload turns logging on). */
    LogFields logFields;
    long lastActivity;
    /** The forwardfor header line of this client, built on first use. */
    private byte[] forwardedFor;
    private int exchanges;
    private ScheduledTask timer;
    /** The tcp-request content rules' inspection of the first bytes (mode tcp), made at the first one, else null. */
    private ContentInspection inspection;

    // event handlers, created once per connection (no allocation per IO event)
    private final Runnable clientReadable = () -> {
        try {
            clientToProxy();
        } catch (RuntimeException e) {
            internalError(e);
        }
    };
    private final Runnable clientWritable = () -> {
        try {
            onClientWritable();
        } catch (RuntimeException e) {
            internalError(e);
        }
    };
    private final Runnable timerTask = () -> {
        try {
            onTimer();
        } catch (RuntimeException e) {
            internalError(e);
        }
    };

    ClientConnection(Listener listener, RuntimeFrontend frontend, Transport client, EventLoop io, LoopBuffers pool,
                     UpstreamLeg.Dialer dialer, Consumer<ClientConnection> onClose) {
        this.listener = listener;
        this.home = frontend;
        this.frontend = frontend;
        this.pool = pool;
        this.rspOutBuffer = new PooledOut(pool);
        this.clientIn = new IoBuffer(pool);
        this.client = client;
        this.io = io;
        this.clientAddress = client.peerAddress();
        this.onClose = onClose;
        this.tcpMode = "tcp".equals(frontend.plan().mode());
        this.logFields = frontend.accessLog && frontend.log != null ? new LogFields() : null;
        ex.req.setMaxHeaderLines(Math.max(0, frontend.maxHeaders - 1));   // HAProxy keeps one of tune.http.maxhdr's slots
        this.facts = frontend.usesRules() ? new ExchangeFacts(clientAddress, client) : null;
        this.upstream = new UpstreamLeg(this, dialer);
    }

    ClientConnection(Listener listener, RuntimeFrontend frontend, io.tidegate.net.NioConnection client, LoopBuffers pool,
                     Consumer<ClientConnection> onClose) {
        this(listener, frontend, client, client.loop(), pool, UpstreamLeg.Dialer.EVENT_LOOP, onClose);
    }

    TcpRelay tunnel() {
        if (tunnel == null) tunnel = new TcpRelay(this);
        return tunnel;
    }

    EventLoop ioThread() {
        return io;
    }

    /** Starts reading the first request. Runs on the connection's IO thread. */
    void start() {
        if (frontend.monitor != null && frontend.monitor.hasNets()
                && frontend.monitor.isMonitorNet(clientAddress.getAddress())) {
            answerMonitorNet();
            return;
        }
        frontend.sessionOpened();
        lastActivity = System.nanoTime();
        ex.begin(lastActivity);
        client.setReadHandler(clientReadable);
        client.setWriteHandler(clientWritable);
        client.setEndOfStreamHandler(this::onClientReadsClosed);
        if (facts != null && home.rules != null && home.rules.hasTcpRules()) {
            if (!home.rules.acceptsConnection(facts)) {
                close();      // tcp-request connection reject
                return;
            }
            if (home.rules.hasContentRules() && !tcpMode
                    && home.rules.inspectContents(facts) == ProxyRules.CONTENT_REJECTED) {
                contentRejected();      // mode http: evaluated once, without raw contents (as HAProxy's HTX)
                return;
            }
        }
        if (facts != null && facts.tracked != null) facts.tracked.sessionAccepted();
        armTimer();
        if (tcpMode || timer == null) {
            client.resumeReads();
            if (tcpMode) {
                if (facts == null) {
                    tunnel().open();
                } else {
                    inspect(home.rules != null && home.rules.hasContentRules() ? home.rules : null);
                }
            }
            return;
        }
        // The first request is usually in the socket already when the connection is accepted: read it
        // now. Read interest is armed only when it is not all there (readRequestHead) or, while the
        // first exchange runs, by the first timer tick or a queue (armDeferredReads), which is when a
        // client that left is noticed.
        clientReadsSuspended = true;
        readInterestDeferred = true;
        clientReadable.run();
    }

    /**
     * monitor-net: a monitor's probe. HTTP mode: {@code HTTP/1.0 200 OK} and close; TCP mode: close.
     * Nothing is read, forwarded or logged (HAProxy 1.x's documented behaviour).
     */
    private void answerMonitorNet() {
        frontend.sessionOpened();
        if (!tcpMode) {
            try {
                client.write(ByteBuffer.wrap(MonitorRule.MONITOR_NET_HTTP));   // 19 bytes into an empty socket buffer
            } catch (IOException e) {
                // the monitor left already
            }
            frontend.bytesOut(MonitorRule.MONITOR_NET_HTTP.length);
        }
        close();
    }

    /** Runs an event handler; a bug must cost this connection only, never the IO thread or other connections. */
    void guarded(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** A bug in a handler: this connection ends, logged PX. */
    void internalError(RuntimeException e) {
        LOG.errorf(e, "session of %s closed after an internal error", clientAddress);
        ex.termination = Termination.PROXY_INTERNAL;
        close();
    }

    // ------------------------------------------------------------------ content inspection (mode tcp)

    /**
     * Mode tcp with content rules: no server is chosen until the {@code tcp-request content} rules of
     * the frontend, then those of the backend chosen, have decided ({@link ContentInspection}).
     * {@code rules} null: the frontend has none, the backend's may.
     */
    private void inspect(ProxyRules rules) {
        if (rules == null) {
            contentsAccepted(null);
            return;
        }
        if (inspection == null) inspection = new ContentInspection(this);
        inspection.start(rules);
    }

    private boolean inspecting() {
        return inspection != null && inspection.active();
    }

    /**
     * A tcp-request content rule rejected the connection: closed and logged as refused by the proxy
     * while the request came (PR, no server), as HAProxy logs it; a tcp-request connection reject
     * is not logged.
     */
    void contentRejected() {
        ex.open = true;
        ex.tRequest = System.nanoTime();
        abort(Termination.PROXY_REQUEST);
    }

    /**
     * The content rules of {@code stage} accepted (null: the frontend has none): after the frontend's,
     * use_backend chooses on the contents as they are, then the chosen backend's own content rules
     * run; after those, the server is chosen and connected.
     */
    void contentsAccepted(ProxyRules stage) {
        if (stage == null || stage == home.rules) {
            if (stage == null) {
                facts.contents(ContentInspection.contents(clientIn), clientIn.r, clientIn.w, pool.bufferSize(), true);
            }
            facts.contentsFinal = true;
            frontend = home.route(facts);
            ProxyRules backendRules = frontend.backendRules;
            if (backendRules != null && backendRules.hasContentRules()) {
                inspect(backendRules);
                return;
            }
        }
        facts.contentsFinal = true;      // the balancing reads them as they are
        tunnel().open(false);
    }

    // ------------------------------------------------------------------ clientToProxy

    /** The client is readable: a request head, more request body, tunnel bytes, or bytes read ahead. */
    private void clientToProxy() {
        if (closed) return;
        lastActivity = System.nanoTime();
        try {
            switch (ex.requestPhase) {
                case HEAD -> {
                    if (inspecting()) inspection.run();
                    else readRequestHead();
                }
                case BODY -> upstream.proxyToServer();
                case LOCAL_BODY -> localBody.read();
                case BODY_WAIT -> bodyWait.read();
                case TUNNEL -> tunnel().clientToServer();
                default -> bufferAhead();
            }
        } catch (IOException e) {
            abort(Termination.CLIENT_ABORT_DATA);
        }
    }

    void readRequestHead() throws IOException {
        RequestHead req = ex.req;
        while (!closed) {
            if (!clientIn.isEmpty()) {
                ByteBuffer b = clientIn.buffer();
                clientIn.r = RequestHead.skipLeadingEmptyLines(b, clientIn.r, clientIn.w);
                if (!clientIn.isEmpty()) {
                    int headEnd;
                    try {
                        headEnd = MessageHead.findHeadEnd(b, clientIn.r, clientIn.w, 431);
                        if (headEnd > 0) req.parse(b, clientIn.r, headEnd);
                    } catch (HttpParseException e) {
                        rejectRequest(e);
                        return;
                    }
                    if (headEnd > 0) {
                        onRequestHead(headEnd);
                        return;
                    }
                }
            }
            if (!readMoreFromClient(null)) return;
        }
    }

    /**
     * Compacts clientIn and reads more from the client: true when bytes came in. False when none are
     * there yet (client reads resumed) or the client has closed: then this connection is closed, the
     * exchange first ended with {@code atEnd} and logged when that is not null (a request under way).
     */
    boolean readMoreFromClient(Termination atEnd) throws IOException {
        clientIn.compact();
        int n = fillFromClient();
        if (n == 0) {
            resumeClientReads();
            return false;
        }
        if (n < 0) {
            if (atEnd == null) {
                close();
            } else {
                abort(atEnd);
            }
            return false;
        }
        return true;
    }

    /** Reads from the client into clientIn, counting the bytes. */
    int fillFromClient() throws IOException {
        int n = clientIn.fill(client);
        if (n > 0) {
            if (ex.tFirstByte == 0 && ex.requestPhase == RequestPhase.HEAD) ex.tFirstByte = System.nanoTime();
            ex.bytesIn += n;
            frontend.bytesIn(n);
        }
        return n;
    }

    /** Reads ahead (pipelined bytes, early tunnel data) while an exchange is in progress. */
    private void bufferAhead() throws IOException {
        if (!clientIn.hasSpace()) {
            suspendClientReads();
            return;
        }
        int n = fillFromClient();
        if (n < 0) {
            clientEof = true;
            suspendClientReads();
            if (ex.requestPhase == RequestPhase.QUEUED && frontend.abortOnClose && !closed) upstream.abortQueued();
        }
    }

    private void onRequestHead(int headEnd) {
        boolean listenerGone = listener != null && listener.frontend() != home && !followListener();
        frontend = home;      // the route of the previous exchange (use_backend ... if) is chosen again below
        RequestHead req = ex.req;
        // the head stays where it is in clientIn until the forwarded copy is built (no compaction before)
        ex.requestHeadArrived(System.nanoTime(), clientIn.r, headEnd,
                frontend.connectionMode != ConnectionMode.CLOSE && !listenerGone);
        if (logFields != null) {
            logFields.captureRequestLine(req.buffer(), req.start(), req.startLineEnd() - 2);
            if (frontend.captureCookieName != null) {
                if (logFields.requestCookie == null) {
                    logFields.requestCookie = new byte[frontend.captureCookieLength];
                    logFields.responseCookie = new byte[frontend.captureCookieLength];
                }
                logFields.requestCookieLength = CookieCapturer.request(req, frontend.captureCookieName,
                        logFields.requestCookie);
                logFields.responseCookieLength = -1;
            }
        }
        clientIn.r = headEnd;
        try {
            ex.requestBody.scan(clientIn);   // what already arrived is checked before anything is forwarded
        } catch (HttpParseException e) {
            rejectRequest(e);
            return;
        }
        if (frontend.monitor != null && frontend.monitor.isMonitorUri(req)) {
            ex.open = false;           // answered here, never forwarded, not logged (HAProxy 2.x)
            sendLocal(MonitorRule.answer(home.rules, facts, req), Termination.NONE);   // 503 when monitor fail applies
            return;
        }
        LocalRoute local = frontend.localRoute;
        if (local != null && local.matches(clientIn.buffer(), req.start(), req.methodEnd(), req.targetStart(), req.targetEnd())) {
            answerLocally(local, req);
            return;
        }
        if (facts != null) {
            facts.beginRequest(req);
            if (facts.tracked != null) facts.tracked.requestArrived();
            if (bodyWait != null) bodyWait.newExchange();
        }
        routeRequest(true);
    }

    /**
     * The request rules of the frontend ({@code fromFrontendRules}), the choice of the backend
     * (use_backend ... if), the request rules of that backend, then the server. With option
     * http-buffer-request the body is waited for first, before the rules of the proxy that asks for
     * it (HAProxy's analyser order); the wait comes back here ({@link RequestBodyWait}).
     */
    void routeRequest(boolean fromFrontendRules) {
        if (facts != null) {
            if (fromFrontendRules) {
                if (home.frontendWaitsForBody() && bodyWait().waits(true)) return;
                showBody();
                ProxyRules own = home.rules;
                if (own != null && own.hasRequestRules() && own.runRequest(facts) == HttpRule.ANSWER) {
                    answerFromRules();
                    return;
                }
                frontend = home.route(facts);
            }
            if (frontend.backendWaitsForBody() && bodyWait().waits(false)) return;
            showBody();
            ProxyRules backendRules = frontend.backendRules;
            if (backendRules != null && backendRules.hasRequestRules() && backendRules.runRequest(facts) == HttpRule.ANSWER) {
                answerFromRules();
                return;
            }
        }
        CompressionPolicy compression = frontend.compression;
        if (compression != null) {
            ex.compressAlgo = compression.select(ex.req);
            if (ex.compressAlgo != null && compression.offload) compression.dropAcceptEncoding(ex.req, facts.reqEdits);
        }
        RuntimeBackend backend = frontend.backend();
        if (backend == null) {
            sendLocal(LocalResponse.SERVICE_UNAVAILABLE, Termination.SERVER_REFUSED_CONNECT);
            return;
        }
        upstream.chooseServer(backend);
    }

    /** The compressor of this connection's compressed responses, made at the first one. */
    ResponseCompressor compressor() {
        if (compressor == null) compressor = new ResponseCompressor(this);
        return compressor;
    }

    private ResponseCompressor compressor;

    // ------------------------------------------------------------------ option http-buffer-request

    /** The body wait of this connection's exchanges (option http-buffer-request), made at the first one. */
    private RequestBodyWait bodyWait;

    private RequestBodyWait bodyWait() {
        if (bodyWait == null) bodyWait = new RequestBodyWait(this);
        return bodyWait;
    }

    /** What the request rules see of the body: the bytes behind the head (req.body, req.body_param...). */
    private void showBody() {
        MessageCursor body = ex.requestBody;
        facts.body(clientIn.buffer(), clientIn.r, clientIn.r + body.pending, body.framing() == BodyFraming.CHUNKED,
                ex.req.chunked() ? -1 : ex.req.contentLength());
    }

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * Tells a client waiting on {@code Expect: 100-continue} to send its body: 25 bytes into a socket
     * that has sent nothing of this exchange yet. False when they could not be written (closed).
     */
    boolean writeContinue() {
        ByteBuffer b = ByteBuffer.wrap(CONTINUE);
        try {
            for (int i = 0; i < 4 && b.hasRemaining(); i++) {
                if (client.write(b) == 0) Thread.onSpinWait();
            }
        } catch (IOException e) {
            abort(Termination.CLIENT_ABORT_DATA);
            return false;
        }
        if (b.hasRemaining()) {
            abort(Termination.CLIENT_ABORT_DATA);
            return false;
        }
        ex.bytesOut += CONTINUE.length;
        frontend.bytesOut(CONTINUE.length);
        return true;
    }

    /**
     * A request for a locally answered URI (the stats page): its admin conditions are evaluated with
     * the frontend's ACLs; a POST the service takes with its body is read first ({@link LocalBodyReader}),
     * anything else is answered at once.
     */
    private void answerLocally(LocalRoute local, RequestHead req) {
        boolean admin = false;
        if (local.hasAdminRules()) {
            ExchangeFacts x = facts != null ? facts : new ExchangeFacts(clientAddress, client);   // only stats requests pay for it
            x.beginRequest(req);
            admin = local.grantsAdmin(x);
        }
        LocalPost post = LocalRoute.isPost(req.buffer(), req.start(), req.methodEnd()) ? local.service().post(req, admin, clientAddress) : null;
        if (post == null) {
            sendLocal(local.service().answer(req, admin), Termination.LOCAL_REQUEST);     // HAProxy's state for a locally processed request
            return;
        }
        localBody = new LocalBodyReader(this, post);
        localBody.start(req);
    }

    private void answerFromRules() {
        if (facts.denied && facts.tracked != null) facts.tracked.httpError();     // HAProxy counts a denied request as an error
        sendLocal(facts.answer, facts.denied ? Termination.PROXY_REQUEST : Termination.LOCAL_REQUEST);
    }

    /**
     * The client shut its sending side. A queued request still goes out unless option abortonclose
     * says a client that closed has given up (HAProxy); in any other state the connection ends as before.
     */
    private void onClientReadsClosed() {
        if (inspecting() && !closed) {
            clientEof = true;        // the content rules run once more on what came (ContentInspection.run)
            return;
        }
        if (ex.requestPhase == RequestPhase.QUEUED && !frontend.abortOnClose && !closed) {
            clientEof = true;        // answered, then closed
            return;
        }
        if (ex.requestPhase == RequestPhase.TUNNEL && ex.responsePhase == ResponsePhase.TUNNEL && !closed) {
            clientEof = true;        // a half-close: the relay passes the FIN on (TcpRelay)
            return;
        }
        close();
    }

    /** The forwardfor header line for this client, or null when none is added. */
    byte[] forwardedForLine() {
        ForwardForRule ff = frontend.forwardFor;
        if (ff == null || !ff.appliesTo(clientAddress.getAddress())) return null;
        if (ff.ifNone() && ex.req.find(frontend.forwardForLowerName) >= 0) return null;
        if (forwardedFor == null) {
            byte[] ip = AddressText.of(clientAddress.getAddress()).getBytes(StandardCharsets.ISO_8859_1);
            byte[] prefix = frontend.forwardForPrefix;
            byte[] line = new byte[prefix.length + ip.length + 2];
            System.arraycopy(prefix, 0, line, 0, prefix.length);
            System.arraycopy(ip, 0, line, prefix.length, ip.length);
            line[line.length - 2] = '\r';
            line[line.length - 1] = '\n';
            forwardedFor = line;
        }
        return forwardedFor;
    }

    // ------------------------------------------------------------------ proxyToClient

    private void onClientWritable() {
        if (closed) return;
        lastActivity = System.nanoTime();
        if (rspOut != null || ex.responsePhase == ResponsePhase.BODY) {
            proxyToClient();
        } else if (ex.responsePhase == ResponsePhase.TUNNEL) {
            try {
                tunnel().serverToClient();
            } catch (IOException e) {
                close();
            }
        } else {
            suspendClientWrites();
        }
    }

    /** Writes the response head (edited, interim or local) and then the body from the server's receive buffer. */
    void proxyToClient() {
        Exchange ex = this.ex;
        if (ex.compressing) {
            compressor.pump();
            return;
        }
        MessageCursor body = ex.responseBody;
        try {
            if (rspOut != null) {
                int before = rspOut.remaining();
                ServerConnection server = upstream.server;
                if (ex.responsePhase == ResponsePhase.BODY && server != null) {
                    if (body.pending == 0) body.scan(server.in);    // body bytes at hand leave with the head
                    int n = server.in.drainAfter(client, rspOut, body.pending);
                    body.pending -= n;
                    ex.bytesOut += n;
                    if (n > 0) ex.rspStarted = true;
                } else {
                    while (rspOut.hasRemaining() && client.write(rspOut) > 0) {
                        // a local or interim head alone
                    }
                }
                ex.bytesOut += before - rspOut.remaining();
                if (rspOut.hasRemaining()) {
                    resumeClientWrites();
                    upstream.suspendServerReads();
                    return;
                }
                freeResponseOut();
                ex.rspStarted = true;
                if (ex.responsePhase == ResponsePhase.LOCAL) {
                    close();
                    return;
                }
                if (ex.responsePhase == ResponsePhase.TUNNEL) {
                    tunnel().start();
                    return;
                }
                if (ex.responsePhase == ResponsePhase.HEAD) {    // an interim response went out; the final one follows
                    suspendClientWrites();
                    upstream.resumeServerReads();
                    upstream.readResponseHead();
                    return;
                }
            }
            ServerConnection c = upstream.server;
            IoBuffer in = c.in;
            while (!closed) {
                if (body.pending == 0) body.scan(in);
                if (body.pending > 0) {
                    int n = in.drain(client, body.pending);
                    body.pending -= n;
                    ex.bytesOut += n;
                    if (n > 0) ex.rspStarted = true;
                    if (body.pending > 0) {
                        resumeClientWrites();
                        upstream.suspendServerReads();
                        return;
                    }
                    continue;
                }
                if (body.isComplete()) {
                    suspendClientWrites();
                    responseDone();
                    return;
                }
                in.compact();
                int n = in.fill(c.conn());
                if (n > 0) {
                    body.scan(in);
                } else if (n == 0) {
                    suspendClientWrites();
                    upstream.resumeServerReads();
                    return;
                } else if (body.framing() == BodyFraming.UNTIL_CLOSE) {
                    body.endedByClose();
                    ex.serverReusable = false;
                } else {
                    abort(Termination.SERVER_ABORT_DATA);
                    return;
                }
            }
        } catch (HttpParseException e) {
            abort(Termination.PROXY_DATA);
        } catch (IOException e) {
            abort(Termination.CLIENT_ABORT_DATA);
        }
    }

    void responseDone() {
        ex.responsePhase = ResponsePhase.DONE;
        if (ex.requestPhase == RequestPhase.DONE) {
            finishExchange();
        } else if (ex.requestPhase == RequestPhase.BODY) {
            // the server answered before the whole request arrived: finish here, close both sides
            ex.clientCloseAfter = true;
            ex.serverReusable = false;
            finishExchange();
        }
    }

    /** The request went out completely (proxyToServer is done). */
    void requestDone() {
        ex.requestPhase = RequestPhase.DONE;
        if (ex.responsePhase == ResponsePhase.DONE) finishExchange();
    }

    /** Both directions are done: log, give the server connection back (or close it), keep the client alive or close. */
    private void finishExchange() {
        logExchange();
        ex.releaseTarget();
        upstream.endExchange(ex.serverReusable && ex.requestPhase == RequestPhase.DONE);
        if (ex.clientCloseAfter || !ex.clientKeepAlive || clientEof) {
            close();
            return;
        }
        exchanges++;
        clientIn.release();
        ex.begin(System.nanoTime());
        if (logFields != null) {
            logFields.requestLineLength = -1;
            logFields.requestCookieLength = -1;
            logFields.responseCookieLength = -1;
        }
        if (listener != null && listener.frontend() != frontend && !followListener()) {
            close();      // a reload removed this listener and its frontend: an idle connection may close
            return;
        }
        resumeClientReads();
        clientIn.releaseIfIdle();    // an idle keep-alive connection holds no buffer
        if (!clientIn.isEmpty()) {
            try {
                readRequestHead();   // a pipelined request is already here
            } catch (IOException e) {
                close();
            }
        }
    }

    // ------------------------------------------------------------------ reload

    /**
     * Between exchanges: runs the next request on the listener's frontend now (a reload replaced
     * it). False when that cannot be: the listener was removed with its frontend, or the new
     * frontend is in the other mode (HTTP / TCP); the connection then stays where it is and should end.
     */
    private boolean followListener() {
        RuntimeFrontend next = listener.frontend();
        if (next == home) return true;
        if (next == null || tcpMode || "tcp".equals(next.plan().mode())) return false;
        home.sessionClosed();
        next.sessionMovedIn();
        home = next;
        frontend = next;
        if (facts != null && facts.tracked != null) facts.tracked.connectionClosed();
        facts = next.usesRules() ? new ExchangeFacts(clientAddress, client) : null;   // nothing cached for the old rules
        forwardedFor = null;     // the header name may have changed
        if (next.accessLog && next.log != null) {
            if (logFields == null) logFields = new LogFields();
            logFields.requestCookie = null;     // sized for the new frontend's capture cookie length at next use
            logFields.responseCookie = null;
        }
        if (timer == null) armTimer();
        return true;
    }

    /** Runs on this connection's thread when a reload switched its listener: an idle connection follows at once. */
    void followListenerIfIdle() {
        if (closed || !isIdle() || listener.frontend() == home) return;
        if (!followListener()) close();
    }

    /** Undeploy: the exchange in progress is the last ({@code Connection: close} when its response has not started). */
    void endAfterExchange() {
        if (!closed && !isIdle()) ex.clientKeepAlive = false;
    }

    /**
     * Upgrade: a tunnel (after 101, mode tcp) goes to the next deployment instead of closing
     * ({@link TunnelHandover}). Only socket connections can be handed over.
     */
    boolean parkTunnel(long parkMs) {
        ServerConnection server = upstream.server;
        if (closed || ex.requestPhase != RequestPhase.TUNNEL || ex.responsePhase != ResponsePhase.TUNNEL || server == null
                || tunnel().halfClosed()
                || !(client instanceof io.tidegate.net.NioConnection c) || !(server.conn() instanceof io.tidegate.net.NioConnection s)
                || !TunnelHandover.park(c, clientIn, s, server.in, frontend, ex.target, parkMs)) return false;
        close();      // both sockets are detached: only the bookkeeping ends here
        return true;
    }

    /** show sess: this session now; runs on its IO thread (SessionTable). */
    SessionView view() {
        Exchange ex = this.ex;
        RuntimeServer target = ex.target;
        return new SessionView(id, clientAddress, client.localAddress(), home.name(), tcpMode ? "tcp" : "http",
                ex.reachedBackend && frontend.backend() != null ? frontend.backend().plan().name() : null,
                target == null ? null : target.name(), target == null ? null : target.plan().address(), acceptMillis,
                System.nanoTime() - tAccept, exchanges, closed ? "closing" : isIdle() ? "idle"
                : tcpMode || ex.requestPhase == RequestPhase.TUNNEL ? "tunnel"
                : ex.requestPhase == RequestPhase.HEAD || ex.requestPhase == RequestPhase.BODY_WAIT ? "request"
                : ex.requestPhase == RequestPhase.QUEUED ? "queue" : ex.requestPhase == RequestPhase.CONNECT ? "connect"
                : ex.responsePhase == ResponsePhase.HEAD ? "response" : "data", io.index());
    }

    /** shutdown session(s): closes at once, termination K... (SessionTable); false when already closed. */
    boolean kill() {
        if (closed) return false;
        abort(view().killedTermination());
        return true;
    }

    /**
     * An exchange or queued request is in progress (not idle, not closed). Tunnels (after 101, TCP
     * mode) never end by themselves: an engine stopping for an upgrade does not wait for them.
     */
    boolean isBusy() {
        return !closed && !isIdle() && !tcpMode && !ex.isTunnel();
    }

    /** Between exchanges with nothing of a next request read yet. */
    private boolean isIdle() {
        return !tcpMode && ex.requestPhase == RequestPhase.HEAD && ex.responsePhase == ResponsePhase.IDLE
                && !ex.open && clientIn.isEmpty();
    }

    /**
     * Runs on this connection's thread once the graph it started on has outlived its grace ({@code force}
     * false) or the hard stop ({@code force} true): if it still runs on one of {@code old}, an idle
     * connection closes, a busy one ends after its exchange (with {@code Connection: close} when its
     * response has not started), or, forced, closes at once.
     */
    void endIfOn(java.util.Set<RuntimeFrontend> old, boolean force) {
        if (closed || !old.contains(home)) return;
        if (force) {
            abort(Termination.KILLED_DATA);
        } else if (isIdle()) {
            close();
        } else {
            ex.clientKeepAlive = false;
        }
    }

    // ------------------------------------------------------------------ errors, close, timeouts

    void rejectRequest(HttpParseException e) {
        REJECTED.infof("%s rejected a request from %s with %d: %s", frontend.name(), Listener.format(clientAddress),
                e.status(), e.getMessage());
        ex.open = true;
        if (logFields != null) {
            logFields.requestLineLength = -1;
            logFields.requestCookieLength = -1;
            logFields.responseCookieLength = -1;
        }
        frontend.requestError();
        ErrorCaptures.request(frontend, id, clientAddress, e, clientIn.buffer(), clientIn.r, clientIn.w);  // show errors
        sendLocal(LocalResponse.forStatus(e.status()), Termination.PROXY_REQUEST);
    }

    /** Answers the client with a local response and closes; if bytes already went out, just closes. */
    void sendLocal(LocalResponse response, Termination term) {
        if (closed) return;
        if (response.isBuiltInError()) response = frontend.errorAnswer(response);    // errorfile
        ex.status = response.status;
        ex.termination = term;
        if (tcpMode) {
            abort(term);
            return;
        }
        if (ex.rspStarted || (rspOut != null && rspOut.position() > 0)) {
            abort(term);
            return;
        }
        upstream.drop();
        if (rspOut != null) freeResponseOut();
        logExchange();
        frontend.bytesOut(response.bytes.length);   // logged before it is written: count it here
        ex.releaseTarget();
        if (response.bytes.length <= Engine.BUFFER_SIZE) {
            rspOut = rspOutBuffer.take();
            rspOut.put(response.bytes).flip();
        } else {
            rspOut = ByteBuffer.wrap(response.bytes);     // a large local answer (stats page, metrics): written from its own bytes
        }
        ex.responsePhase = ResponsePhase.LOCAL;
        ex.requestPhase = RequestPhase.DONE;
        ex.clientKeepAlive = false;
        suspendClientReads();
        proxyToClient();
    }

    void abort(Termination term) {
        if (closed) return;
        ex.terminateIfUnset(term);
        logExchange();
        close();
    }

    void logExchange() {
        Exchange ex = this.ex;
        if (!ex.open) return;
        ex.open = false;
        frontend.bytesOut(ex.bytesOut);
        if (ex.status > 0 && !tcpMode) frontend.response(ex.status);     // hrsp_* of the FRONTEND row
        long now = System.nanoTime();
        if (ex.target != null) {
            ex.target.counters().bytes(ex.bytesIn, ex.bytesOut);
            if (ex.tResponse != 0) ex.recordLatency(now, io.index());
        }
        if (facts != null && facts.tracked != null) {
            if (ex.status >= 400 && ex.status < 500 && ex.tResponse != 0) facts.tracked.httpError();   // a server's 4xx
            facts.tracked.exchangeEnded(ex.bytesIn, ex.bytesOut);
        }
        ex.logBytesIn = ex.bytesIn;
        ex.bytesIn = 0;
        if (logFields == null || !frontend.log.enabled()) return;
        if (tcpMode && frontend.log.dontlognull && ex.bytesOut == 0 && ex.logBytesIn == 0) return;
        LogFields f = logFields;
        if (f.clientIp == null) {
            f.client = clientAddress;
            f.clientIp = AddressText.of(clientAddress.getAddress());
            f.frontendAddress = client.localAddress();
            f.frontend = frontend.name();
        }
        ex.fillLogFields(f, now, frontend, tcpMode, acceptMillis, tAccept);
        frontend.log.write(f, facts);
    }

    /** Closes the client connection and whatever server connection is in use. Idempotent. */
    void close() {
        if (closed) return;
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (inspection != null) inspection.cancel();
        upstream.leaveQueue();
        logExchange();
        if (facts != null && facts.tracked != null) facts.tracked.connectionClosed();      // conn_cur down
        ex.releaseTarget();
        upstream.drop();
        upstream.freeRequestOut();
        if (rspOut != null) {
            freeResponseOut();
        }
        client.close();
        clientIn.free();
        if (compressor != null) compressor.release();
        frontend.sessionClosed();
        onClose.accept(this);
    }

    void freeResponseOut() {
        rspOut = null;
        rspOutBuffer.release();
    }

    /** A response head buffer (edited or interim head), given back once written. */
    ByteBuffer takeResponseOut() {
        rspOut = rspOutBuffer.take();
        return rspOut;
    }

    private void armTimer() {
        long tick = frontend.timerTickMs;
        if (tick > 0) timer = io.schedule(timerTask, tick, TimeUnit.MILLISECONDS);
    }

    private void onTimer() {
        timer = null;
        if (closed) return;
        armDeferredReads();
        Exchange ex = this.ex;
        long now = System.nanoTime();
        long idleMs = Exchange.ms(now - lastActivity);
        if (inspecting()) {
            if (expired(frontend.clientTimeoutMs, idleMs)) abort(Termination.CLIENT_TIMEOUT_DATA);
        } else if (ex.requestPhase == RequestPhase.QUEUED) {
            if (expired(frontend.queueTimeoutMs, Exchange.ms(now - ex.tQueued))) upstream.queueTimedOut();
        } else if (ex.requestPhase == RequestPhase.CONNECT) {
            upstream.checkConnectTimeout(now);
        } else if (ex.requestPhase == RequestPhase.HEAD && ex.responsePhase == ResponsePhase.IDLE) {
            boolean idleBetweenRequests = clientIn.isEmpty() && exchanges > 0;
            long limit = idleBetweenRequests ? frontend.keepAliveTimeoutMs : frontend.httpRequestTimeoutMs;
            if (expired(limit, Exchange.ms(now - ex.tExchange))) {
                if (clientIn.isEmpty()) {
                    close();
                } else {
                    ex.open = true;
                    sendLocal(LocalResponse.REQUEST_TIMEOUT, Termination.CLIENT_TIMEOUT_REQUEST);
                }
            }
        } else if (ex.requestPhase == RequestPhase.BODY_WAIT) {
            // option http-buffer-request: 408, logged cD, counted as a failed request (HAProxy)
            if (bodyWait.expired(frontend, now)) {
                frontend.requestError();
                sendLocal(LocalResponse.REQUEST_TIMEOUT, Termination.CLIENT_TIMEOUT_DATA);
            }
        } else if (ex.requestPhase == RequestPhase.LOCAL_BODY) {
            // the body of a locally answered POST: within the time for a whole request, as its head
            if (expired(frontend.httpRequestTimeoutMs, Exchange.ms(now - ex.tExchange))) {
                sendLocal(LocalResponse.REQUEST_TIMEOUT, Termination.CLIENT_TIMEOUT_REQUEST);
            }
        } else if (upstream.serverWritesResumed()) {
            if (expired(frontend.serverTimeoutMs, idleMs)) abort(Termination.SERVER_TIMEOUT_DATA);
        } else if (ex.requestPhase == RequestPhase.BODY || clientWritesResumed) {
            if (expired(frontend.clientTimeoutMs, idleMs)) abort(Termination.CLIENT_TIMEOUT_DATA);
        } else if (ex.responsePhase == ResponsePhase.TUNNEL) {
            if (expired(tunnel().halfClosed() ? frontend.halfClosedTimeoutMs : frontend.tunnelTimeoutMs, idleMs)) close();
        } else if (ex.responsePhase == ResponsePhase.HEAD || ex.responsePhase == ResponsePhase.BODY) {
            if (expired(frontend.serverTimeoutMs, idleMs)) {
                if (!ex.rspStarted && rspOut == null) sendLocal(LocalResponse.GATEWAY_TIMEOUT, Termination.SERVER_TIMEOUT_HEADERS);
                else abort(Termination.SERVER_TIMEOUT_DATA);
            }
        }
        if (!closed) armTimer();
    }

    static boolean expired(long timeoutMs, long idleMs) {
        return timeoutMs > 0 && idleMs >= timeoutMs;
    }

    // ------------------------------------------------------------------ client interest bookkeeping

    void suspendClientReads() {
        if (!clientReadsSuspended) {
            clientReadsSuspended = true;
            client.suspendReads();
        }
    }

    void resumeClientReads() {
        readInterestDeferred = false;
        if (clientReadsSuspended && !clientEof) {
            clientReadsSuspended = false;
            client.resumeReads();
        }
    }

    /**
     * Ends the first exchange's deferral of read interest: from now on a client that leaves is
     * noticed at once (at the first timer tick, or when the request waits in a queue for a slot).
     */
    void armDeferredReads() {
        if (readInterestDeferred) resumeClientReads();
    }

    /**
     * The request went out whole: read ahead (a pipelined request, the client leaving) from now on,
     * except during a first exchange whose read interest is deferred to the first timer tick.
     */
    void readAheadAfterRequest() {
        if (!readInterestDeferred) resumeClientReads();
    }

    void resumeClientWrites() {
        if (!clientWritesResumed) {
            clientWritesResumed = true;
            client.resumeWrites();
        }
    }

    void suspendClientWrites() {
        if (clientWritesResumed) {
            clientWritesResumed = false;
            client.suspendWrites();
        }
    }
}
