package io.tidegate.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The payload of a chunked body that {@link io.tidegate.http.ChunkedScanner} has already checked
 * (sizes in hex, optional extensions after {@code ;}, CRLF after each chunk, trailers after the last):
 * the chunks' data, concatenated. Used where Tidegate reads a body itself: the stats page's POST
 * ({@link #decode(byte[])}) and the request rules' view of a body ({@code req.body}, reusing one
 * instance and its caller's scratch array per connection).
 */
final class Dechunk {
    /** What the last {@link #decode(ByteBuffer, int, int, byte[])} left of a chunk cut short: its data still to come. */
    long leftInLastChunk;

    /**
     * Decodes {@code b[from, to)} into {@code out} (at least {@code to - from} long) and returns the
     * number of data bytes; a chunk cut short counts with what arrived of it.
     */
    int decode(ByteBuffer b, int from, int to, byte[] out) {
        int n = 0;
        int i = from;
        leftInLastChunk = 0;
        while (i < to) {
            long size = 0;
            int digit;
            while (i < to && (digit = Character.digit(b.get(i), 16)) >= 0) {
                size = size * 16 + digit;
                i++;
            }
            while (i < to && b.get(i) != '\n') i++;          // extensions, CR
            if (i >= to || size == 0) break;                 // a size line cut short, or the last chunk
            i++;
            int k = (int) Math.min(size, to - i);
            b.get(i, out, n, k);
            n += k;
            i += k + 2;                                      // data, CRLF
            if (k < size) leftInLastChunk = size - k;
        }
        return n;
    }

    /** The data of a whole chunked body. */
    static byte[] decode(byte[] raw) {
        byte[] out = new byte[raw.length];
        int n = new Dechunk().decode(ByteBuffer.wrap(raw), 0, raw.length, out);
        return Arrays.copyOf(out, n);
    }
}
