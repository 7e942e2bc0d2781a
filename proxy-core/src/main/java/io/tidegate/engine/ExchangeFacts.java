package io.tidegate.engine;

import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.net.InetSocketAddress;

/**
 * What rules of one session read and write: the connection's addresses, the request head and, on the
 * response side, the response head (both parsed in place in their receive buffers), and the edits
 * the rules make to the forwarded heads. One per session that has rules, made when it starts;
 * confined to the session's IO thread.
 */
final class ExchangeFacts {
    final byte[] src;
    final int srcPort;
    private final io.tidegate.net.Transport client;
    private byte[] dst;
    private int dstPort = -1;
    RequestHead req;
    ResponseHead rsp;
    /** True while response rules run: {@code hdr} then reads the response. */
    boolean responseSide;
    /** The local answer a rule chose (deny, return, redirect, use-service), else null. */
    LocalResponse answer;
    /** The answer refuses the message (deny, block): logged as intercepted by the proxy (PR / PH). */
    boolean denied;
    /** Header lines whose value depends on the connection only, built once per connection (by rule). */
    final java.util.Map<HttpRule, byte[]> linesOfConnection = new java.util.IdentityHashMap<>(4);
    /** The userlist whose check of this request's credentials {@link #authUser} holds, or null. */
    UserlistAuth authChecked;
    /** The user the credentials authenticate in {@link #authChecked}, null when they do not. */
    String authUser;
    final HeadEdits reqEdits = new HeadEdits();
    final HeadEdits rspEdits = new HeadEdits();

    /**
     * The request contents the layer 6 fetches read (req.payload, req.ssl_sni, ...): bytes
     * {@code [contentsFrom, contentsTo)} of the client receive buffer as received; null when there
     * are none to read (mode http, where HAProxy's fetches find nothing either).
     */
    java.nio.ByteBuffer contents;
    int contentsFrom;
    int contentsTo;
    /** The receive buffer's capacity (what req.ssl_ver waits for at most). */
    int contentsCapacity;
    /** No more bytes will be waited for (the buffer is full, the client ended, the inspect delay expired, or none is set). */
    boolean contentsFinal = true;
    /** Set by a contents fetch that found no match but could with more bytes (HAProxy's SMP_F_MAY_CHANGE). */
    boolean mayChange;

    /** The contents fetches read {@code [from, to)} of {@code b} from now on. */
    void contents(java.nio.ByteBuffer b, int from, int to, int capacity, boolean isFinal) {
        contents = b;
        contentsFrom = from;
        contentsTo = b == null ? from : to;
        contentsCapacity = capacity;
        contentsFinal = isFinal;
    }

    /** A contents fetch has no value yet: when more bytes may come, the rule waits for them. */
    boolean incomplete() {
        if (!contentsFinal) mayChange = true;
        return false;
    }

    ExchangeFacts(InetSocketAddress clientAddress, io.tidegate.net.Transport client) {
        this.src = clientAddress == null ? new byte[4] : clientAddress.getAddress().getAddress();
        this.srcPort = clientAddress == null ? 0 : clientAddress.getPort();
        this.client = client;
    }

    private String sourceKey;
    /** The stick-table entries this connection tracks (track-sc*), null until a track rule runs. */
    TrackedCounters tracked;

    /** The tracked counters, made on first use. */
    TrackedCounters counters() {
        if (tracked == null) tracked = new TrackedCounters();
        return tracked;
    }

    /** The client address as a stick-table key (made once per connection). */
    String sourceKey() {
        if (sourceKey == null) {
            sourceKey = src.length == 4 || src.length == 16 ? io.tidegate.net.AddressText.of(src) : "";
        }
        return sourceKey;
    }

    /** The local address of the client connection (read once, when a rule first asks). */
    byte[] dst() {
        if (dst == null) readLocal();
        return dst;
    }

    int dstPort() {
        if (dstPort < 0) readLocal();
        return dstPort;
    }

    private void readLocal() {
        InetSocketAddress a = client == null ? null : client.localAddress();
        dst = a == null ? new byte[4] : a.getAddress().getAddress();
        dstPort = a == null ? 0 : a.getPort();
    }

    /** Variables of the session (sess.*) and of the exchange (txn.*, req.*, res.*), made on first use. */
    private java.util.Map<String, byte[]> sessionVars;
    private java.util.Map<String, byte[]> exchangeVars;

