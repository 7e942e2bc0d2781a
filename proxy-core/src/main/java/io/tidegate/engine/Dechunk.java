package io.tidegate.engine;

import java.io.ByteArrayOutputStream;

/**
 * The payload of a chunked body that {@link io.tidegate.http.ChunkedScanner} has already checked
 * (sizes in hex, optional extensions after {@code ;}, CRLF after each chunk, trailers after the last):
 * the chunks' data, concatenated. Used for the small bodies Tidegate reads itself (the stats page's POST).
 */
final class Dechunk {
    private Dechunk() {
    }

    static byte[] decode(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int i = 0;
        while (i < raw.length) {
            long size = 0;
            while (i < raw.length && Character.digit(raw[i], 16) >= 0) size = size * 16 + Character.digit(raw[i++], 16);
            while (i < raw.length && raw[i] != '\n') i++;       // extensions, CR
            i++;                                                // LF
            if (size == 0) break;                               // the last chunk; trailers are not data
            int n = (int) Math.min(size, raw.length - i);
            out.write(raw, i, Math.max(0, n));
            i += n + 2;                                         // data, CRLF
        }
        return out.toByteArray();
    }
}
