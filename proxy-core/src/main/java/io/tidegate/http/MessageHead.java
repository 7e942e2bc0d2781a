package io.tidegate.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The parsed head of one HTTP/1.x message, as positions into the buffer it was read into. Only the
 * start line, the header line boundaries and the fields Tidegate acts on are interpreted; the rest is
 * forwarded byte for byte. Instances are reused per connection ({@link #reset()}), so they are mutable
 * and confined to one IO thread.
 */
public abstract class MessageHead {
    /** Largest head accepted; a longer one is answered with 431 (request) or 502 (response). */
    public static final int MAX_HEAD_SIZE = 15 * 1024;
    /** Most header lines accepted in one head. */
    public static final int MAX_HEADERS = 128;

    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPGRADE = "upgrade".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] H2C = "h2c".getBytes(StandardCharsets.US_ASCII);
    /** Connection tokens naming other fields kept per head; a head naming more is rejected. */
    static final int MAX_CONNECTION_TOKENS = 16;

    protected ByteBuffer buf;
    protected int start;
    protected int end;
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    protected int minorVersion;
    protected int startLineEnd;

    /**
     * Header lines the per-line arrays hold at first. Typical heads have fewer than 16 lines; the
     * arrays double on demand up to {@link #MAX_HEADERS}. Every new connection creates two heads, so
     * sizing them for the maximum cost about 6 KiB of allocation per connection.
     */
    static final int INITIAL_HEADERS = 16;

    protected int headerCount;
    protected int[] lineStart = new int[INITIAL_HEADERS];
    protected int[] nameEnd = new int[INITIAL_HEADERS];
    protected int[] valueStart = new int[INITIAL_HEADERS];
    protected int[] valueEnd = new int[INITIAL_HEADERS];
    protected int[] lineEnd = new int[INITIAL_HEADERS];
    protected HeaderKind[] kinds = new HeaderKind[INITIAL_HEADERS];

    protected long contentLength;
    protected boolean chunked;
    protected boolean transferEncoding;
    protected boolean connectionClose;
    protected boolean connectionKeepAlive;
    protected boolean connectionUpgrade;
    protected boolean hasUpgrade;
    /** An Upgrade field offers h2c (HTTP/2 over cleartext). */
    protected boolean upgradeH2c;
    /** Header lines a proxy must not forward (RFC 9110 §7.6.1), see {@link #isHopByHop(int)}; 0 on the plain path. */
    protected int hopByHopCount;
    protected boolean[] hopByHop = new boolean[INITIAL_HEADERS];
    /** Most header lines accepted ({@code tune.http.maxhdr} - 1 for requests, as HAProxy counts). */
    protected int maxHeaderLines = MAX_HEADERS;
    /** Made on the first Connection line naming another field (most connections never need them). */
    private int[] connTokenStart;
    private int[] connTokenEnd;
    private int connTokens;

    /** Starts parsing the head in buffer[from, headEnd): forgets the previous head and records where this one lies. */
    protected final void startParse(ByteBuffer buffer, int from, int headEnd) {
        reset();
        this.buf = buffer;
        this.start = from;
        this.end = headEnd;
    }

    public void reset() {
        buf = null;
        headerCount = 0;
        contentLength = -1;
        chunked = false;
        transferEncoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionUpgrade = false;
        hasUpgrade = false;
        upgradeH2c = false;
        hopByHopCount = 0;
        connTokens = 0;
        minorVersion = 1;
    }

    /**
     * Finds the end of a head that starts at {@code from}. Returns the index just past the empty line,
     * or -1 when more bytes are needed. Rejects bare LF, and heads longer than {@link #MAX_HEAD_SIZE}.
     */
    public static int findHeadEnd(ByteBuffer buf, int from, int to, int overflowStatus) throws HttpParseException {
        int limit = Math.min(to, from + MAX_HEAD_SIZE);
        for (int i = from; i < limit; i++) {
            if (buf.get(i) == '\n') {
                if (i == from || buf.get(i - 1) != '\r') {
                    throw new HttpParseException(400, "bare LF");
                }
                if (i - from >= 3 && buf.get(i - 2) == '\n' && buf.get(i - 3) == '\r') {
                    return i + 1;
                }
            }
        }
        if (to - from >= MAX_HEAD_SIZE) {
            throw new HttpParseException(overflowStatus, "head too large");
        }
        return -1;
    }

    /** Parses "HTTP/1.x" at buf[p, p+8); returns the minor version. */
    protected static int parseVersion(ByteBuffer b, int p, int limit, int status) throws HttpParseException {
        if (p + 8 > limit || b.get(p) != 'H' || b.get(p + 1) != 'T' || b.get(p + 2) != 'T' || b.get(p + 3) != 'P'
                || b.get(p + 4) != '/' || b.get(p + 6) != '.') {
            throw new HttpParseException(status, "bad HTTP version");
        }
        int major = b.get(p + 5);
        int minor = b.get(p + 7);
        if (major != '1' || (minor != '0' && minor != '1')) {
            if (major >= '0' && major <= '9' && minor >= '0' && minor <= '9') {
                throw new HttpParseException(status == 400 ? 505 : status, "unsupported HTTP version");
            }
            throw new HttpParseException(status, "bad HTTP version");
        }
        return minor - '0';
    }

    /**
     * Parses the header lines in buf[p, end) where end is just past the empty line, then interprets
     * the framing fields. {@code status} is the answer for a violation (400 request, 502 response).
     */
    protected void parseHeaders(int p, int status) throws HttpParseException {
        final ByteBuffer b = buf;
        final int last = end - 2;          // index of the final CRLF
        int n = 0;
        while (p < last) {
            if (n == maxHeaderLines) throw new HttpParseException(status, "too many header fields (more than "
                    + maxHeaderLines + ")");
            if (n == kinds.length) growHeaderArrays();
            int ls = p;
            byte c = b.get(p);
            if (c == ' ' || c == '\t') throw new HttpParseException(status, "obs-fold");
            while (HttpSyntax.isTchar(b.get(p))) p++;
            if (p == ls) throw new HttpParseException(status, "bad field name");
            if (b.get(p) != ':') {
                byte d = b.get(p);
                throw new HttpParseException(status, d == ' ' || d == '\t' ? "whitespace before colon" : "bad field name");
            }
            int ne = p;
            p++;
            while (b.get(p) == ' ' || b.get(p) == '\t') p++;
            int vs = p;
            int ve = p;
            while (true) {
                byte v = b.get(p);
                if (v == '\r') break;
                if (!HttpSyntax.isFieldChar(v)) throw new HttpParseException(status, "bad field value");
                p++;
                if (v != ' ' && v != '\t') ve = p;
            }
            // p at CR; findHeadEnd guaranteed CRLF pairs
            if (b.get(p + 1) != '\n') throw new HttpParseException(status, "CR without LF");
            p += 2;
            lineStart[n] = ls;
            nameEnd[n] = ne;
            valueStart[n] = vs;
            valueEnd[n] = ve;
            lineEnd[n] = p;
            kinds[n] = HeaderKind.of(b, ls, ne);
            hopByHop[n] = false;
            n++;
        }
        headerCount = n;
        for (int i = 0; i < n; i++) {
            switch (kinds[i]) {
                case CONTENT_LENGTH -> parseContentLength(i, status);
                case TRANSFER_ENCODING -> parseTransferEncoding(i, status);
                case CONNECTION -> parseConnection(i, status);
                case UPGRADE -> {
                    hasUpgrade = true;
                    if (hasToken(valueStart[i], valueEnd[i], H2C)) upgradeH2c = true;
                }
                case KEEP_ALIVE, PROXY_CONNECTION, TE, TRAILER -> markHopByHop(i);
                default -> { }
            }
        }
        if (connTokens > 0) markNamedInConnection();
        if (transferEncoding && contentLength >= 0) {
            throw new HttpParseException(status, "both Content-Length and Transfer-Encoding");
        }
    }

    /** Doubles the per-line arrays (kept for later heads of the same connection). */
    private void growHeaderArrays() {
        int capacity = Math.min(Math.max(maxHeaderLines, 1), kinds.length * 2);
        lineStart = java.util.Arrays.copyOf(lineStart, capacity);
        nameEnd = java.util.Arrays.copyOf(nameEnd, capacity);
        valueStart = java.util.Arrays.copyOf(valueStart, capacity);
        valueEnd = java.util.Arrays.copyOf(valueEnd, capacity);
        lineEnd = java.util.Arrays.copyOf(lineEnd, capacity);
        kinds = java.util.Arrays.copyOf(kinds, capacity);
        hopByHop = java.util.Arrays.copyOf(hopByHop, capacity);
    }

    private void parseContentLength(int i, int status) throws HttpParseException {
        if (contentLength >= 0) throw new HttpParseException(status, "duplicate Content-Length");
        int from = valueStart[i];
        int to = valueEnd[i];
        if (from == to || to - from > 18) throw new HttpParseException(status, "bad Content-Length");
        long v = 0;
        for (int p = from; p < to; p++) {
            int d = buf.get(p) - '0';
            if (d < 0 || d > 9) throw new HttpParseException(status, "bad Content-Length");
            v = v * 10 + d;
        }
        contentLength = v;
    }

    private void parseTransferEncoding(int i, int status) throws HttpParseException {
        // Only a single "chunked" coding is supported; any other or repeated coding is rejected.
        int from = valueStart[i];
        int to = valueEnd[i];
        if (transferEncoding || !HttpSyntax.equalsIgnoreCase(buf, from, to, CHUNKED)) {
            throw new HttpParseException(status == 400 ? 400 : status, "unsupported transfer coding");
        }
        transferEncoding = true;
        chunked = true;
    }

    private void parseConnection(int i, int status) throws HttpParseException {
        int p = valueStart[i];
        int to = valueEnd[i];
        while (p < to) {
            while (p < to && (buf.get(p) == ',' || buf.get(p) == ' ' || buf.get(p) == '\t')) p++;
            int ts = p;
            while (p < to && buf.get(p) != ',' && buf.get(p) != ' ' && buf.get(p) != '\t') p++;
            if (p > ts) {
                if (HttpSyntax.equalsIgnoreCase(buf, ts, p, CLOSE)) connectionClose = true;
                else if (HttpSyntax.equalsIgnoreCase(buf, ts, p, KEEP_ALIVE)) connectionKeepAlive = true;
                else if (HttpSyntax.equalsIgnoreCase(buf, ts, p, UPGRADE)) connectionUpgrade = true;
                else {
                    // another field named as hop-by-hop: it is not forwarded
                    if (connTokens == MAX_CONNECTION_TOKENS) {
                        throw new HttpParseException(status, "more than " + MAX_CONNECTION_TOKENS + " Connection options");
                    }
                    if (connTokenStart == null) {
                        connTokenStart = new int[MAX_CONNECTION_TOKENS];
                        connTokenEnd = new int[MAX_CONNECTION_TOKENS];
                    }
                    connTokenStart[connTokens] = ts;
                    connTokenEnd[connTokens] = p;
                    connTokens++;
                }
            }
        }
    }

    /** Whether the comma-separated value in buf[from, to) has the token (case-insensitive). */
    private boolean hasToken(int from, int to, byte[] lowerToken) {
        int p = from;
        while (p < to) {
            while (p < to && (buf.get(p) == ',' || buf.get(p) == ' ' || buf.get(p) == '\t')) p++;
            int ts = p;
            while (p < to && buf.get(p) != ',' && buf.get(p) != ' ' && buf.get(p) != '\t' && buf.get(p) != '/') p++;
            if (p > ts && HttpSyntax.equalsIgnoreCase(buf, ts, p, lowerToken)) return true;
            while (p < to && buf.get(p) != ',') p++;
        }
        return false;
    }

    protected final void markHopByHop(int i) {
        if (!hopByHop[i]) {
            hopByHop[i] = true;
            hopByHopCount++;
        }
    }

    /**
     * Fields named in Connection are hop-by-hop. Framing and routing fields (Host, Content-Length,
     * Transfer-Encoding) are never dropped: naming them there cannot change how the message is read.
     */
    private void markNamedInConnection() {
        for (int i = 0; i < headerCount; i++) {
            HeaderKind k = kinds[i];
            if (k == HeaderKind.HOST || k == HeaderKind.CONTENT_LENGTH || k == HeaderKind.TRANSFER_ENCODING
                    || k == HeaderKind.CONNECTION) continue;
            for (int t = 0; t < connTokens; t++) {
                if (equalsIgnoreCase(lineStart[i], nameEnd[i], connTokenStart[t], connTokenEnd[t])) {
                    markHopByHop(i);
                    break;
                }
            }
        }
    }

    private boolean equalsIgnoreCase(int a, int aEnd, int b, int bEnd) {
        if (aEnd - a != bEnd - b) return false;
        for (int k = 0; k < aEnd - a; k++) {
            if (HttpSyntax.lower(buf.get(a + k)) != HttpSyntax.lower(buf.get(b + k))) return false;
        }
        return true;
    }

    // ---- accessors ----

    public ByteBuffer buffer() { return buf; }
    public int start() { return start; }
    public int end() { return end; }
    public int length() { return end - start; }
    public int minorVersion() { return minorVersion; }
    public int startLineEnd() { return startLineEnd; }
    public int headerCount() { return headerCount; }
    public HeaderKind kind(int i) { return kinds[i]; }
    public int lineStart(int i) { return lineStart[i]; }
    public int lineEnd(int i) { return lineEnd[i]; }
    public int nameEnd(int i) { return nameEnd[i]; }
    public int valueStart(int i) { return valueStart[i]; }
    public int valueEnd(int i) { return valueEnd[i]; }
    public String name(int i) { return HttpSyntax.ascii(buf, lineStart[i], nameEnd[i]); }
    public String value(int i) { return HttpSyntax.ascii(buf, valueStart[i], valueEnd[i]); }
    /** -1 when the head has no Content-Length. */
    public long contentLength() { return contentLength; }
    public boolean chunked() { return chunked; }
    public boolean connectionClose() { return connectionClose; }
    public boolean connectionKeepAlive() { return connectionKeepAlive; }
    public boolean connectionUpgrade() { return connectionUpgrade; }
    public boolean hasUpgrade() { return hasUpgrade; }
    /** An Upgrade field offers h2c. */
    public boolean upgradeH2c() { return upgradeH2c; }
    /** The head has lines a proxy must not forward: the forwarded copy leaves them out. */
    public boolean hasHopByHop() { return hopByHopCount > 0; }
    /**
     * Line i is hop-by-hop (Keep-Alive, Proxy-Connection, TE, Trailer, a field named in Connection,
     * an Upgrade that is not carried out) and is not forwarded. The Connection line itself is
     * rewritten by the writer.
     */
    public boolean isHopByHop(int i) { return hopByHop[i]; }

    /** At most {@code lines} header lines are accepted; one more is answered 400 (request) or 502 (response). */
    public void setMaxHeaderLines(int lines) {
        if (lines < 0) throw new IllegalArgumentException("lines < 0");
        maxHeaderLines = lines;
    }

    /** Whether the sender wants the connection kept open after this message (RFC 9112 §9.3). */
    public boolean keepAlive() {
        if (connectionClose) return false;
        return minorVersion == 1 || connectionKeepAlive;
    }

    /** Index of the first header line whose name equals lowerName (case-insensitive), or -1. */
    public int find(byte[] lowerName) {
        for (int i = 0; i < headerCount; i++) {
            if (HttpSyntax.equalsIgnoreCase(buf, lineStart[i], nameEnd[i], lowerName)) return i;
        }
        return -1;
    }
}
