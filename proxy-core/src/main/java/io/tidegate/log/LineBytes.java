package io.tidegate.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * One IO thread's access-log line, formatted straight into bytes: the text (Latin-1; a character
 * above U+00FF is written '?'), then framed by a sink into the thread's direct buffer, which a
 * channel sends without another copy. {@link #get()} returns the calling thread's instance; nothing
 * here allocates per line: the dates of a second are formatted once and kept as bytes.
 */
public final class LineBytes {
    private static final ThreadLocal<LineBytes> PER_THREAD = ThreadLocal.withInitial(LineBytes::new);
    private static final byte[][] MONTHS = bytesOf("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");
    /** The longest framed line a sink sends (longer lines are cut, the LF kept). */
    static final int MAX_FRAMED = 65536 + 256;

    /** When the line was made (for the syslog header). */
    public long epochMillis;
    private byte[] text = new byte[256];
    private int length;
    private final ByteBuffer framed = ByteBuffer.allocateDirect(MAX_FRAMED);
    private final byte[] header = new byte[96];
    private final byte[] digits = new byte[20];
    private final byte[] date = new byte[20];        // 05/Dec/2026:11:22:26
    private long dateSecond = Long.MIN_VALUE;
    private final byte[] syslogDate = new byte[15];  // Dec  5 11:22:26
    private long syslogSecond = Long.MIN_VALUE;
    private final byte[] isoDate = new byte[20];     // 2026-12-05T11:22:26.
    private long isoSecond = Long.MIN_VALUE;

    /** Texts of the addresses this thread logged last, by identity (a server's address is one object for its life). */
    private final java.net.InetAddress[] addresses = new java.net.InetAddress[4];
    private final byte[][] addressTexts = new byte[4][io.tidegate.net.AddressText.MAX_LENGTH];
    private final int[] addressLengths = new int[4];
    private int nextAddressSlot;

    private LineBytes() {
    }

    /** The calling thread's line, emptied, stamped with the current time. */
    public static LineBytes get() {
        LineBytes l = PER_THREAD.get();
        l.length = 0;
        l.epochMillis = System.currentTimeMillis();
        return l;
    }

    /** A fresh line not tied to a thread (tests). */
    public static LineBytes detached() {
        LineBytes l = new LineBytes();
        l.epochMillis = System.currentTimeMillis();
        return l;
    }

    public int length() {
        return length;
    }

    public byte byteAt(int i) {
        return text[i];
    }

    /** Cuts the line to its first {@code n} bytes. */
    public void setLength(int n) {
        length = n;
    }

    /**
     * The text as a string (for WildFly's logging, which wants one): the line's bytes read as UTF-8,
     * as configuration literals and most clients' non-ASCII bytes are (a byte that is no UTF-8 shows
     * as U+FFFD; the syslog sinks send the bytes themselves).
     */
    public String text() {
        return new String(text, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }

    private void room(int n) {
        if (length + n > text.length) text = java.util.Arrays.copyOf(text, Math.max(text.length * 2, length + n));
    }

    public LineBytes put(char c) {
        room(1);
        text[length++] = c < 0x100 ? (byte) c : (byte) '?';
        return this;
    }

    public LineBytes put(CharSequence s) {
        return put(s, 0, s.length());
    }

    public LineBytes put(CharSequence s, int from, int to) {
        room(to - from);
        byte[] t = text;
        int n = length;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            t[n++] = c < 0x100 ? (byte) c : (byte) '?';
        }
        length = n;
        return this;
    }

    public LineBytes put(byte[] b, int from, int to) {
        room(to - from);
        System.arraycopy(b, from, text, length, to - from);
        length += to - from;
        return this;
    }

    /** Appends {@code v} in decimal. */
    public LineBytes put(long v) {
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) return put("-9223372036854775808");
            text[length++] = '-';
            v = -v;
        }
        length = decimal(text, length, v);
        return this;
    }

    /**
     * Appends {@code a} as HAProxy prints an address ({@link io.tidegate.net.AddressText}: {@code ::1},
     * not Java's {@code 0:0:0:0:0:0:0:1}); allocates only for an address object this thread has not
     * logged among its last four.
     */
    public LineBytes putAddress(java.net.InetAddress a) {
        int slot = -1;
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] == a) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slot = nextAddressSlot;
            nextAddressSlot = (slot + 1) % addresses.length;
            addressLengths[slot] = io.tidegate.net.AddressText.write(a.getAddress(), addressTexts[slot], 0);
            addresses[slot] = a;
        }
        return put(addressTexts[slot], 0, addressLengths[slot]);
    }

    /** Appends {@code c} as HAProxy escapes a byte in a log line: {@code #XX}, upper-case hex. */
    public LineBytes putEscaped(int c) {
        room(3);
        text[length++] = '#';
        text[length++] = HEX[(c >> 4) & 15];
        text[length++] = HEX[c & 15];
        return this;
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** Appends HAProxy's log date {@code 05/Dec/2026:11:22:26.714} (UTC). */
    public LineBytes putDate(long epochMs) {
        long second = Math.floorDiv(epochMs, 1000);
        if (second != dateSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC);
            int p = two(date, 0, t.getDayOfMonth());
            date[p++] = '/';
            System.arraycopy(MONTHS[t.getMonthValue() - 1], 0, date, p, 3);
            p += 3;
            date[p++] = '/';
            int y = t.getYear();
            date[p++] = (byte) ('0' + y / 1000 % 10);
            date[p++] = (byte) ('0' + y / 100 % 10);
            date[p++] = (byte) ('0' + y / 10 % 10);
            date[p++] = (byte) ('0' + y % 10);
            date[p++] = ':';
            p = two(date, p, t.getHour());
            date[p++] = ':';
            p = two(date, p, t.getMinute());
            date[p++] = ':';
            two(date, p, t.getSecond());
            dateSecond = second;
        }
        room(24);
        System.arraycopy(date, 0, text, length, date.length);
        length += date.length;
        text[length++] = '.';
        millis(text, length, (int) Math.floorMod(epochMs, 1000));
        length += 3;
        return this;
    }

    /**
     * The line framed as {@code format} says (see {@link SyslogFraming}), cut so that header and text
     * take at most {@code maxLength - 1} bytes, then a LF: the thread's direct buffer, ready to read.
     */
    ByteBuffer frame(SyslogFraming.Format format, int facility, int level, int maxLength) {
        int h = switch (format) {
            case RAW -> 0;
            case SHORT -> {
                header[0] = '<';
                int p = decimal(header, 1, level);
                header[p] = '>';
                yield p + 1;
            }
            case RFC3164 -> {
                header[0] = '<';
                int p = decimal(header, 1, facility * 8 + level);
                header[p++] = '>';
                p = syslogDate(p);
                p = ascii(header, p, " " + SyslogFraming.TAG + "[");
                p = decimal(header, p, SyslogFraming.PID);
                yield ascii(header, p, "]: ");
            }
            case RFC5424 -> {
                header[0] = '<';
                int p = decimal(header, 1, facility * 8 + level);
                p = ascii(header, p, ">1 ");
                p = isoDate(p);
                p = ascii(header, p, " - " + SyslogFraming.TAG + " ");
                p = decimal(header, p, SyslogFraming.PID);
                yield ascii(header, p, " - - ");
            }
        };
        ByteBuffer out = framed;
        out.clear();
        int limit = Math.min(out.capacity() - 1, maxLength - 1);
        int hn = Math.max(0, Math.min(h, limit));
        out.put(header, 0, hn);
        int tn = Math.max(0, Math.min(length, limit - hn));
        out.put(text, 0, tn);
        out.put((byte) '\n');
        return out.flip();
    }

    private int syslogDate(int p) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != syslogSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC);
            System.arraycopy(MONTHS[t.getMonthValue() - 1], 0, syslogDate, 0, 3);
            syslogDate[3] = ' ';
            int d = t.getDayOfMonth();
            syslogDate[4] = d < 10 ? (byte) ' ' : (byte) ('0' + d / 10);
            syslogDate[5] = (byte) ('0' + d % 10);
            syslogDate[6] = ' ';
            timeOfDay(syslogDate, 7, t);
            syslogSecond = second;
        }
        System.arraycopy(syslogDate, 0, header, p, syslogDate.length);
        return p + syslogDate.length;
    }

    private int isoDate(int p) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != isoSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC);
            int y = t.getYear();
            isoDate[0] = (byte) ('0' + y / 1000 % 10);
            isoDate[1] = (byte) ('0' + y / 100 % 10);
            isoDate[2] = (byte) ('0' + y / 10 % 10);
            isoDate[3] = (byte) ('0' + y % 10);
            isoDate[4] = '-';
            two(isoDate, 5, t.getMonthValue());
            isoDate[7] = '-';
            two(isoDate, 8, t.getDayOfMonth());
            isoDate[10] = 'T';
            timeOfDay(isoDate, 11, t);
            isoDate[19] = '.';
            isoSecond = second;
        }
        System.arraycopy(isoDate, 0, header, p, isoDate.length);
        p += isoDate.length;
        millis(header, p, (int) Math.floorMod(epochMillis, 1000));
        return ascii(header, p + 3, "000+00:00");
    }

    private static void millis(byte[] b, int p, int ms) {
        b[p] = (byte) ('0' + ms / 100);
        b[p + 1] = (byte) ('0' + ms / 10 % 10);
        b[p + 2] = (byte) ('0' + ms % 10);
    }

    /** Writes {@code hh:mm:ss} of {@code t} at {@code p} (both syslog dates carry it). */
    private static void timeOfDay(byte[] b, int p, ZonedDateTime t) {
        two(b, p, t.getHour());
        b[p + 2] = ':';
        two(b, p + 3, t.getMinute());
        b[p + 5] = ':';
        two(b, p + 6, t.getSecond());
    }

    private static int two(byte[] b, int p, int v) {
        b[p] = (byte) ('0' + v / 10 % 10);
        b[p + 1] = (byte) ('0' + v % 10);
        return p + 2;
    }

    private int decimal(byte[] b, int p, long v) {
        int d = digits.length;
        do {
            digits[--d] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        int n = digits.length - d;
        System.arraycopy(digits, d, b, p, n);
        return p + n;
    }

    private static int ascii(byte[] b, int p, String s) {
        for (int i = 0; i < s.length(); i++) b[p++] = (byte) s.charAt(i);
        return p;
    }

    private static byte[][] bytesOf(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) out[i] = s[i].getBytes(StandardCharsets.US_ASCII);
        return out;
    }
}
