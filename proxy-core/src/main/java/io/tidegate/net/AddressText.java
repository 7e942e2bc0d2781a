package io.tidegate.net;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * An IP address as HAProxy prints it (it calls the C library's {@code inet_ntop}): IPv4 dotted,
 * IPv6 in RFC 5952's compressed form ({@code ::1}, {@code 2001:db8::1}: lower-case hex without leading
 * zeros, the first longest run of two or more zero groups written {@code ::}), with glibc's two mixed
 * forms {@code ::ffff:a.b.c.d} (IPv4-mapped) and {@code ::a.b.c.d} (six zero groups then a non-zero
 * seventh; {@code ::2} stays hex as glibc 2.36 prints it). Java's {@link InetAddress#getHostAddress()} writes every group instead
 * ({@code 0:0:0:0:0:0:0:1}), which breaks log parsers and scripts written for HAProxy.
 * {@link #write} formats into a caller's array without allocating.
 */
public final class AddressText {
    /** The longest text {@link #write} produces ({@code ffff:ffff:...:ffff} is 39; a mixed form at most 45). */
    public static final int MAX_LENGTH = 45;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private AddressText() {
    }

    /** The text of {@code address}: its 4 or 16 bytes (no scope id, as HAProxy). */
    public static String of(InetAddress address) {
        return of(address.getAddress());
    }

    public static String of(byte[] address) {
        byte[] out = new byte[MAX_LENGTH];
        return new String(out, 0, write(address, out, 0), StandardCharsets.US_ASCII);
    }

    /**
     * Writes the text of a 4- or 16-byte address into {@code out} from {@code p} (room for
     * {@link #MAX_LENGTH} bytes needed); returns the position after it.
     */
    public static int write(byte[] address, byte[] out, int p) {
        if (address.length == 4) return dotted(address, 0, out, p);
        if (address.length != 16) throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (group(address, i) == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 0;
                }
                curLen++;
                if (curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
            } else {
                curBase = -1;
            }
        }
        if (bestLen < 2) bestBase = -1;
        for (int i = 0; i < 8; i++) {
            if (i == bestBase) {
                out[p++] = ':';
                if (bestBase + bestLen == 8) out[p++] = ':';
                i += bestLen - 1;
                continue;
            }
            if (i > 0) out[p++] = ':';
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && group(address, 5) == 0xffff))) {
                return dotted(address, 12, out, p);
            }
            p = hex(group(address, i), out, p);
        }
        return p;
    }

    private static int group(byte[] a, int i) {
        return (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    }

    private static int hex(int v, byte[] out, int p) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >> shift) & 15;
            if (d != 0 || started || shift == 0) {
                out[p++] = HEX[d];
                started = true;
            }
        }
        return p;
    }

    private static int dotted(byte[] a, int from, byte[] out, int p) {
        for (int i = from; i < from + 4; i++) {
            if (i > from) out[p++] = '.';
            int v = a[i] & 0xff;
            if (v >= 100) out[p++] = (byte) ('0' + v / 100);
            if (v >= 10) out[p++] = (byte) ('0' + v / 10 % 10);
            out[p++] = (byte) ('0' + v % 10);
        }
        return p;
    }
}
