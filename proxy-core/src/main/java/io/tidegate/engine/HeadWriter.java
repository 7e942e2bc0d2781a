package io.tidegate.engine;

import io.tidegate.http.HeaderKind;
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
    private static final byte[] CONNECTION_UPGRADE = ascii("Connection: upgrade\r\n");

    private HeadWriter() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * What the Connection header of a forwarded message must say: as received, close, keep-alive,
     * or nothing (DROP: HTTP/1.1 keeps the connection open by default, so "keep-alive" is noise).
     */
    enum ConnectionEdit { KEEP, CLOSE, KEEP_ALIVE, DROP }

    /**
     * The forwarded request head. {@code forwardedFor} is the complete extra header line (or null);
     * {@code cookies}: the exchange's persistence cookie when it edits the Cookie lines, or null.
     */
    static void request(RequestHead h, ByteBuffer out, ConnectionEdit connection, byte[] forwardedFor,
                        CookieExchange cookies) {
        request(h, out, connection, forwardedFor, cookies, null);
    }

    /** As above, with the edits of http-request rules ({@code edits}, null = none) spliced in. */
    static void request(RequestHead h, ByteBuffer out, ConnectionEdit connection, byte[] forwardedFor,
                        CookieExchange cookies, HeadEdits edits) {
        ByteBuffer in = h.buffer();
        boolean strip = h.hasHopByHop();
        if (edits != null && edits.startLine() != null) out.put(edits.startLine());
        else copy(out, in, h.start(), h.startLineEnd());
        for (int i = 0; i < h.headerCount(); i++) {
            HeaderKind k = h.kind(i);
            if (strip && h.isHopByHop(i)) continue;
            if ((connection != ConnectionEdit.KEEP || strip) && (k == HeaderKind.CONNECTION || k == HeaderKind.KEEP_ALIVE)) continue;
            if (edits != null && edits.line(i) != null) {
                out.put(edits.line(i));
                continue;
            }
            if (k == HeaderKind.COOKIE && cookies != null) {
                cookies.writeRequestLine(h, i, out);
                continue;
            }
            copy(out, in, h.lineStart(i), h.lineEnd(i));
        }
        if (edits != null) edits.writeAdded(out);
        if (connection == ConnectionEdit.CLOSE) out.put(CONNECTION_CLOSE);
        else if (connection == ConnectionEdit.KEEP_ALIVE) out.put(CONNECTION_KEEP_ALIVE);
        else if (strip) {
            // the client's Connection line named hop-by-hop fields: say only what still holds
            if (h.connectionClose()) out.put(CONNECTION_CLOSE);
            else if (h.upgradeCarriedOut()) out.put(CONNECTION_UPGRADE);
            else if (h.connectionKeepAlive() && h.minorVersion() == 0) out.put(CONNECTION_KEEP_ALIVE);
        }
        if (forwardedFor != null) out.put(forwardedFor);
        out.put(CRLF);
    }

    /**
     * The forwarded response head. {@code cookies}: the exchange's persistence cookie when it edits
     * Set-Cookie lines or inserts one (then also Cache-Control with nocache), or null.
     */
    static void response(ResponseHead h, ByteBuffer out, ConnectionEdit connection, CookieExchange cookies) {
        response(h, out, connection, cookies, null);
    }

    /** As above, with the edits of http-response rules ({@code edits}, null = none) spliced in. */
    static void response(ResponseHead h, ByteBuffer out, ConnectionEdit connection, CookieExchange cookies,
                         HeadEdits edits) {
        ByteBuffer in = h.buffer();
        boolean strip = h.hasHopByHop();
        if (edits != null && edits.startLine() != null) out.put(edits.startLine());
        else copy(out, in, h.start(), h.startLineEnd());
        for (int i = 0; i < h.headerCount(); i++) {
            HeaderKind k = h.kind(i);
            if (strip && h.isHopByHop(i)) continue;
            if ((connection != ConnectionEdit.KEEP || strip) && (k == HeaderKind.CONNECTION || k == HeaderKind.KEEP_ALIVE)) continue;
            if (edits != null && edits.line(i) != null) {
                out.put(edits.line(i));
                continue;
            }
            if (k == HeaderKind.SET_COOKIE && cookies != null && cookies.writeResponseLine(h, i, out)) continue;
            copy(out, in, h.lineStart(i), h.lineEnd(i));
        }
        if (edits != null) edits.writeAdded(out);
        if (connection == ConnectionEdit.CLOSE) out.put(CONNECTION_CLOSE);
        else if (connection == ConnectionEdit.KEEP_ALIVE) out.put(CONNECTION_KEEP_ALIVE);
        else if (strip) {
            if (h.connectionClose()) out.put(CONNECTION_CLOSE);
            else if (h.connectionKeepAlive() && h.minorVersion() == 0) out.put(CONNECTION_KEEP_ALIVE);
        }
        if (cookies != null) cookies.writeAddedLines(out);
        out.put(CRLF);
    }

    /** A head forwarded without any change (interim and 101 responses). */
    static void unchanged(MessageHead h, ByteBuffer out) {
        copy(out, h.buffer(), h.start(), h.end());
    }

    private static void copy(ByteBuffer out, ByteBuffer in, int from, int to) {
        int len = to - from;
        out.put(out.position(), in, from, len);
        out.position(out.position() + len);
    }
}
