package io.tidegate.http;

import java.nio.ByteBuffer;

/**
 * Walks the cookies of a {@code Cookie} header value or the cookie of a {@code Set-Cookie} header
 * value (RFC 6265 §4.1, §4.2, §5.2, read leniently as user agents and servers write them) in place,
 * over the received bytes: no copy, no allocation. One scanner is reused for every header.
 *
 * <p>In a {@code Cookie} value the pairs are separated by {@code ;}; blanks (SP, HTAB) around a
 * pair, a name and a value are not part of them. A value written in double quotes is reported
 * without its quotes ({@link #quoted()} tells). A pair without {@code =} has an empty name and the
 * whole pair as its value (RFC 6265bis). Empty pairs ({@code ;;}) are skipped. In a
 * {@code Set-Cookie} value only the first pair is a cookie; what follows its {@code ;} are the
 * attributes ({@link #attributesStart()}).
 */
public final class CookieScanner {
    private ByteBuffer buf;
    private int pos;
    private int end;
    private boolean setCookie;
    private boolean done;

    private int pairStart;
    private int pairEnd;
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;
    private boolean hasEquals;
    private boolean quoted;

    /** Starts walking the cookies of a {@code Cookie} header value {@code buf[from, to)}. */
    public CookieScanner cookieHeader(ByteBuffer buffer, int from, int to) {
        return start(buffer, from, to, false);
    }

    /** Starts on a {@code Set-Cookie} header value {@code buf[from, to)}: one cookie, then attributes. */
    public CookieScanner setCookieHeader(ByteBuffer buffer, int from, int to) {
        return start(buffer, from, to, true);
    }

    private CookieScanner start(ByteBuffer buffer, int from, int to, boolean isSetCookie) {
        this.buf = buffer;
        this.pos = from;
        this.end = to;
        this.setCookie = isSetCookie;
        this.done = false;
        return this;
    }

    /** Moves to the next cookie; false when there is none left. */
    public boolean next() {
        while (!done && pos < end) {
            int s = pos;
            int e = s;
            while (e < end && buf.get(e) != ';') e++;
            pos = e < end ? e + 1 : end;
            if (setCookie) done = true;     // only the first pair of a Set-Cookie is the cookie
            while (s < e && isBlank(buf.get(s))) s++;
            int t = e;
            while (t > s && isBlank(buf.get(t - 1))) t--;
            if (s == t) continue;           // an empty pair
            describe(s, t);
            return true;
        }
        done = true;
        return false;
    }

    private void describe(int s, int t) {
        pairStart = s;
        pairEnd = t;
        int eq = s;
        while (eq < t && buf.get(eq) != '=') eq++;
        hasEquals = eq < t;
        if (!hasEquals) {
            nameStart = nameEnd = s;
            valueStart = s;
            valueEnd = t;
        } else {
            nameStart = s;
            int n = eq;
            while (n > s && isBlank(buf.get(n - 1))) n--;
            nameEnd = n;
            int v = eq + 1;
            while (v < t && isBlank(buf.get(v))) v++;
            valueStart = v;
            valueEnd = t;
        }
        quoted = valueEnd - valueStart >= 2 && buf.get(valueStart) == '"' && buf.get(valueEnd - 1) == '"';
        if (quoted) {
            valueStart++;
            valueEnd--;
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The cookie's name equals {@code name} exactly (cookie names are case-sensitive). */
    public boolean nameIs(byte[] name) {
        if (!hasEquals || nameEnd - nameStart != name.length) return false;
        for (int i = 0; i < name.length; i++) if (buf.get(nameStart + i) != name[i]) return false;
        return true;
    }

    /** First byte of the pair (its name, or its value when it has no name). */
    public int pairStart() { return pairStart; }
    /** End of the pair, blanks excluded. */
    public int pairEnd() { return pairEnd; }
    public int nameStart() { return nameStart; }
    public int nameEnd() { return nameEnd; }
    /** First byte of the value, after the opening quote of a quoted value. */
    public int valueStart() { return valueStart; }
    /** End of the value, before the closing quote of a quoted value. */
    public int valueEnd() { return valueEnd; }
    public boolean hasEquals() { return hasEquals; }
    public boolean quoted() { return quoted; }

    /**
     * After the cookie of a Set-Cookie value: where its attributes begin (just after the {@code ;}
     * that ends the cookie), or the end of the value when it has none.
     */
    public int attributesStart() {
        return pos;
    }

    /** The first index of {@code b} in the current value, or -1. */
    public int indexInValue(byte b) {
        for (int i = valueStart; i < valueEnd; i++) if (buf.get(i) == b) return i;
        return -1;
    }
}
