package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;

import io.tidegate.http.BodyFraming;
import io.tidegate.http.ChunkedScanner;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import io.tidegate.net.ConnectHandler;
import io.tidegate.net.EventLoop;
import io.tidegate.net.NioConnection;
import io.tidegate.net.PendingConnect;
import io.tidegate.net.ScheduledTask;

/**
 * One client connection in HTTP mode and the exchanges it carries, one at a time (pipelined
 * requests wait in the receive buffer). Four hops: clientToProxy (reading the client),
 * proxyToServer (writing the edited request head and the body), serverToProxy (reading the server)
 * and proxyToClient (writing the edited response head and the body). Everything runs on the client
 * connection's IO thread; server connections are opened on and pooled per that thread.
 * Read interest stays armed while bytes can be buffered; it is suspended only under backpressure.
 */
final class HttpSession {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    /** One line per request refused as malformed, with the reason (silence the category to drop them). */
    private static final Logger REJECTED = Logger.getLogger("io.tidegate.engine.rejected");
    private static final byte[] CRLF = {'\r', '\n'};

    // request side
    private static final int R_HEAD = 0;      // reading a request head
    private static final int R_CONNECT = 1;   // head parsed, getting a server connection
    private static final int R_BODY = 2;      // forwarding head and body to the server
    private static final int R_DONE = 3;      // request fully forwarded
    private static final int R_TUNNEL = 4;    // after 101: raw bytes
    private static final int R_QUEUED = 5;    // head parsed, waiting for a server slot (S9)
    // response side
    private static final int S_IDLE = 0;
    private static final int S_HEAD = 1;      // waiting for / forwarding a response head
    private static final int S_BODY = 2;
    private static final int S_DONE = 3;
    private static final int S_TUNNEL = 4;
    private static final int S_LOCAL = 5;     // sending a locally generated response, then closing

    /**
     * The frontend its listener accepted this session for. A reload does not change it under an
     * exchange; between exchanges the session follows its listener's frontend ({@link #followListener}),
     * so a keep-alive client's next request runs on the new graph.
     */
    private RuntimeFrontend home;
    /** The route of the exchange in progress: {@link #home}, or the route of a use_backend rule that applied. */
    private RuntimeFrontend frontend;
    /** Where this session was accepted; null for sessions made without one (tests). */
    private final Listener listener;
    /** What rules read and edit; null when the frontend has no rules (the plain path does not touch it). */
    private ExchangeFacts facts;
    private final NioConnection client;
    private final EventLoop io;
    private final InetSocketAddress clientAddress;
    private final Consumer<HttpSession> onClose;
    private final LoopBuffers pool;
    private final IoBuffer clientIn;
    private final RequestHead req = new RequestHead();
    private final ResponseHead rsp = new ResponseHead();
    private final ChunkedScanner reqChunks = new ChunkedScanner();
    private final ChunkedScanner rspChunks = new ChunkedScanner();
    private final long acceptMillis = System.currentTimeMillis();
    /** Its number in show sess / shutdown session (SessionTable). */
    final long id = SessionTable.nextId();
    private final boolean tcpMode;

    private int reqState = R_HEAD;
    private int rspState = S_IDLE;
    private boolean closed;
    private boolean clientEof;
    private boolean clientReadsSuspended;
    private boolean clientWritesResumed;
    private boolean serverReadsSuspended;
    private boolean serverWritesResumed;

    // the exchange in progress
    private boolean reqChunked;
    private long reqRemaining;
    private int reqPending;
    private boolean reqBodyComplete;
    private boolean reqHadBody;
    private int reqHeadStart;
    private int reqHeadEnd;
    private boolean reqIsHead;
    private boolean reqUpgrade;
    private boolean clientKeepAlive;
    private boolean clientHttp10;
    /** The persistence cookie of the exchange in progress. */
    private final CookieExchange cookies = new CookieExchange();
    private RuntimeServer target;
    private boolean targetCounted;
    private int connectAttempts;
    /** The connect in progress, or null. A cancelled connect never reports, so its handler needs no guard. */
    private PendingConnect connecting;
    /** Made once: hears the outcome of this session's connects. */
    private final ConnectHandler connectHandler = new ConnectHandler() {
        @Override
        public void connected(NioConnection c) {
            guarded(() -> onConnected(c));
        }

        @Override
        public void failed(IOException cause) {
            guarded(HttpSession.this::onConnectFailed);
        }
    };
    private ServerConnection server;
    /** The forwarded request head (when edited) while it is written, from {@link #reqOutBuffer}. */
    private final PooledOut reqOutBuffer;
    private ByteBuffer reqOut;
    private BodyFraming rspFraming;
    private long rspRemaining;
    private int rspPending;
    private boolean rspBodyComplete;
    private boolean rspStarted;
    private boolean serverReusable;
    private boolean clientCloseAfter;
    /** The response head (or a local response) while it is written, from {@link #rspOutBuffer}. */
    private final PooledOut rspOutBuffer;
    private ByteBuffer rspOut;
    private int status;
    private long bytesOut;
    /** Bytes read from the client since the last logged exchange (attributed to that exchange's server). */
    private long bytesIn;
    /** bytesIn of the exchange being logged. */
    private long logBytesIn;
    private String termination;
    /** The access-log line's values, or null when this frontend logs nothing (set once per session). */
    /** The access-log line being filled, null while the frontend writes none (replaced when a reload turns logging on). */
    private LogFields logFields;
    /** When the connection was accepted and when the first byte of the current request arrived (nanos, 0 = not yet). */
    private final long tAccept = System.nanoTime();
    private long tFirstByte;
    /** Queue lengths ahead of this request when it was queued (%sq, %bq). */
    private int serverQueueAhead;
    private int backendQueueAhead;
    /** The request got as far as choosing a server of the backend (else the log names the frontend). */
    private boolean reachedBackend;
    private boolean exchangeOpen;
    private long tExchange;
    private long tRequest;
    private long tConnectStart;
    private long tConnected;
    private long tResponse;
    /** The request waiting for a server slot, or null; when it entered the queue and left it (nanos, 0 = not). */
    private QueuedRequest queued;
    private long tQueued;
    private long tDequeued;

    private long lastActivity;
    // event handlers, created once per session (no allocation per IO event)
    private final Runnable clientReadable = this::onClientReadable;
    private final Runnable clientWritable = this::onClientWritable;
    private final Runnable serverReadable = this::onServerReadable;
    private final Runnable serverWritable = this::onServerWritable;
    private final Runnable timerTask = () -> guarded(this::onTimer);
    private final Runnable serverReadListener = () -> guarded(serverReadable);
    private final Runnable serverWriteListener = () -> guarded(serverWritable);
    /** The forwardfor header line of this client, built on first use. */
    private byte[] forwardedFor;
    private int exchanges;
    private ScheduledTask timer;

