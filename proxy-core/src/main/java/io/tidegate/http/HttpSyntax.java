package io.tidegate.http;

import java.nio.ByteBuffer;

/** Byte classes of RFC 9110/9112 and small helpers to compare bytes in a buffer. */
public final class HttpSyntax {
    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_CHAR = new boolean[256];
    private static final boolean[] TARGET_CHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
        for (int c = 0x21; c <= 0x7e; c++) { FIELD_CHAR[c] = true; TARGET_CHAR[c] = true; }
        for (int c = 0x80; c <= 0xff; c++) FIELD_CHAR[c] = true;   // obs-text is allowed in values
        TARGET_CHAR['#'] = false;   // a fragment is never sent (RFC 9112 3.2); HAProxy 2.6 answers 400 too
        FIELD_CHAR[' '] = true;
        FIELD_CHAR['\t'] = true;
    }

    private HttpSyntax() {
    }

    public static boolean isTchar(int b) {
        return TCHAR[b & 0xff];
    }

    /** A byte allowed inside a field value (VCHAR, obs-text, SP, HTAB). */
    public static boolean isFieldChar(int b) {
        return FIELD_CHAR[b & 0xff];
    }

    /** A byte allowed in a request-target (visible ASCII but '#'). */
    public static boolean isTargetChar(int b) {
        return TARGET_CHAR[b & 0xff];
    }

    static int lower(int b) {
        return (b >= 'A' && b <= 'Z') ? b + 32 : b;
    }

    /** Case-insensitive comparison of buf[from, to) with a lower-case ASCII name. */
    public static boolean equalsIgnoreCase(ByteBuffer buf, int from, int to, byte[] lowerName) {
        if (to - from != lowerName.length) return false;
        for (int i = 0; i < lowerName.length; i++) {
            if (lower(buf.get(from + i)) != lowerName[i]) return false;
        }
        return true;
    }

    /** Case-sensitive comparison of buf[from, to) with bytes. */
    public static boolean equalsExact(ByteBuffer buf, int from, int to, byte[] bytes) {
        if (to - from != bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) {
            if (buf.get(from + i) != bytes[i]) return false;
        }
        return true;
    }

    public static String ascii(ByteBuffer buf, int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) b[i] = buf.get(from + i);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