    void setVar(String name, byte[] value) {
        if (name.startsWith("sess.")) {
            if (sessionVars == null) sessionVars = new java.util.HashMap<>();
            sessionVars.put(name, value);
        } else {
            if (exchangeVars == null) exchangeVars = new java.util.HashMap<>();
            exchangeVars.put(name, value);
        }
    }

    /** The variable's value, or null when unset. */
    byte[] var(String name) {
        java.util.Map<String, byte[]> m = name.startsWith("sess.") ? sessionVars : exchangeVars;
        return m == null ? null : m.get(name);
    }

    /**
     * The request's method, copied when the request begins (a few bytes, into an array reused by
     * the connection): response rules read it after the receive buffer has moved on, as HAProxy
     * keeps the method for the whole transaction.
     */
    private byte[] methodBytes = new byte[8];
    private java.nio.ByteBuffer method = java.nio.ByteBuffer.wrap(methodBytes);
    private int methodLength;

    java.nio.ByteBuffer method() { return method; }

    int methodLength() { return methodLength; }

    // ------------------------------------------------------------------ the request body (req.body*)

    /** The body bytes of the receive buffer (framing included) the request rules see; null: none shown yet. */
    private java.nio.ByteBuffer bodyBuffer;
    private int bodyFrom;
    private int bodyTo;
    private boolean bodyChunked;
    /** Content-Length of a length-framed body, else -1. */
    private long bodyDeclared;
    /** The payload of a chunked body, decoded on first use (scratch kept by the connection). */
    private byte[] decoded;
    private java.nio.ByteBuffer decodedView;
    private int decodedLength = -1;
    private final Dechunk dechunk = new Dechunk();
    /** What is left of the chunk the buffer ends in (req.body_size of a chunked body). */
    private long chunkLeft;

    /**
     * Shows the request rules the body bytes in {@code [from, to)} of {@code b} (chunk framing
     * included when {@code chunked}); {@code declared} is the Content-Length, -1 when there is none.
     */
    void body(java.nio.ByteBuffer b, int from, int to, boolean chunked, long declared) {
        bodyBuffer = b;
        bodyFrom = from;
        bodyTo = to;
        bodyChunked = chunked;
        bodyDeclared = declared;
        decodedLength = -1;
    }

    /** The buffer holding the body's payload, from {@link #payloadFrom()} to {@link #payloadTo()}; null when none. */
    java.nio.ByteBuffer payload() {
        if (bodyBuffer == null || req == null || responseSide) return null;
        if (!bodyChunked) return bodyBuffer;
        if (decodedLength < 0) decodeChunks();
        return decodedView;
    }

    int payloadFrom() {
        return bodyChunked ? 0 : bodyFrom;
    }

    int payloadTo() {
        return bodyChunked ? decodedLength : bodyTo;
    }

    /** req.body_len: the payload bytes at hand; Long.MIN_VALUE when no body is shown. */
    long bodyLength() {
        return payload() == null ? Long.MIN_VALUE : payloadTo() - payloadFrom();
    }

    /** req.body_size: the announced length (Content-Length), or for a chunked body the payload at hand plus the rest of its last chunk. */
    long bodySize() {
        if (payload() == null) return Long.MIN_VALUE;
        return bodyChunked ? decodedLength + chunkLeft : Math.max(bodyDeclared, bodyTo - bodyFrom);
    }

    /** The data of the chunks at hand (a last chunk that is cut short counts with what arrived of it). */
    private void decodeChunks() {
        int n = bodyTo - bodyFrom;
        if (decoded == null || decoded.length < n) {
            decoded = new byte[Math.max(n, 256)];
            decodedView = java.nio.ByteBuffer.wrap(decoded);
        }
        decodedLength = dechunk.decode(bodyBuffer, bodyFrom, bodyTo, decoded);
        chunkLeft = dechunk.leftInLastChunk;
    }

    /** Starts a new exchange: no edits yet. */
    void beginRequest(RequestHead head) {
        req = head;
        int n = head.methodEnd() - head.start();
        if (n > methodBytes.length) {
            methodBytes = new byte[n];
            method = java.nio.ByteBuffer.wrap(methodBytes);
        }
        head.buffer().get(head.start(), methodBytes, 0, n);
        methodLength = n;
        rsp = null;
        bodyBuffer = null;
        responseSide = false;
        answer = null;
        denied = false;
        authChecked = null;
        authUser = null;
        if (exchangeVars != null) exchangeVars.clear();
        reqEdits.clear();
        rspEdits.clear();
    }
}