    HttpSession(Listener listener, RuntimeFrontend frontend, NioConnection client, LoopBuffers pool,
                Consumer<HttpSession> onClose) {
        this.listener = listener;
        this.home = frontend;
        this.frontend = frontend;
        this.pool = pool;
        this.reqOutBuffer = new PooledOut(pool);
        this.rspOutBuffer = new PooledOut(pool);
        this.clientIn = new IoBuffer(pool);
        this.client = client;
        this.io = client.loop();
        this.clientAddress = client.peerAddress();
        this.onClose = onClose;
        this.tcpMode = "tcp".equals(frontend.plan().mode());
        this.logFields = frontend.accessLog && frontend.log != null ? new LogFields() : null;
        req.setMaxHeaderLines(Math.max(0, frontend.maxHeaders - 1));   // HAProxy keeps one of tune.http.maxhdr's slots
        this.facts = frontend.usesRules() ? new ExchangeFacts(clientAddress, client) : null;
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
        lastActivity = tExchange = System.nanoTime();
        client.setReadHandler(() -> guarded(clientReadable));
        client.setWriteHandler(() -> guarded(clientWritable));
        client.setEndOfStreamHandler(this::onClientReadsClosed);
        if (facts != null && home.rules != null && home.rules.hasTcpRules() && !home.rules.acceptsConnection(facts)) {
            close();      // tcp-request connection|content reject
            return;
        }
        armTimer();
        client.resumeReads();
        if (tcpMode) startTcp();
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

    /** mode tcp: no HTTP at all; pick a server at once and relay bytes both ways. */
    private void startTcp() {
        tRequest = System.nanoTime();
        exchangeOpen = true;
        termination = "----";
        if (facts != null) frontend = home.route(facts);
        RuntimeBackend backend = frontend.backend();
        reachedBackend = backend != null;
        RuntimeServer chosen = backend == null || facts == null ? null : backend.stuckServer(facts);
        boolean stuck = chosen != null;
        if (chosen == null && backend != null) {
            chosen = facts == null ? backend.pickBalanced() : backend.pickBalanced(null, backend.hashKey(facts));
        }
        if (facts != null && chosen != null) backend.stick(facts, chosen);
        if (chosen == null && (backend == null || !backend.hasUsableServer())) {
            abort("SC--");
            return;
        }
        admit(chosen, stuck);
    }

    /** Runs an event handler; a bug must cost this session only, never the IO thread or other sessions. */
    private void guarded(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "session of %s closed after an internal error", clientAddress);
            termination = "PX--";
            close();
        }
    }

    // ------------------------------------------------------------------ clientToProxy

    private void onClientReadable() {
        if (closed) return;
        lastActivity = System.nanoTime();
        try {
            switch (reqState) {
                case R_HEAD -> readRequestHead();
                case R_BODY -> flushRequest();
                case R_TUNNEL -> pumpUp();
                default -> bufferAhead();
            }
        } catch (IOException e) {
            abort("CD--");
        }
    }

    private void readRequestHead() throws IOException {
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
            clientIn.compact();
            int n = fillFromClient();
            if (n == 0) {
                resumeClientReads();
                return;
            }
            if (n < 0) {
                close();
                return;
            }
        }
    }

    /** Reads from the client into clientIn, counting the bytes. */
    private int fillFromClient() throws IOException {
        int n = clientIn.fill(client);
        if (n > 0) {
            if (tFirstByte == 0 && reqState == R_HEAD) tFirstByte = System.nanoTime();
            bytesIn += n;
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
            if (reqState == R_QUEUED && frontend.abortOnClose && !closed) abortQueued();
        }
    }

    private void onRequestHead(int headEnd) {
        boolean listenerGone = listener != null && listener.frontend() != home && !followListener();
        frontend = home;      // the route of the previous exchange (use_backend ... if) is chosen again below
        tRequest = System.nanoTime();
        exchangeOpen = true;
        status = 0;
        termination = "----";
        bytesOut = 0;
        rspStarted = false;
        clientCloseAfter = false;
        if (tFirstByte == 0) tFirstByte = tExchange;      // pipelined: it was already there
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
        reqIsHead = req.isHead();
        clientHttp10 = req.minorVersion() == 0;
        reqUpgrade = req.upgradeCarriedOut();     // never h2c: that request goes on as plain HTTP/1.1
        clientKeepAlive = req.keepAlive() && frontend.connectionMode != ConnectionMode.CLOSE && !listenerGone;
        // the head stays where it is in clientIn until the forwarded copy is built (no compaction before)
        reqHeadStart = clientIn.r;
        reqHeadEnd = headEnd;
        clientIn.r = headEnd;
        reqChunked = req.chunked();
        reqRemaining = reqChunked ? 0 : Math.max(0, req.contentLength());
        reqHadBody = reqChunked || reqRemaining > 0;
        reqPending = 0;
        reqBodyComplete = !reqHadBody;
        if (reqChunked) reqChunks.reset(400);
        try {
            scanRequestBody();   // what already arrived is checked before anything is forwarded
        } catch (HttpParseException e) {
            rejectRequest(e);
            return;
        }
        if (frontend.monitor != null && frontend.monitor.isMonitorUri(req)) {
            exchangeOpen = false;           // answered here, never forwarded, not logged (HAProxy 2.x)
            sendLocal(MonitorRule.answer(home.rules, facts, req), "----");   // 503 when monitor fail applies
            return;
        }
        LocalRoute local = frontend.localRoute;
        if (local != null && local.matches(clientIn.buffer(), req.targetStart(), req.targetEnd())) {
            sendLocal(local.service().answer(req), "LR--");     // HAProxy's state for a locally processed request
            return;
        }
        if (facts != null && answeredByRequestRules()) return;
        RuntimeBackend backend = frontend.backend();
        if (backend == null) {
            sendLocal(LocalResponse.SERVICE_UNAVAILABLE, "SC--");
            return;
        }
        reachedBackend = true;
        RuntimeServer chosen = cookies.readRequest(req, backend, System.currentTimeMillis() / 1000);
        if (chosen == null && facts != null) chosen = backend.stuckServer(facts);     // stick match / on
        boolean pinned = chosen != null;
        if (chosen == null) {
            chosen = facts == null ? backend.pickBalanced() : backend.pickBalanced(null, backend.hashKey(facts));
        }
        if (facts != null && chosen != null) backend.stick(facts, chosen);     // stick on / store-request
        if (chosen == null && !backend.hasUsableServer()) {
            sendLocal(LocalResponse.SERVICE_UNAVAILABLE, "SC--");
            return;
        }
        admit(chosen, pinned);
    }

    /**
     * The request rules of the frontend, the choice of the backend (use_backend ... if), then the
     * request rules of that backend. True when a rule answered the request itself (deny, return,
     * redirect, use-service): the answer is on its way.
     */
    private boolean answeredByRequestRules() {
        facts.beginRequest(req);
        ProxyRules own = home.rules;
        if (own != null && own.hasRequestRules() && own.runRequest(facts) == HttpRule.ANSWER) {
            answerFromRules();
            return true;
        }
        frontend = home.route(facts);
        ProxyRules backendRules = frontend.backendRules;
        if (backendRules != null && backendRules.hasRequestRules() && backendRules.runRequest(facts) == HttpRule.ANSWER) {
            answerFromRules();
            return true;
        }
        return false;
    }

    private void answerFromRules() {
        sendLocal(facts.answer, facts.denied ? "PR--" : "LR--");
    }

    // ------------------------------------------------------------------ server slots and queues (S9)

    /**
     * Sends the request to {@code chosen} when it has a free slot, else queues it: in the server's
     * queue when persistence pinned it there, else in the backend's queue (also when others already
     * wait there: first come, first served). chosen null = every usable server is full.
     */
    private void admit(RuntimeServer chosen, boolean pinned) {
        RuntimeBackend backend = frontend.backend();
        if (chosen != null && !pinned && backend.dispatcher().anyServerQueue().length() > 0) chosen = null;
        if (chosen != null && chosen.tryStartRequest()) {
            startOn(chosen);
            return;
        }
        QueuedRequest q = new QueuedRequest(pinned ? chosen : null, io, this::onSlotGranted);
        if (!backend.dispatcher().enqueue(q)) {
            // the pinned server's queue is full (maxqueue): another server if redispatch allows it
            if (frontend.redispatch) {
                admit(backend.pickBalanced(), false);
            } else {
                target = chosen;
                sendLocal(LocalResponse.SERVICE_UNAVAILABLE, "SQ--");
            }
            return;
        }
        queued = q;
        tQueued = System.nanoTime();
        if (pinned) serverQueueAhead = Math.max(0, chosen.queue().length() - 1);
        else backendQueueAhead = Math.max(0, backend.dispatcher().anyServerQueue().length() - 1);
        target = pinned ? chosen : null;      // for the log; no slot held yet (targetCounted stays false)
        reqState = R_QUEUED;
    }

    private void startOn(RuntimeServer server) {
        target = server;
        targetCounted = true;
        reqState = R_CONNECT;
        connectAttempts = 0;
        connect(!tcpMode);
    }

    /** A slot was taken for a queued request (runs on this session's thread). */
    private void onSlotGranted(QueuedRequest q) {
        guarded(() -> {
            RuntimeServer s = q.granted();
            if (closed || q != queued) {
                s.requestEnded();     // nobody will use it: the next waiter gets it
                return;
            }
            queued = null;
            tDequeued = System.nanoTime();
            startOn(s);
        });
    }

    /** timeout queue: 503, logged sQ and counted as a queue timeout (not as a connect failure). */
    private void queueTimedOut() {
        QueuedRequest q = queued;
        if (!frontend.backend().dispatcher().cancel(q)) return;    // a slot was granted just now
        queued = null;
        tDequeued = System.nanoTime();
        target = q.pinned();      // null when it waited for any server (also after a requeue)
        if (target != null) target.counters().queueTimeout();
        else frontend.backend().queueTimeout();
        sendLocal(LocalResponse.SERVICE_UNAVAILABLE, "sQ--");
    }

    /**
     * The client shut its sending side. A queued request still goes out unless option abortonclose
     * says a client that closed has given up (HAProxy); in any other state the session ends as before.
     */
    private void onClientReadsClosed() {
        if (reqState == R_QUEUED && !frontend.abortOnClose && !closed) {
            clientEof = true;        // answered, then closed
            return;
        }
        close();
    }

    /** option abortonclose: the client closed while queued; the request never reaches a server. */
    private void abortQueued() {
        if (queued == null || !frontend.backend().dispatcher().cancel(queued)) return;
        queued = null;
        tDequeued = System.nanoTime();
        abort("CQ--");
    }

    private void scanRequestBody() throws HttpParseException {
        if (reqBodyComplete) return;
        int from = clientIn.r + reqPending;
        int to = clientIn.w;
        if (from >= to) return;
        if (reqChunked) {
            reqPending += reqChunks.scan(clientIn.buffer(), from, to);
            if (reqChunks.isComplete()) reqBodyComplete = true;
        } else {
            int k = (int) Math.min(reqRemaining, to - from);
            reqPending += k;
            reqRemaining -= k;
            if (reqRemaining == 0) reqBodyComplete = true;
        }
    }

    // ------------------------------------------------------------------ connecting

    private void connect(boolean allowPooled) {
        if (allowPooled) {
            ServerConnection idle;
            while ((idle = target.takeIdle(io)) != null) {
                if (idle.isOpen()) {
                    attach(idle);
                    return;
                }
                idle.close();
            }
        }
        connectAttempts++;
        tConnectStart = lastActivity = System.nanoTime();
        connecting = io.connect(target.plan().address(), target.plan().source(), connectHandler);
    }

    private void onConnected(NioConnection c) {
        if (closed) {
            c.close();
            return;
        }
        connecting = null;
        attach(new ServerConnection(c, target, pool));
    }

    private void onConnectFailed() {
        if (closed) return;
        connecting = null;
        connectFailed();
    }

    /** Gives up the connect in progress, if any: it will not report. */
    private void cancelConnect() {
        if (connecting != null) {
            connecting.cancel();
            connecting = null;
        }
    }

    private void connectFailed() {
        if (closed) return;
        target.counters().connectError();
        if (connectAttempts <= frontend.retries) {
            target.counters().retry();
            if (frontend.redispatch && connectAttempts == frontend.retries) {
                redispatch();
            }
            connect(false);
        } else {
            sendLocal(LocalResponse.SERVICE_UNAVAILABLE, "SC--");
        }
    }

    /** option redispatch: the last retry goes to another server when the balancer offers one. */
    private void redispatch() {
        RuntimeServer other = target.backend().pickBalancedAvoiding(target);
        if (other == null) return;
        cookies.redispatched();
        target.counters().redispatch();
        releaseTarget();
        target = other;
        target.requestStarted();
        targetCounted = true;
    }

    private void attach(ServerConnection c) {
        server = c;
        c.exchanges++;
        tConnected = System.nanoTime();
        serverReusable = false;
        serverReadsSuspended = false;
        serverWritesResumed = false;
        c.conn().setReadHandler(serverReadListener);
        c.conn().setWriteHandler(serverWriteListener);
        c.conn().setEndOfStreamHandler(null);
        c.conn().resumeReads();
        if (tcpMode) {
            try {
                startTunnel();
            } catch (IOException e) {
                close();
            }
            return;
        }
        HeadWriter.ConnectionEdit edit = requestConnectionEdit();
        byte[] xff = forwardedForLine();
        CookieExchange cookieEdit = cookies.editsRequest() ? cookies : null;
        HeadEdits ruleEdits = facts == null || facts.reqEdits.isEmpty() ? null : facts.reqEdits;
        if (edit == HeadWriter.ConnectionEdit.KEEP && xff == null && cookieEdit == null && ruleEdits == null
                && !req.hasHopByHop()) {
            // nothing to change: the head goes out as received, in the same write as the body
            clientIn.r = reqHeadStart;
            reqPending += reqHeadEnd - reqHeadStart;
        } else {
            reqOut = reqOutBuffer.take();
            try {
                HeadWriter.request(req, reqOut, edit, xff, cookieEdit, ruleEdits);
            } catch (RuntimeException overflow) {
                rejectRequest(new HttpParseException(431, "forwarded head too large"));
                return;
            }
            reqOut.flip();
        }
        if (!reqHadBody && !reqUpgrade) {
            clientIn.keepFrom(reqHeadStart);    // may be replayed if a reused connection fails (see serverClosedBeforeResponse)
        }
        reqState = R_BODY;
        rspState = S_HEAD;
        flushRequest();
    }

    private HeadWriter.ConnectionEdit requestConnectionEdit() {
        if (reqUpgrade) return HeadWriter.ConnectionEdit.KEEP;
        if (frontend.connectionMode != ConnectionMode.KEEP_ALIVE) {
            return req.connectionClose() && !req.connectionKeepAlive() ? HeadWriter.ConnectionEdit.KEEP
                    : HeadWriter.ConnectionEdit.CLOSE;
        }
        if (req.connectionClose() || (clientHttp10 && !req.connectionKeepAlive())) {
            return HeadWriter.ConnectionEdit.KEEP_ALIVE;   // keep the server connection for reuse
        }
        return HeadWriter.ConnectionEdit.KEEP;
    }

    private byte[] forwardedForLine() {
        ForwardForRule ff = frontend.forwardFor;
        if (ff == null || !ff.appliesTo(clientAddress.getAddress())) return null;
        if (ff.ifNone() && req.find(frontend.forwardForLowerName) >= 0) return null;
        if (forwardedFor == null) {
            byte[] ip = clientAddress.getAddress().getHostAddress().getBytes(StandardCharsets.ISO_8859_1);
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

    // ------------------------------------------------------------------ proxyToServer

    private void onServerWritable() {
        if (closed) return;
        lastActivity = System.nanoTime();
        if (reqState == R_BODY) {
            flushRequest();
        } else if (reqState == R_TUNNEL) {
            try {
                pumpUp();
            } catch (IOException e) {
                close();
            }
        } else {
            suspendServerWrites();
        }
    }

    private void flushRequest() {
        ServerConnection c = server;
        try {
            if (reqOut != null) {
                if (reqPending == 0) scanRequestBody();    // body bytes at hand leave with the head
                reqPending -= clientIn.drainAfter(c.conn(), reqOut, reqPending);
                if (reqOut.hasRemaining()) {
                    resumeServerWrites();
                    suspendClientReads();
                    return;
                }
                freeRequestOut();
            }
            while (!closed) {
                if (reqPending == 0) scanRequestBody();    // bytes that arrived while connecting
                if (reqPending > 0) {
                    reqPending -= clientIn.drain(c.conn(), reqPending);
                    if (reqPending > 0) {
                        resumeServerWrites();
                        suspendClientReads();
                        return;
                    }
                    continue;
                }
                if (reqBodyComplete) {
                    suspendServerWrites();
                    resumeClientReads();
                    requestDone();
                    return;
                }
                clientIn.compact();
                int n = fillFromClient();
                if (n > 0) {
                    scanRequestBody();
                } else if (n == 0) {
                    suspendServerWrites();
                    resumeClientReads();
                    return;
                } else {
                    clientEof = true;
                    abort("CD--");
                    return;
                }
            }
        } catch (HttpParseException e) {
            // bad chunk framing after the head went out: stop both sides
            if (!rspStarted) {
                status = 400;
                sendLocal(LocalResponse.BAD_REQUEST, "PD--");
            } else {
                abort("PD--");
            }
        } catch (IOException e) {
            serverFailed();
        }
    }

    private void requestDone() {
        reqState = R_DONE;
        if (rspState == S_DONE) finishExchange();
    }

    // ------------------------------------------------------------------ serverToProxy

    private void onServerReadable() {
        if (closed) return;
        lastActivity = System.nanoTime();
        try {
            switch (rspState) {
                case S_HEAD -> readResponseHead();
                case S_BODY -> flushResponse();
                case S_TUNNEL -> pumpDown();
                default -> {
                    ServerConnection c = server;
                    if (c != null) {
                        int n = c.in.fill(c.conn());
                        if (n != 0 || !c.in.hasSpace()) {    // unexpected bytes: not reusable; never spin
                            serverReusable = false;
                            suspendServerReads();
                        }
                    }
                }
            }
        } catch (IOException e) {
            serverFailed();
        }
    }

    private void readResponseHead() throws IOException {
        ServerConnection c = server;
        IoBuffer in = c.in;
        while (!closed) {
            if (!in.isEmpty()) {
                int headEnd;
                try {
                    headEnd = MessageHead.findHeadEnd(in.buffer(), in.r, in.w, 502);
                    if (headEnd > 0) rsp.parse(in.buffer(), in.r, headEnd);
                } catch (HttpParseException e) {
                    LOG.debugf("invalid response from %s: %s", target.name(), e.getMessage());
                    sendLocal(LocalResponse.BAD_GATEWAY, "PH--");
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

    private void serverClosedBeforeResponse() {
        if (canReplay()) {
            replay();
            return;
        }
        sendLocal(LocalResponse.BAD_GATEWAY, "SH--");
    }

    /**
     * A reused keep-alive connection that fails before any byte of the response (the server closed
     * it as we used it) loses nothing yet: a body-less request, still pinned in clientIn, can go out
     * again on a fresh connection. Only once: a fresh connection has carried one exchange.
     */
    private boolean canReplay() {
        ServerConnection c = server;
        return c != null && c.exchanges > 1 && c.in.isEmpty() && !reqHadBody && !reqUpgrade
                && rspState == S_HEAD && !rspStarted && rspOut == null;
    }

    private void replay() {
        server.close();
        server = null;
        if (reqOut != null) freeRequestOut();
        clientIn.r = reqHeadEnd;
        reqPending = 0;
        reqState = R_CONNECT;
        rspState = S_IDLE;
        connect(false);
    }

    private void onResponseHead(int headEnd) {
        IoBuffer in = server.in;
        clientIn.release();   // the server answered: no replay from here on
        if (tResponse == 0) tResponse = System.nanoTime();
        int st = rsp.status();
        if (st >= 200 || st == 101) target.counters().response(st);
        if (rsp.isInterim() || st == 101) {
            if (st == 101 && !reqUpgrade) {
                sendLocal(LocalResponse.BAD_GATEWAY, "PH--");
                return;
            }
            rspOut = rspOutBuffer.take();
            HeadWriter.unchanged(rsp, rspOut);
            rspOut.flip();
            in.r = headEnd;
            if (st == 101) {
                status = 101;
                rspState = S_TUNNEL;
                serverReusable = false;
                clientKeepAlive = false;
            }
            flushResponse();
            return;
        }
        status = st;
        rspFraming = rsp.framing(reqIsHead);
        rspRemaining = rspFraming == BodyFraming.LENGTH ? rsp.contentLength() : 0;
        rspPending = 0;
        rspBodyComplete = rspFraming == BodyFraming.NONE;
        if (rspFraming == BodyFraming.CHUNKED) rspChunks.reset(502);
        serverReusable = frontend.connectionMode == ConnectionMode.KEEP_ALIVE && rsp.keepAlive()
                && rspFraming != BodyFraming.UNTIL_CLOSE && !reqUpgrade;
        clientCloseAfter = !clientKeepAlive || clientEof || rspFraming == BodyFraming.UNTIL_CLOSE
                || (clientHttp10 && rspFraming == BodyFraming.CHUNKED);
        HeadWriter.ConnectionEdit edit;
        if (clientCloseAfter) {
            edit = rsp.connectionClose() ? HeadWriter.ConnectionEdit.KEEP : HeadWriter.ConnectionEdit.CLOSE;
        } else if (clientHttp10) {
            edit = rsp.connectionKeepAlive() && !rsp.connectionClose() ? HeadWriter.ConnectionEdit.KEEP
                    : HeadWriter.ConnectionEdit.KEEP_ALIVE;
        } else if (rsp.connectionClose()) {
            edit = HeadWriter.ConnectionEdit.DROP;        // the server closes; this client's connection stays
        } else if (rsp.connectionKeepAlive() && rsp.minorVersion() == 1) {
            edit = HeadWriter.ConnectionEdit.DROP;        // redundant in HTTP/1.1, as HAProxy drops it
        } else {
            edit = HeadWriter.ConnectionEdit.KEEP;
        }
        if (logFields != null && frontend.captureCookieName != null) {
            logFields.responseCookieLength = CookieCapturer.response(rsp, frontend.captureCookieName,
                    logFields.responseCookie);
        }
        HeadEdits ruleEdits = null;
        if (facts != null) {
            if (answeredByResponseRules()) return;
            if (!facts.rspEdits.isEmpty()) ruleEdits = facts.rspEdits;
        }
        boolean cookieEdits = cookies.readResponse(rsp, target);
        if (edit == HeadWriter.ConnectionEdit.KEEP && !cookieEdits && ruleEdits == null && !rsp.hasHopByHop()) {
            // nothing to change: the head goes out as received, in the same write as the body
            rspPending = headEnd - in.r;
        } else {
            rspOut = rspOutBuffer.take();
            try {
                HeadWriter.response(rsp, rspOut, edit, cookieEdits ? cookies : null, ruleEdits);
            } catch (RuntimeException overflow) {
                freeResponseOut();
                sendLocal(LocalResponse.BAD_GATEWAY, "PH--");
                return;
            }
            rspOut.flip();
            in.r = headEnd;
            if (in.r == in.w) in.clear();
        }
        rspState = S_BODY;
        try {
            scanResponseBody();
        } catch (HttpParseException e) {
            freeResponseOut();
            sendLocal(LocalResponse.BAD_GATEWAY, "PD--");
            return;
        }
        flushResponse();
    }

    /**
     * The http-response rules of the backend, then of the frontend (HAProxy's order), before the
     * cookie edits. True when one answered instead of the server (http-response deny or return).
     */
    private boolean answeredByResponseRules() {
        ProxyRules backendRules = frontend.backendRules;
        ProxyRules own = home.rules;
        boolean some = backendRules != null && backendRules.hasResponseRules() || own != null && own.hasResponseRules();
        if (!some) return false;
        facts.rsp = rsp;
        facts.responseSide = true;
        int outcome = HttpRule.CONTINUE;
        if (backendRules != null && backendRules.hasResponseRules()) outcome = backendRules.runResponse(facts);
        if (outcome == HttpRule.CONTINUE && own != null && own.hasResponseRules()) outcome = own.runResponse(facts);
        if (outcome != HttpRule.ANSWER) return false;
        sendLocal(facts.answer, facts.denied ? "PH--" : "LH--");
        return true;
    }

    private void scanResponseBody() throws HttpParseException {
        if (rspBodyComplete) return;
        IoBuffer in = server.in;
        int from = in.r + rspPending;
        int to = in.w;
        if (from >= to) return;
        switch (rspFraming) {
            case LENGTH -> {
                int k = (int) Math.min(rspRemaining, to - from);
                rspPending += k;
                rspRemaining -= k;
                if (rspRemaining == 0) rspBodyComplete = true;
            }
            case CHUNKED -> {
                rspPending += rspChunks.scan(in.buffer(), from, to);
                if (rspChunks.isComplete()) rspBodyComplete = true;
            }
            case UNTIL_CLOSE -> rspPending += to - from;
            default -> rspBodyComplete = true;
        }
    }

    // ------------------------------------------------------------------ proxyToClient

    private void onClientWritable() {
        if (closed) return;
        lastActivity = System.nanoTime();
        if (rspOut != null || rspState == S_BODY) {
            flushResponse();
        } else if (rspState == S_TUNNEL) {
            try {
                pumpDown();
            } catch (IOException e) {
                close();
            }
        } else {
            suspendClientWrites();
        }
    }

    private void flushResponse() {
        try {
            if (rspOut != null) {
                int before = rspOut.remaining();
                if (rspState == S_BODY && server != null) {
                    if (rspPending == 0) scanResponseBody();    // body bytes at hand leave with the head
                    int body = server.in.drainAfter(client, rspOut, rspPending);
                    rspPending -= body;
                    bytesOut += body;
                    if (body > 0) rspStarted = true;
                } else {
                    while (rspOut.hasRemaining() && client.write(rspOut) > 0) {
                        // a local or interim head alone
                    }
                }
                bytesOut += before - rspOut.remaining();
                if (rspOut.hasRemaining()) {
                    resumeClientWrites();
                    suspendServerReads();
                    return;
                }
                freeResponseOut();
                rspStarted = true;
                if (rspState == S_LOCAL) {
                    close();
                    return;
                }
                if (rspState == S_TUNNEL) {
                    startTunnel();
                    return;
                }
                if (rspState == S_HEAD) {    // an interim response went out; the final one follows
                    suspendClientWrites();
                    resumeServerReads();
                    readResponseHead();
                    return;
                }
            }
            ServerConnection c = server;
            IoBuffer in = c.in;
            while (!closed) {
                if (rspPending == 0) scanResponseBody();
                if (rspPending > 0) {
                    int n = in.drain(client, rspPending);
                    rspPending -= n;
                    bytesOut += n;
                    if (n > 0) rspStarted = true;
                    if (rspPending > 0) {
                        resumeClientWrites();
                        suspendServerReads();
                        return;
                    }
                    continue;
                }
                if (rspBodyComplete) {
                    suspendClientWrites();
                    responseDone();
                    return;
                }
                in.compact();
                int n = in.fill(c.conn());
                if (n > 0) {
                    scanResponseBody();
                } else if (n == 0) {
                    suspendClientWrites();
                    resumeServerReads();
                    return;
                } else if (rspFraming == BodyFraming.UNTIL_CLOSE) {
                    rspBodyComplete = true;
                    serverReusable = false;
                } else {
                    abort("SD--");
                    return;
                }
            }
        } catch (HttpParseException e) {
            abort("PD--");
        } catch (IOException e) {
            abort("CD--");
        }
    }

    private void responseDone() {
        rspState = S_DONE;
        if (reqState == R_DONE) {
            finishExchange();
        } else if (reqState == R_BODY) {
            // the server answered before the whole request arrived: finish here, close both sides
            clientCloseAfter = true;
            serverReusable = false;
            finishExchange();
        }
    }

    private void finishExchange() {
        logExchange();
        releaseTarget();
        ServerConnection c = server;
        server = null;
        if (c != null) {
            if (!(serverReusable && reqState == R_DONE && c.park())) c.close();
        }
        if (clientCloseAfter || !clientKeepAlive || clientEof) {
            close();
            return;
        }
        resetExchange();
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

    private void resetExchange() {
        exchanges++;
        clientIn.release();
        reqState = R_HEAD;
        rspState = S_IDLE;
        target = null;
        tExchange = System.nanoTime();
        tResponse = 0;
        tConnected = 0;
        tRequest = 0;
        tQueued = 0;
        tDequeued = 0;
        tConnectStart = 0;
        tFirstByte = 0;
        serverQueueAhead = 0;
        backendQueueAhead = 0;
        reachedBackend = false;
        connectAttempts = 0;
        exchangeOpen = false;
        rspStarted = false;
        status = 0;
        bytesOut = 0;
        termination = "----";
        if (logFields != null) {
            logFields.requestLineLength = -1;
            logFields.requestCookieLength = -1;
            logFields.responseCookieLength = -1;
        }
    }

    // ------------------------------------------------------------------ reload

    /**
     * Between exchanges: runs the next request on the listener's frontend now (a reload replaced
     * it). False when that cannot be: the listener was removed with its frontend, or the new
     * frontend is in the other mode (HTTP / TCP); the session then stays where it is and should end.
     */
    private boolean followListener() {
        RuntimeFrontend next = listener.frontend();
        if (next == home) return true;
        if (next == null || tcpMode || "tcp".equals(next.plan().mode())) return false;
        home.sessionClosed();
        next.sessionMovedIn();
        home = next;
        frontend = next;
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

    /** Runs on this session's thread when a reload switched its listener: an idle session follows at once. */
    void followListenerIfIdle() {
        if (closed || !isIdle() || listener.frontend() == home) return;
        if (!followListener()) close();
    }

    /** Undeploy: the exchange in progress is the last ({@code Connection: close} when its response has not started). */
    void endAfterExchange() {
        if (!closed && !isIdle()) clientKeepAlive = false;
    }

    /** Upgrade: a tunnel (after 101, mode tcp) goes to the next deployment instead of closing ({@link TunnelHandover}). */
    boolean parkTunnel(long parkMs) {
        if (closed || reqState != R_TUNNEL || rspState != S_TUNNEL || server == null
                || !TunnelHandover.park(client, clientIn, server.conn(), server.in, frontend, target, parkMs)) return false;
        close();      // both sockets are detached: only the bookkeeping ends here
        return true;
    }

    /**
     * An exchange or queued request is in progress (not idle, not closed). Tunnels (after 101, TCP
     * mode) never end by themselves: an engine stopping for an upgrade does not wait for them.
     */
    boolean isBusy() {
        return !closed && !isIdle() && !tcpMode && reqState != R_TUNNEL && rspState != S_TUNNEL;
    }

    /** Between exchanges with nothing of a next request read yet. */
    private boolean isIdle() {
        return !tcpMode && reqState == R_HEAD && rspState == S_IDLE && !exchangeOpen && clientIn.isEmpty();
    }

    /**
     * Runs on this session's thread once the graph it started on has outlived its grace ({@code force}
     * false) or the hard stop ({@code force} true): if it still runs on one of {@code old}, an idle
     * session closes, a busy one ends after its exchange (with {@code Connection: close} when its
     * response has not started), or, forced, closes at once.
     */
    void endIfOn(java.util.Set<RuntimeFrontend> old, boolean force) {
        if (closed || !old.contains(home)) return;
        if (force) {
            abort("KD--");
        } else if (isIdle()) {
            close();
        } else {
            clientKeepAlive = false;
        }
    }

    /** show sess: this session now; runs on its IO thread (SessionTable). */
    SessionView view() {
        return new SessionView(id, clientAddress, client.localAddress(), home.name(), tcpMode ? "tcp" : "http",
                reachedBackend && frontend.backend() != null ? frontend.backend().plan().name() : null,
                target == null ? null : target.name(), target == null ? null : target.plan().address(), acceptMillis,
                System.nanoTime() - tAccept, exchanges, closed ? "closing" : isIdle() ? "idle"
                : tcpMode || reqState == R_TUNNEL ? "tunnel" : reqState == R_HEAD ? "request" : reqState == R_QUEUED ? "queue"
                : reqState == R_CONNECT ? "connect" : rspState == S_HEAD ? "response" : "data", io.index());
    }

    /** shutdown session(s): closes at once, termination K... (SessionTable); false when already closed. */
    boolean kill() {
        if (closed) return false;
        abort(view().killedTermination());
        return true;
    }

    // ------------------------------------------------------------------ tunnel (after 101)

    private void startTunnel() throws IOException {
        reqState = R_TUNNEL;
        rspState = S_TUNNEL;
        resumeClientReads();
        resumeServerReads();
        pumpUp();
        if (!closed) pumpDown();
    }

    private void pumpUp() throws IOException {
        ServerConnection c = server;
        while (!closed) {
            if (!clientIn.isEmpty()) {
                clientIn.drain(c.conn(), clientIn.readable());
                if (!clientIn.isEmpty()) {
                    resumeServerWrites();
                    suspendClientReads();
                    return;
                }
            }
            int n = fillFromClient();
            if (n == 0) {
                suspendServerWrites();
                resumeClientReads();
                return;
            }
            if (n < 0) {
                close();
                return;
            }
        }
    }

    private void pumpDown() throws IOException {
        ServerConnection c = server;
        IoBuffer in = c.in;
        while (!closed) {
            if (!in.isEmpty()) {
                int n = in.drain(client, in.readable());
                bytesOut += n;
                if (!in.isEmpty()) {
                    resumeClientWrites();
                    suspendServerReads();
                    return;
                }
            }
            int n = in.fill(c.conn());
            if (n == 0) {
                suspendClientWrites();
                resumeServerReads();
                return;
            }
            if (n < 0) {
                close();
                return;
            }
        }
    }

    // ------------------------------------------------------------------ errors, close, timeouts

    private void rejectRequest(HttpParseException e) {
        REJECTED.infof("%s rejected a request from %s with %d: %s", frontend.name(), Listener.format(clientAddress),
                e.status(), e.getMessage());
        exchangeOpen = true;
        if (logFields != null) {
            logFields.requestLineLength = -1;
            logFields.requestCookieLength = -1;
            logFields.responseCookieLength = -1;
        }
        frontend.requestError();
        ErrorCaptures.request(frontend, id, clientAddress, e, clientIn.buffer(), clientIn.r, clientIn.w);  // show errors
        sendLocal(LocalResponse.forStatus(e.status()), "PR--");
    }

    private void serverFailed() {
        if (canReplay()) {
            replay();
            return;
        }
        if (!rspStarted && rspOut == null) {
            sendLocal(LocalResponse.BAD_GATEWAY, "SH--");
        } else {
            abort("SD--");
        }
    }

    /** Answers the client with a local response and closes; if bytes already went out, just closes. */
    private void sendLocal(LocalResponse response, String term) {
        if (closed) return;
        if (response.isBuiltInError()) response = frontend.errorAnswer(response);    // errorfile
        status = response.status;
        termination = term;
        if (tcpMode) {
            abort(term);
            return;
        }
        if (rspStarted || (rspOut != null && rspOut.position() > 0)) {
            abort(term);
            return;
        }
        cancelConnect();
        if (server != null) {
            server.close();
            server = null;
        }
        if (rspOut != null) freeResponseOut();
        logExchange();
        frontend.bytesOut(response.bytes.length);   // logged before it is written: count it here
        releaseTarget();
        if (response.bytes.length <= Engine.BUFFER_SIZE) {
            rspOut = rspOutBuffer.take();
            rspOut.put(response.bytes).flip();
        } else {
            rspOut = ByteBuffer.wrap(response.bytes);     // a large local answer (stats page, metrics): written from its own bytes
        }
        rspState = S_LOCAL;
        reqState = R_DONE;
        clientKeepAlive = false;
        suspendClientReads();
        flushResponse();
    }

    private void abort(String term) {
        if (closed) return;
        if (termination == null || "----".equals(termination)) termination = term;
        logExchange();
        close();
    }

    private void releaseTarget() {
        if (targetCounted) {
            targetCounted = false;
            target.requestEnded();
        }
    }

    private void logExchange() {
        if (!exchangeOpen) return;
        exchangeOpen = false;
        frontend.bytesOut(bytesOut);
        if (status > 0 && !tcpMode) frontend.response(status);     // hrsp_* of the FRONTEND row
        long now = System.nanoTime();
        if (target != null) {
            target.counters().bytes(bytesIn, bytesOut);
            if (tResponse != 0) recordLatency(now);
        }
        logBytesIn = bytesIn;
        bytesIn = 0;
        if (logFields == null || !frontend.log.enabled()) return;
        if (tcpMode && frontend.log.dontlognull && fields0()) return;
        fillLogFields(now);
        frontend.log.write(logFields);
    }

    /** option dontlognull in TCP mode: the session carried no byte either way. */
    private boolean fields0() {
        return bytesOut == 0 && logBytesIn == 0;
    }

    /** HAProxy's timers (ms, -1 = the step did not happen) and counters for this exchange's line. */
    private void fillLogFields(long now) {
        LogFields f = logFields;
        RuntimeBackend be = frontend.backend();
        if (f.clientIp == null) {
            f.client = clientAddress;
            f.clientIp = clientAddress.getAddress().getHostAddress();
            f.frontendAddress = client.localAddress();
            f.frontend = frontend.name();
        }
        long first = tFirstByte != 0 ? tFirstByte : tExchange;
        f.acceptEpochMs = acceptMillis;
        f.requestEpochMs = acceptMillis + ms(first - tAccept);
        f.th = 0;
        f.ti = tcpMode ? 0 : ms(first - tExchange);
        f.tR = tRequest == 0 || tcpMode || f.requestLineLength < 0 ? -1 : ms(tRequest - first);
        boolean attempted = tConnectStart != 0 || tConnected != 0;
        f.tw = tQueued != 0 ? ms((tDequeued != 0 ? tDequeued : now) - tQueued) : attempted ? 0 : -1;
        f.tc = tConnected == 0 ? -1 : ms(tConnected - (tDequeued != 0 ? tDequeued : tRequest));
        f.tr = tResponse == 0 ? -1 : ms(tResponse - (tConnected == 0 ? tRequest : tConnected));
        f.tt = ms(now - tExchange);
        f.ta = ms(now - first);
        f.status = tcpMode ? 0 : status;
        f.bytesToClient = bytesOut;
        f.bytesFromClient = logBytesIn;
        f.termination = termination == null ? "----" : termination;
        cookies.logFlags(f, reachedBackend && !tcpMode);     // %tsc's 3rd and 4th characters
        f.backend = reachedBackend && be != null ? be.plan().name() : null;
        f.server = target == null ? null : target.name();
        f.serverAddress = target == null ? null : target.plan().address();
        f.actconn = frontend.processConnections();
        f.feconn = (int) frontend.currentSessions();
        // HAProxy logs once the stream has left its server: its own slot is not counted in %bc and %sc
        int own = targetCounted ? 1 : 0;
        f.beconn = be == null ? 0 : (int) Math.max(0, be.load() - own);
        f.srvconn = target == null ? 0 : (int) Math.max(0, target.counters().current() - own);
        f.retries = Math.max(0, connectAttempts - 1);
        f.serverQueue = serverQueueAhead;
        f.backendQueue = backendQueueAhead;
    }

    /** The exchange's queue, connect, response and total time into its server's histograms (no allocation). */
    private void recordLatency(long now) {
        LatencyRecorder h = target.latency();
        int thread = io.index();
        long sent = tDequeued != 0 ? tDequeued : tRequest;
        h.record(thread, LatencyRecorder.QUEUE, tQueued == 0 ? 0 : (sent - tQueued) / 1000);
        if (tConnected != 0) h.record(thread, LatencyRecorder.CONNECT, (tConnected - sent) / 1000);
        h.record(thread, LatencyRecorder.RESPONSE, (tResponse - (tConnected == 0 ? tRequest : tConnected)) / 1000);
        h.record(thread, LatencyRecorder.TOTAL, (now - tRequest) / 1000);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Closes the client connection and whatever server connection is in use. Idempotent. */
    void close() {
        if (closed) return;
        closed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (queued != null && frontend.backend().dispatcher().cancel(queued)) {   // else the grant releases the slot
            queued = null;
            tDequeued = System.nanoTime();
            if ("----".equals(termination)) termination = "CQ--";     // the client left while queued
        }
        logExchange();
        releaseTarget();
        cancelConnect();
        if (server != null) {
            server.close();
            server = null;
        }
        if (reqOut != null) {
            freeRequestOut();
        }
        if (rspOut != null) {
            freeResponseOut();
        }
        client.close();
        clientIn.free();
        frontend.sessionClosed();
        onClose.accept(this);
    }

    private void freeRequestOut() {
        reqOut = null;
        reqOutBuffer.release();
    }

    private void freeResponseOut() {
        rspOut = null;
        rspOutBuffer.release();
    }

    private void armTimer() {
        long tick = frontend.timerTickMs;
        if (tick > 0) timer = io.schedule(timerTask, tick, TimeUnit.MILLISECONDS);
    }

    private void onTimer() {
        timer = null;
        if (closed) return;
        long idleMs = ms(System.nanoTime() - lastActivity);
        if (reqState == R_QUEUED) {
            if (expired(frontend.queueTimeoutMs, ms(System.nanoTime() - tQueued))) queueTimedOut();
        } else if (reqState == R_CONNECT) {
            if (connecting != null && frontend.connectTimeoutMs > 0
                    && ms(System.nanoTime() - tConnectStart) >= frontend.connectTimeoutMs) {
                cancelConnect();
                connectFailed();
            }
        } else if (reqState == R_HEAD && rspState == S_IDLE) {
            boolean idleBetweenRequests = clientIn.isEmpty() && exchanges > 0;
            long limit = idleBetweenRequests ? frontend.keepAliveTimeoutMs : frontend.httpRequestTimeoutMs;
            if (expired(limit, ms(System.nanoTime() - tExchange))) {
                if (clientIn.isEmpty()) {
                    close();
                } else {
                    exchangeOpen = true;
                    sendLocal(LocalResponse.REQUEST_TIMEOUT, "cR--");
                }
            }
        } else if (serverWritesResumed) {
            if (expired(frontend.serverTimeoutMs, idleMs)) abort("sD--");
        } else if (reqState == R_BODY || clientWritesResumed) {
            if (expired(frontend.clientTimeoutMs, idleMs)) abort("cD--");
        } else if (rspState == S_TUNNEL) {
            if (expired(frontend.tunnelTimeoutMs, idleMs)) close();
        } else if (rspState == S_HEAD || rspState == S_BODY) {
            if (expired(frontend.serverTimeoutMs, idleMs)) {
                if (!rspStarted && rspOut == null) sendLocal(LocalResponse.GATEWAY_TIMEOUT, "sH--");
                else abort("sD--");
            }
        }
        if (!closed) armTimer();
    }

    private static boolean expired(long timeoutMs, long idleMs) {
        return timeoutMs > 0 && idleMs >= timeoutMs;
    }

    // ------------------------------------------------------------------ interest bookkeeping

    private void suspendClientReads() {
        if (!clientReadsSuspended) {
            clientReadsSuspended = true;
            client.suspendReads();
        }
    }

    private void resumeClientReads() {
        if (clientReadsSuspended && !clientEof) {
            clientReadsSuspended = false;
            client.resumeReads();
        }
    }

    private void resumeClientWrites() {
        if (!clientWritesResumed) {
            clientWritesResumed = true;
            client.resumeWrites();
        }
    }

    private void suspendClientWrites() {
        if (clientWritesResumed) {
            clientWritesResumed = false;
            client.suspendWrites();
        }
    }

    private void suspendServerReads() {
        if (server != null && !serverReadsSuspended) {
            serverReadsSuspended = true;
            server.conn().suspendReads();
        }
    }

    private void resumeServerReads() {
        if (server != null && serverReadsSuspended) {
            serverReadsSuspended = false;
            server.conn().resumeReads();
        }
    }

    private void resumeServerWrites() {
        if (server != null && !serverWritesResumed) {
            serverWritesResumed = true;
            server.conn().resumeWrites();
        }
    }

    private void suspendServerWrites() {
        if (server != null && serverWritesResumed) {
            serverWritesResumed = false;
            server.conn().suspendWrites();
        }
    }
}
