package io.tidegate.engine;

import java.nio.ByteBuffer;

/**
 * Decoders of the first bytes a client sends, for HAProxy's layer 6 fetches (doc/configuration.txt
 * 7.3.5): the TLS record and ClientHello (hello type, version, server name, session ticket extension)
 * and the cookie of an RDP connection request. Each reads {@code [from, to)} of a buffer in place,
 * never past {@code to}, allocates nothing and returns either a value (a number, or a byte range
 * packed by {@link #range}) or one of two negative codes: {@link #TOO_SHORT} when more bytes could
 * still give a value, {@link #NONE} when no byte that may follow changes the answer (not TLS, no
 * such extension, garbage).
 */
final class RequestContents {
    /** More bytes are needed to know (HAProxy's SMP_F_MAY_CHANGE). */
    static final long TOO_SHORT = -2;
    /** There is no value, whatever follows. */
    static final long NONE = -1;

    /** The smallest ClientHello body with one cipher, one compression method and the extensions length. */
    private static final int MIN_HELLO = 2 + 32 + 1 + 2 + 2 + 1 + 1 + 2;
    private static final byte[] COOKIE = {'c', 'o', 'o', 'k', 'i', 'e', ':'};

    private RequestContents() {
    }

    /** {@code [from, to)} packed into one non-negative long. */
    static long range(int from, int to) {
        return ((long) from << 32) | to;
    }

    static int from(long range) {
        return (int) (range >>> 32);
    }

