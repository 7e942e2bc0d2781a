package io.tidegate.engine;

import io.tidegate.http.HeaderKind;
import io.tidegate.http.HttpSyntax;
import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the head Tidegate forwards: the received bytes copied in ranges, with the lines Tidegate
 * changes dropped or rewritten and its own lines added before the empty line. Nothing else of the
 * message is rebuilt.
 */
final class HeadWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] COOKIE_PREFIX = ascii("Cookie: ");
    private static final byte[] SET_COOKIE_PREFIX = ascii("Set-Cookie: ");
    private static final byte[] CACHE_PRIVATE = ascii("Cache-Control: private\r\n");

    private HeadWriter() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the Connection header of a forwarded message must say. */
    enum ConnectionEdit { KEEP, CLOSE, KEEP_ALIVE }

    /**
     * The forwarded request head. {@code forwardedFor} is the complete extra header line (or null);
     * {@code cookie}: the persistence cookie to strip (indirect insert) or unprefix (prefix), or null.
     */
    static void request(RequestHead h, ByteBuffer out, ConnectionEdit connection, byte[] forwardedFor,
                        CookiePolicy cookie) {
        ByteBuffer in = h.buffer();
        copy(out, in, h.start(), h.startLineEnd());
        for (int i = 0; i < h.headerCount(); i++) {
            HeaderKind k = h.kind(i);
            if (connection != ConnectionEdit.KEEP && (k == HeaderKind.CONNECTION || k == HeaderKind.KEEP_ALIVE)) continue;
            if (k == HeaderKind.COOKIE && cookie != null && (cookie.indirect() || cookie.mode() == CookiePolicy.Mode.PREFIX)) {
                writeRequestCookieLine(h, i, out, cookie);
                continue;
            }
            copy(out, in, h.lineStart(i), h.lineEnd(i));
        }
        if (connection == ConnectionEdit.CLOSE) out.put(CONNECTION_CLOSE);
        else if (connection == ConnectionEdit.KEEP_ALIVE) out.put(CONNECTION_KEEP_ALIVE);
        if (forwardedFor != null) out.put(forwardedFor);
        out.put(CRLF);
    }

    /**
     * The forwarded response head. {@code insertCookie} is a complete Set-Cookie line to add (or
     * null); {@code prefixValue} the server's cookie value to prefix to the persistence cookie the
     * server sets (prefix mode), or null.
     */
    static void response(ResponseHead h, ByteBuffer out, ConnectionEdit connection, byte[] insertCookie,
                         boolean nocache, CookiePolicy cookie, String prefixValue) {
        ByteBuffer in = h.buffer();
        copy(out, in, h.start(), h.startLineEnd());
        for (int i = 0; i < h.headerCount(); i++) {
            HeaderKind k = h.kind(i);
            if (connection != ConnectionEdit.KEEP && (k == HeaderKind.CONNECTION || k == HeaderKind.KEEP_ALIVE)) continue;
            if (k == HeaderKind.SET_COOKIE && prefixValue != null && startsWithCookie(in, h.valueStart(i), h.valueEnd(i), cookie.name())) {
                out.put(SET_COOKIE_PREFIX);
                int nameEnd = h.valueStart(i) + cookie.name().length() + 1;   // past '='
                copy(out, in, h.valueStart(i), nameEnd);
                out.put(ascii(prefixValue + "~"));
                copy(out, in, nameEnd, h.valueEnd(i));
                out.put(CRLF);
                continue;
            }
            copy(out, in, h.lineStart(i), h.lineEnd(i));
        }
        if (connection == ConnectionEdit.CLOSE) out.put(CONNECTION_CLOSE);
        else if (connection == ConnectionEdit.KEEP_ALIVE) out.put(CONNECTION_KEEP_ALIVE);
        if (insertCookie != null) {
            out.put(insertCookie);
            if (nocache) out.put(CACHE_PRIVATE);
        }
        out.put(CRLF);
    }

    /** A head forwarded without any change (interim and 101 responses). */
    static void unchanged(MessageHead h, ByteBuffer out) {
        copy(out, h.buffer(), h.start(), h.end());
    }

    private static boolean startsWithCookie(ByteBuffer in, int from, int to, String name) {
        int n = name.length();
        if (to - from <= n || in.get(from + n) != '=') return false;
        for (int j = 0; j < n; j++) if (in.get(from + j) != name.charAt(j)) return false;
        return true;
    }

    /** Rewrites one Cookie line: drops the persistence cookie (indirect) or strips its "X~" prefix. */
    private static void writeRequestCookieLine(RequestHead h, int line, ByteBuffer out, CookiePolicy cookie) {
        ByteBuffer in = h.buffer();
        int p = h.valueStart(line);
        int end = h.valueEnd(line);
        int mark = out.position();
        out.put(COOKIE_PREFIX);
        int written = 0;
        while (p < end) {
            int ps = p;
            while (p < end && in.get(p) != ';') p++;
            int pe = p;
            while (pe > ps && (in.get(pe - 1) == ' ' || in.get(pe - 1) == '\t')) pe--;
            p++;   // skip ';'
            while (p < end && (in.get(p) == ' ' || in.get(p) == '\t')) p++;
            if (pe == ps) continue;
            int vs = ps;
            if (startsWithCookie(in, ps, pe, cookie.name())) {
                if (cookie.mode() == CookiePolicy.Mode.INSERT) continue;    // indirect: the server never sees it
                int valueStart = ps + cookie.name().length() + 1;
                int tilde = valueStart;
                while (tilde < pe && in.get(tilde) != '~') tilde++;
                if (tilde < pe) {
                    if (written++ > 0) { out.put((byte) ';'); out.put((byte) ' '); }
                    copy(out, in, ps, valueStart);
                    copy(out, in, tilde + 1, pe);
                    continue;
                }
            }
            if (written++ > 0) { out.put((byte) ';'); out.put((byte) ' '); }
            copy(out, in, vs, pe);
        }
        if (written == 0) {
            out.position(mark);   // nothing left: drop the line
        } else {
            out.put(CRLF);
        }
    }

    /** Whether the response sets the cookie {@code name} (prefix mode rewrites only then). */
    static boolean setsCookie(ResponseHead h, String name) {
        for (int i = 0; i < h.headerCount(); i++) {
            if (h.kind(i) == HeaderKind.SET_COOKIE && startsWithCookie(h.buffer(), h.valueStart(i), h.valueEnd(i), name)) {
                return true;
            }
        }
        return false;
    }

    /** The persistence cookie value the client sent (first occurrence), or null. */
    static String requestCookie(RequestHead h, String name) {
        ByteBuffer in = h.buffer();
        for (int i = 0; i < h.headerCount(); i++) {
            if (h.kind(i) != HeaderKind.COOKIE) continue;
            int p = h.valueStart(i);
            int end = h.valueEnd(i);
            while (p < end) {
                int ps = p;
                while (p < end && in.get(p) != ';') p++;
                int pe = p;
                while (pe > ps && (in.get(pe - 1) == ' ' || in.get(pe - 1) == '\t')) pe--;
                p++;
                while (p < end && (in.get(p) == ' ' || in.get(p) == '\t')) p++;
                if (startsWithCookie(in, ps, pe, name)) {
                    return HttpSyntax.ascii(in, ps + name.length() + 1, pe);
                }
            }
        }
        return null;
    }

    private static void copy(ByteBuffer out, ByteBuffer in, int from, int to) {
        int len = to - from;
        out.put(out.position(), in, from, len);
        out.position(out.position() + len);
    }
}
