package io.tidegate.engine;

import io.tidegate.http.HeaderKind;
import io.tidegate.http.MessageHead;
import java.nio.ByteBuffer;

/**
 * {@code capture cookie NAME len N}: finds the first request cookie (Cookie lines) or response
 * cookie (Set-Cookie lines) whose name starts with NAME and copies its "name=value", cut to N
 * bytes, for the log line. No allocation: the copy goes into the session's own array.
 */
final class CookieCapturer {
    private CookieCapturer() {
    }

    /** Copies the captured request cookie into {@code out}; returns its length, -1 when there is none. */
    static int request(MessageHead h, byte[] name, byte[] out) {
        ByteBuffer b = h.buffer();
        for (int i = 0; i < h.headerCount(); i++) {
            if (h.kind(i) != HeaderKind.COOKIE) continue;
            int p = h.valueStart(i);
            int end = h.valueEnd(i);
            while (p < end) {
                while (p < end && (b.get(p) == ' ' || b.get(p) == '\t' || b.get(p) == ';')) p++;
                int s = p;
                while (p < end && b.get(p) != ';') p++;
                int e = p;
                while (e > s && (b.get(e - 1) == ' ' || b.get(e - 1) == '\t')) e--;
                if (startsWith(b, s, e, name)) return copy(b, s, e, out);
            }
        }
        return -1;
    }

    /** Copies the captured Set-Cookie's "name=value" into {@code out}; returns its length, -1 when none. */
    static int response(MessageHead h, byte[] name, byte[] out) {
        ByteBuffer b = h.buffer();
        for (int i = 0; i < h.headerCount(); i++) {
            if (h.kind(i) != HeaderKind.SET_COOKIE) continue;
            int s = h.valueStart(i);
            int e = s;
            int end = h.valueEnd(i);
            while (e < end && b.get(e) != ';') e++;
            while (e > s && (b.get(e - 1) == ' ' || b.get(e - 1) == '\t')) e--;
            if (startsWith(b, s, e, name)) return copy(b, s, e, out);
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer b, int s, int e, byte[] name) {
        if (e - s < name.length) return false;
        for (int k = 0; k < name.length; k++) if (b.get(s + k) != name[k]) return false;
        return true;
    }

    private static int copy(ByteBuffer b, int s, int e, byte[] out) {
        int n = Math.min(e - s, out.length);
        b.get(s, out, 0, n);
        return n;
    }
}