    static int to(long range) {
        return (int) range;
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    private static int u16(ByteBuffer b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int u24(ByteBuffer b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }

    /**
     * req.ssl_hello_type: the handshake type of the first TLS record (1 = ClientHello) once that
     * handshake message is complete. Records of type 20..23 (and 255, as HAProxy) are considered.
     */
    static long helloType(ByteBuffer b, int from, int to) {
        int n = to - from;
        if (n < 1) return TOO_SHORT;
        int type = u8(b, from);
        if ((type < 0x14 || type > 0x17) && type != 0xff) return NONE;
        if (n < 9) return TOO_SHORT;
        if (u8(b, from + 1) < 3) return NONE;                 // SSLv3 record format or later
        if (u16(b, from + 3) < 4) return NONE;                // room for the handshake type and length
        int helloLength = u24(b, from + 6);
        if (n < 9L + helloLength) return TOO_SHORT;
        return u8(b, from + 5);
    }

    /**
     * req.ssl_ver: the version the client asks for, as (major &lt;&lt; 16) + minor: the ClientHello's
     * version in an SSLv3/TLS record, or the version of an SSLv2 hello; once the message (as far
     * as the buffer can hold it, {@code capacity}) is there.
     */
    static long sslVersion(ByteBuffer b, int from, int to, int capacity) {
        int n = to - from;
        if (n < 1) return TOO_SHORT;
        int first = u8(b, from);
        int version;
        int messageLength;
        int p;
        if ((first >= 0x14 && first <= 0x17) || first == 0xff) {
            if (n < 11) return TOO_SHORT;
            if (u8(b, from + 1) < 3) return NONE;
            messageLength = u16(b, from + 3);
            if (messageLength < 6 || messageLength > (1 << 14) + 2048) return NONE;
            p = from + 5;
            version = (u8(b, p + 4) << 16) | u8(b, p + 5);
        } else {
            int recordLength;
            int padding;
            if ((first & 0x80) != 0) {                        // SSLv2 short header: 15 bits of length
                if (n < 3) return TOO_SHORT;
                recordLength = ((first & 0x7f) << 8) | u8(b, from + 1);
                padding = 0;
                p = from + 2;
            } else {                                          // long header: 14 bits + padding length
                if (n < 4) return TOO_SHORT;
                recordLength = ((first & 0x3f) << 8) | u8(b, from + 1);
                padding = u8(b, from + 2);
                p = from + 3;
            }
            if (u8(b, p) != 0x01) return NONE;                // only the client hello
            p++;
            if (to - p < 8) return TOO_SHORT;
            version = (u8(b, p) << 16) | u8(b, p + 1);
            int ciphers = u16(b, p + 2);
            int session = u16(b, p + 4);
            int challenge = u16(b, p + 6);
            p += 8;
            if (ciphers % 3 != 0 || (session != 0 && session != 16) || challenge < 16 || challenge > 32
                    || recordLength != 9 + ciphers + session + challenge) {
                return NONE;
            }
            messageLength = ciphers + session + challenge + padding;
        }
        int room = capacity - (p - from);
        if (messageLength > room) messageLength = room;
        if (to - p < messageLength) return TOO_SHORT;
        return version;
    }

    /**
     * The extensions of a complete TLS ClientHello at {@code from}, packed; TOO_SHORT while the
     * hello is incomplete; NONE when the bytes are no TLS 1.0+ ClientHello with extensions held in
     * the first record.
     */
    static long helloExtensions(ByteBuffer b, int from, int to) {
        int n = to - from;
        if (n < 1) return TOO_SHORT;
        if (u8(b, from) != 0x16) return NONE;                 // handshake record
        if (n < 3) return TOO_SHORT;
        if (u8(b, from + 1) < 3) return NONE;
        if (n < 5) return TOO_SHORT;
        int recordLength = u16(b, from + 3);
        if (recordLength < 4 + MIN_HELLO) return NONE;
        if (n < 6) return TOO_SHORT;
        if (u8(b, from + 5) != 0x01) return NONE;             // ClientHello
        if (n < 9) return TOO_SHORT;
        int helloLength = u24(b, from + 6);
        if (helloLength < MIN_HELLO || 4 + helloLength > recordLength) return NONE;
        if (n < 9 + helloLength) return TOO_SHORT;
        int p = from + 9;
        int end = p + helloLength;
        if (u8(b, p) < 3 || u8(b, p + 1) < 1) return NONE;    // TLS 1.0 or later
        p += 2 + 32;                                          // version, random
        int session = u8(b, p++);
        if (session > 32 || session > end - p) return NONE;
        p += session;
        if (end - p < 2) return NONE;
        int ciphers = u16(b, p);
        p += 2;
        if (ciphers < 2 || ciphers > end - p) return NONE;
        p += ciphers;
        if (end - p < 1) return NONE;
        int compressions = u8(b, p++);
        if (compressions < 1 || compressions > end - p) return NONE;
        p += compressions;
        if (end - p < 2) return NONE;
        int extensions = u16(b, p);
        p += 2;
        if (extensions > end - p) return NONE;
        return range(p, p + extensions);
    }

    /**
     * The data of the first entry of type {@code type} in a list of (type, 16-bit length, data)
     * entries in {@code [from, to)} whose types take {@code typeSize} bytes (2 for TLS extensions,
     * 1 for server names), packed; NONE when it is absent or the list is malformed.
     */
    private static long entry(ByteBuffer b, int from, int to, int typeSize, int type) {
        int p = from;
        while (to - p >= typeSize + 2) {
            int t = typeSize == 1 ? u8(b, p) : u16(b, p);
            int length = u16(b, p + typeSize);
            p += typeSize + 2;
            if (length > to - p) return NONE;
            if (t == type) return range(p, p + length);
            p += length;
        }
        return NONE;
    }

    /** req.ssl_sni: the host_name of the server_name extension (RFC 6066) of a complete ClientHello. */
    static long serverName(ByteBuffer b, int from, int to) {
        long ext = helloExtensions(b, from, to);
        if (ext < 0) return ext;
        long sni = entry(b, from(ext), to(ext), 2, 0);
        if (sni < 0) return NONE;
        int p = from(sni);
        int end = to(sni);
        if (end - p < 2) return NONE;
        int listLength = u16(b, p);
        p += 2;
        if (listLength > end - p) return NONE;
        long name = entry(b, p, p + listLength, 1, 0);
        return name < 0 || to(name) == from(name) ? NONE : name;
    }

    /**
     * req.ssl_st_ext: 0 when the complete ClientHello has no SessionTicket extension, 1 when it has
     * an empty one, 2 when it carries a ticket.
     */
    static long sessionTicket(ByteBuffer b, int from, int to) {
        long ext = helloExtensions(b, from, to);
        if (ext < 0) return ext;
        long ticket = entry(b, from(ext), to(ext), 2, 35);
        if (ticket < 0) return 0;
        return to(ticket) > from(ticket) ? 2 : 1;
    }

    /**
     * req.rdp_cookie([name]): the value of the cookie line of an RDP connection request (the
     * X.224 payload after the 11 bytes of TPKT and X.224 headers: {@code Cookie: NAME=VALUE\r\n}),
     * of the cookie {@code name} (compared ignoring case) or of any cookie when it is null.
     */
    static long rdpCookie(ByteBuffer b, int from, int to, byte[] name) {
        int p = from + 11;
        if (to - p <= COOKIE.length) return TOO_SHORT;
        for (int i = 0; i < COOKIE.length; i++) {
            if (lower(b.get(p + i)) != COOKIE[i]) return NONE;
        }
        p += COOKIE.length;
        while (p < to && b.get(p) == ' ') p++;
        if (name != null) {
            if (to - p <= name.length) return TOO_SHORT;
            if (b.get(p + name.length) != '=') return NONE;
            for (int i = 0; i < name.length; i++) {
                if (lower(b.get(p + i)) != lower(name[i])) return NONE;
            }
            p += name.length + 1;
        } else {
            while (p < to && b.get(p) != '=') {
                if (b.get(p) == '\r' || b.get(p) == '\n') return NONE;
                p++;
            }
            if (p >= to) return TOO_SHORT;
            p++;
        }
        int value = p;
        while (p < to && b.get(p) != '\r') p++;
        if (to - p < 2) return TOO_SHORT;
        if (b.get(p + 1) != '\n') return NONE;
        return range(value, p);
    }

    private static int lower(byte c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
