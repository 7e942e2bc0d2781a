package io.tidegate.engine;

import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response on a {@link ClientConnection}: both heads, both body cursors, where
 * each side stands ({@link RequestPhase}, {@link ResponsePhase}), the server it went to, its timings,
 * its counters and its {@link Termination}; and the access-log line and latency samples made from them.
 *
 * <p>Lifecycle: a connection owns one Exchange and reuses it. {@link #begin(long)} (re)initialises
 * every per-request field in this one place, when the connection starts and after each finished
 * exchange; {@link #requestHeadArrived} adds what the parsed head decides. Nothing else resets
 * per-request state. It is reused rather than made fresh because a keep-alive request allocates
 * about 6 bytes today and a fresh object of this size (plus its heads and cursors) would add a few
 * hundred bytes per request.
 */
final class Exchange {
    /** Where the request side stands. */
    enum RequestPhase {
        /** Reading a request head. */
        HEAD,
        /** Head parsed, its body waited for before the rules run (option http-buffer-request). */
        BODY_WAIT,
        /** Head parsed, waiting for a server slot (queue, S9). */
        QUEUED,
        /** Head parsed, getting a server connection. */
        CONNECT,
        /** Forwarding head and body to the server (proxyToServer). */
        BODY,
        /** Reading the body of a locally answered request (the stats page's admin POST). */
        LOCAL_BODY,
        /** The request was forwarded completely. */
        DONE,
        /** After 101 or in mode tcp: raw bytes. */
        TUNNEL
    }

    /** Where the response side stands. */
    enum ResponsePhase {
        IDLE,
        /** Waiting for / forwarding a response head (serverToProxy). */
        HEAD,
        /** Forwarding the response body (proxyToClient). */
        BODY,
        DONE,
        TUNNEL,
        /** Sending a locally generated response, then closing. */
        LOCAL
    }

    final RequestHead req = new RequestHead();
    final ResponseHead rsp = new ResponseHead();
    /** The request body in the client's receive buffer. */
    final MessageCursor requestBody = new MessageCursor(400);
    /** The response body in the server connection's receive buffer. */
    final MessageCursor responseBody = new MessageCursor(502);
    /** The persistence cookie of this exchange. */
    final CookieExchange cookies = new CookieExchange();

    RequestPhase requestPhase = RequestPhase.HEAD;
    ResponsePhase responsePhase = ResponsePhase.IDLE;
    /** The exchange has something to log (a request arrived, or an error answer is being sent). */
    boolean open;

    // the request head, as the connection read it
    int reqHeadStart;
    int reqHeadEnd;
    boolean reqIsHead;
    boolean reqUpgrade;
    boolean clientHttp10;
    boolean clientKeepAlive;
    /** The client connection closes after this exchange. */
    boolean clientCloseAfter;
    /** The server connection may be parked for reuse after this exchange. */
    boolean serverReusable;
    /** Bytes of the response reached the client. */
    boolean rspStarted;

    // the server
    RuntimeServer target;
    /** This exchange holds a slot of {@link #target}. */
    boolean targetCounted;
    /** The request got as far as choosing a server of the backend (else the log names the frontend). */
    boolean reachedBackend;
    int connectAttempts;
    /** Queue lengths ahead of this request when it was queued (%sq, %bq). */
    int serverQueueAhead;
    int backendQueueAhead;

    // counters and outcome
    int status;
    long bytesOut;
    /** Bytes read from the client since the last logged exchange (attributed to that exchange's server). */
    long bytesIn;
    /** bytesIn of the exchange being logged. */
    long logBytesIn;
    Termination termination = Termination.NONE;

    // timings (nanoTime, 0 = the step did not happen)
    /** The exchange began (connection start, or the end of the previous exchange). */
    long tExchange;
    long tFirstByte;
    long tRequest;
    long tQueued;
    long tDequeued;
    long tConnectStart;
    long tConnected;
    long tResponse;

    /** The algorithm the request allows for its response (compression), else null. */
    CompressionPolicy.Algo compressAlgo;
    /** The response body goes out compressed ({@link ResponseCompressor}). */
    boolean compressing;

    /** Starts a new exchange at {@code now}: every per-request field back to its initial value. */
    void begin(long now) {
        compressAlgo = null;
        compressing = false;
        requestPhase = RequestPhase.HEAD;
        responsePhase = ResponsePhase.IDLE;
        open = false;
        target = null;
        reachedBackend = false;
        connectAttempts = 0;
        serverQueueAhead = 0;
        backendQueueAhead = 0;
        rspStarted = false;
        status = 0;
        bytesOut = 0;
        termination = Termination.NONE;
        tExchange = now;
        tFirstByte = 0;
        tRequest = 0;
        tQueued = 0;
        tDequeued = 0;
        tConnectStart = 0;
        tConnected = 0;
        tResponse = 0;
    }

    /**
     * A request head was parsed: what it decides for this exchange. {@code keepAliveAllowed} is false
     * when the frontend closes every connection or the connection's listener is gone.
     */
    void requestHeadArrived(long now, int headStart, int headEnd, boolean keepAliveAllowed) {
        tRequest = now;
        open = true;
        status = 0;
        termination = Termination.NONE;
        bytesOut = 0;
        rspStarted = false;
        clientCloseAfter = false;
        if (tFirstByte == 0) tFirstByte = tExchange;      // pipelined: it was already there
        reqIsHead = req.isHead();
        clientHttp10 = req.minorVersion() == 0;
        reqUpgrade = req.upgradeCarriedOut();     // never h2c: that request goes on as plain HTTP/1.1
        clientKeepAlive = req.keepAlive() && keepAliveAllowed;
        reqHeadStart = headStart;
        reqHeadEnd = headEnd;
        boolean chunked = req.chunked();
        long length = chunked ? 0 : Math.max(0, req.contentLength());
        requestBody.begin(chunked ? io.tidegate.http.BodyFraming.CHUNKED
                : length > 0 ? io.tidegate.http.BodyFraming.LENGTH : io.tidegate.http.BodyFraming.NONE, length);
    }

    /** Ends a termination that nothing set yet. */
    void terminateIfUnset(Termination t) {
        if (termination == Termination.NONE) termination = t;
    }

    /** A tunnel (after 101, mode tcp) is in progress. */
    boolean isTunnel() {
        return requestPhase == RequestPhase.TUNNEL || responsePhase == ResponsePhase.TUNNEL;
    }

    /** Gives back the slot of the target server, if this exchange holds one. */
    void releaseTarget() {
        if (targetCounted) {
            targetCounted = false;
            target.requestEnded();
        }
    }

    /**
     * HAProxy's timers (ms, -1 = the step did not happen) and counters of this exchange into
     * {@code f}. {@code frontend} is the route the exchange took.
     */
    void fillLogFields(LogFields f, long now, RuntimeFrontend frontend, boolean tcpMode, long acceptMillis, long tAccept) {
        RuntimeBackend be = frontend.backend();
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
        f.termination = termination.code;
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
    void recordLatency(long now, int thread) {
        LatencyRecorder h = target.latency();
        long sent = tDequeued != 0 ? tDequeued : tRequest;
        h.record(thread, LatencyRecorder.QUEUE, tQueued == 0 ? 0 : (sent - tQueued) / 1000);
        if (tConnected != 0) h.record(thread, LatencyRecorder.CONNECT, (tConnected - sent) / 1000);
        h.record(thread, LatencyRecorder.RESPONSE, (tResponse - (tConnected == 0 ? tRequest : tConnected)) / 1000);
        h.record(thread, LatencyRecorder.TOTAL, (now - tRequest) / 1000);
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
