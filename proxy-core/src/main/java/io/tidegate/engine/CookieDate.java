package io.tidegate.engine;

import java.nio.ByteBuffer;

/**
 * The dates HAProxy writes into an inserted persistence cookie when {@code maxidle} or
 * {@code maxlife} is set: {@code VALUE|LAST|FIRST}, each date a count of 4-second units since the
 * epoch (30 bits) written as 5 characters of the base64 alphabet (A-Z a-z 0-9 + /), most
 * significant first, without padding. Tidegate reads and writes the same form, so cookies stay
 * valid when clients move between HAProxy and Tidegate.
 */
final class CookieDate {
    static final byte DELIMITER = '|';
    static final int LENGTH = 5;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CookieDate() {
    }

    /** Writes the date of {@code epochSeconds} (rounded up to the next 4-second unit, as HAProxy). */
    static void write(ByteBuffer out, long epochSeconds) {
        writeUnits(out, (int) (((epochSeconds + 3) >> 2) & 0x3fffffff));
    }

    /** Writes a date that was read from a cookie ({@link #read}) unchanged. */
    static void writeSame(ByteBuffer out, long epochSeconds) {
        writeUnits(out, (int) ((epochSeconds >> 2) & 0x3fffffff));
    }

    private static void writeUnits(ByteBuffer out, int units) {
        for (int shift = 24; shift >= 0; shift -= 6) out.put(ALPHABET[(units >> shift) & 0x3f]);
    }

    /** The date at {@code in[from, from + 5)} in epoch seconds, or -1 when it is not a date. */
    static long read(ByteBuffer in, int from, int to) {
        if (to - from < LENGTH) return -1;
        long units = 0;
        for (int i = 0; i < LENGTH; i++) {
            int d = digit(in.get(from + i));
            if (d < 0) return -1;
            units = (units << 6) | d;
        }
        return units << 2;
    }

    private static int digit(byte c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }
}
