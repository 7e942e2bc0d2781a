package io.tidegate.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A parsed request head (RFC 9112 §3), strict: anything ambiguous for framing is rejected. */
public final class RequestHead extends MessageHead {
    private static final byte[] HEAD = "HEAD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECT = "CONNECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "100-continue".getBytes(StandardCharsets.US_ASCII);

    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private boolean headMethod;
    private boolean expectContinue;
    private int hostCount;

    public RequestHead() {
        reset();
    }

    /**
     * Skips the empty lines a client may send before a request line (RFC 9112 §2.2).
     * Returns the index of the first byte that is not part of a leading CRLF.
     */
    public static int skipLeadingEmptyLines(ByteBuffer buf, int from, int to) {
        while (from + 1 < to && buf.get(from) == '\r' && buf.get(from + 1) == '\n') from += 2;
        return from;
    }

    /**
     * Parses the head in buf[from, headEnd) where headEnd came from
     * {@link MessageHead#findHeadEnd}. On success this object describes the request.
     */
    public void parse(ByteBuffer buffer, int from, int headEnd) throws HttpParseException {
        reset();
        this.buf = buffer;
        this.start = from;
        this.end = headEnd;
        final ByteBuffer b = buffer;
        int p = from;
        while (HttpSyntax.isTchar(b.get(p))) p++;
        if (p == from || b.get(p) != ' ') throw new HttpParseException(400, "bad method");
        methodEnd = p;
        p++;
        targetStart = p;
        while (HttpSyntax.isTargetChar(b.get(p))) p++;
        if (p == targetStart || b.get(p) != ' ') throw new HttpParseException(400, "bad request target");
        targetEnd = p;
        p++;
        minorVersion = parseVersion(b, p, headEnd, 400);
        p += 8;
        if (b.get(p) != '\r' || b.get(p + 1) != '\n') throw new HttpParseException(400, "bad request line");
        p += 2;
        startLineEnd = p;
        headMethod = HttpSyntax.equalsExact(b, from, methodEnd, HEAD);
        if (HttpSyntax.equalsExact(b, from, methodEnd, CONNECT)) {
            throw new HttpParseException(405, "CONNECT is not supported");
        }
        byte t = b.get(targetStart);
        if (t != '/' && t != '*' && !(t == 'h' || t == 'H')) {
            throw new HttpParseException(400, "bad request target");
        }
        parseHeaders(p, 400);
        for (int i = 0; i < headerCount; i++) {
            if (kinds[i] == HeaderKind.HOST) hostCount++;
            else if (kinds[i] == HeaderKind.EXPECT
                    && HttpSyntax.equalsIgnoreCase(b, valueStart[i], valueEnd[i], CONTINUE)) expectContinue = true;
        }
        if (hostCount > 1 || (hostCount == 0 && minorVersion == 1)) {
            throw new HttpParseException(400, "missing or repeated Host");
        }
        if (transferEncoding && minorVersion == 0) {
            throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
    }

    @Override
    public void reset() {
        super.reset();
        methodEnd = targetStart = targetEnd = 0;
        headMethod = false;
        expectContinue = false;
        hostCount = 0;
    }

    public boolean isHead() { return headMethod; }
    public boolean expectContinue() { return expectContinue; }
    public int methodEnd() { return methodEnd; }
    public int targetStart() { return targetStart; }
    public int targetEnd() { return targetEnd; }
    public String method() { return HttpSyntax.ascii(buf, start, methodEnd); }
    public String target() { return HttpSyntax.ascii(buf, targetStart, targetEnd); }
    /** The request line without CRLF, for the access log. */
    public String requestLine() { return HttpSyntax.ascii(buf, start, startLineEnd - 2); }

    /** Whether a body follows this head, and how it is delimited. */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
