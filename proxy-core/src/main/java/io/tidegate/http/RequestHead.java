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
    /** The authority of an absolute-form target (RFC 9112 §3.2.2), -1 when the target is not absolute. */
    private int authorityStart;
    private int authorityEnd;
    private static final byte[] HTTP_SCHEME = "http://".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTPS_SCHEME = "https://".getBytes(StandardCharsets.US_ASCII);

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
        startParse(buffer, from, headEnd);
        final ByteBuffer b = buffer;
        int p = from;
        while (HttpSyntax.isTchar(b.get(p))) p++;
        if (p == from || b.get(p) != ' ') throw new HttpParseException(400, "bad method");
        methodEnd = p;
        p++;
        targetStart = p;
        while (HttpSyntax.isTargetChar(b.get(p))) p++;
        if (p == targetStart || b.get(p) != ' ') {
            throw new HttpParseException(400, b.get(p) == '#' ? "fragment (#) in the request target" : "bad request target");
        }
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
        authorityStart = authorityEnd = -1;
        if (t != '/' && t != '*') absoluteForm(b);
        parseHeaders(p, 400);
        int host = -1;
        for (int i = 0; i < headerCount; i++) {
            if (kinds[i] == HeaderKind.HOST) {
                hostCount++;
                host = i;
            } else if (kinds[i] == HeaderKind.EXPECT
                    && HttpSyntax.equalsIgnoreCase(b, valueStart[i], valueEnd[i], CONTINUE)) expectContinue = true;
        }
        if (hostCount > 1 || (hostCount == 0 && minorVersion == 1)) {
            throw new HttpParseException(400, "missing or repeated Host");
        }
        if (authorityStart >= 0 && host >= 0 && !sameAuthority(b, host)) {
            throw new HttpParseException(400, "absolute-form authority differs from Host");
        }
        if (hasUpgrade && (!connectionUpgrade || upgradeH2c)) {
            // an upgrade Tidegate does not carry out (h2c, or Upgrade not named in Connection): the request
            // goes on as plain HTTP/1.1 without it, so no tunnel can bypass what applies to requests
            for (int i = 0; i < headerCount; i++) {
                if (kinds[i] == HeaderKind.UPGRADE || kinds[i] == HeaderKind.HTTP2_SETTINGS) markHopByHop(i);
            }
        }
        if (transferEncoding && minorVersion == 0) {
            throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
    }

    /** {@code http://authority/path}: the scheme must be http or https, the authority non-empty, no userinfo. */
    private void absoluteForm(ByteBuffer b) throws HttpParseException {
        int s;
        if (startsWithIgnoreCase(b, targetStart, targetEnd, HTTP_SCHEME)) s = targetStart + HTTP_SCHEME.length;
        else if (startsWithIgnoreCase(b, targetStart, targetEnd, HTTPS_SCHEME)) s = targetStart + HTTPS_SCHEME.length;
        else throw new HttpParseException(400, "bad request target");
        int e = s;
        while (e < targetEnd) {
            byte c = b.get(e);
            if (c == '/' || c == '?' || c == '#') break;
            if (c == '@') throw new HttpParseException(400, "userinfo in the request target");
            e++;
        }
        if (e == s) throw new HttpParseException(400, "empty authority in the request target");
        authorityStart = s;
        authorityEnd = e;
    }

    private static boolean startsWithIgnoreCase(ByteBuffer b, int from, int to, byte[] lower) {
        return to - from >= lower.length && HttpSyntax.equalsIgnoreCase(b, from, from + lower.length, lower);
    }

    /** The Host value equals the target's authority, ignoring case (HAProxy answers 400 otherwise). */
    private boolean sameAuthority(ByteBuffer b, int host) {
        int hs = valueStart[host];
        int he = valueEnd[host];
        if (he - hs != authorityEnd - authorityStart) return false;
        for (int k = 0; k < he - hs; k++) {
            if (HttpSyntax.lower(b.get(hs + k)) != HttpSyntax.lower(b.get(authorityStart + k))) return false;
        }
        return true;
    }

    /** The client asks for an upgrade Tidegate carries out (Upgrade named in Connection, not h2c): a tunnel after 101. */
    public boolean upgradeCarriedOut() {
        return hasUpgrade && connectionUpgrade && !upgradeH2c;
    }

    /** The target is in absolute form ({@code http://host/...}). */
    public boolean absoluteForm() {
        return authorityStart >= 0;
    }

    @Override
    public void reset() {
        super.reset();
        methodEnd = targetStart = targetEnd = 0;
        headMethod = false;
        expectContinue = false;
        hostCount = 0;
        authorityStart = authorityEnd = -1;
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
