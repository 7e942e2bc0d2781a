package io.tidegate.health;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the TLS record that carries a ClientHello (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2): a TLS 1.2
 * hello that also offers TLS 1.3 through {@code supported_versions}, with the cipher suites, groups and
 * signature algorithms that current servers accept, so a TLS server answers it with a ServerHello
 * (or a HelloRetryRequest, which is a ServerHello too). It carries no server name. The handshake is
 * never completed: the check only looks at the first record of the answer.
 */
final class TlsClientHello {

    static final int CONTENT_ALERT = 0x15;
    static final int CONTENT_HANDSHAKE = 0x16;
    static final int HANDSHAKE_CLIENT_HELLO = 1;
    static final int HANDSHAKE_SERVER_HELLO = 2;

    private static final int[] CIPHER_SUITES = {
        0x1301, 0x1302, 0x1303,                 // TLS 1.3 AES-128-GCM, AES-256-GCM, CHACHA20
        0xC02B, 0xC02F, 0xC02C, 0xC030,         // ECDHE-ECDSA/RSA with AES-GCM
        0xCCA9, 0xCCA8,                         // ECDHE-ECDSA/RSA with CHACHA20-POLY1305
        0xC009, 0xC013, 0xC00A, 0xC014,         // ECDHE with AES-CBC
        0x009C, 0x009D, 0x002F, 0x0035,         // RSA key exchange
        0x00FF                                  // renegotiation info SCSV
    };
    private static final int[] GROUPS = {0x001D, 0x0017, 0x0018, 0x0019};  // x25519, P-256, P-384, P-521
    private static final int[] SIGNATURE_SCHEMES = {
        0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201
    };

    private TlsClientHello() {
    }

    /** A complete TLS record containing one ClientHello with a fresh random. */
    static byte[] record() {
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);

        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        u16(body, 0x0303);                       // legacy_version TLS 1.2
        body.writeBytes(random);
        body.write(0);                           // empty session id
        u16(body, CIPHER_SUITES.length * 2);
        for (int c : CIPHER_SUITES) {
            u16(body, c);
        }
        body.write(1);                           // compression methods: null only
        body.write(0);
        byte[] ext = extensions();
        u16(body, ext.length);
        body.writeBytes(ext);
        byte[] hello = body.toByteArray();

        ByteArrayOutputStream rec = new ByteArrayOutputStream(hello.length + 9);
        rec.write(CONTENT_HANDSHAKE);
        u16(rec, 0x0301);                        // record version TLS 1.0 for compatibility
        u16(rec, hello.length + 4);
        rec.write(HANDSHAKE_CLIENT_HELLO);
        u24(rec, hello.length);
        rec.writeBytes(hello);
        return rec.toByteArray();
    }

    /** An extension whose data is one list of 16-bit values (length-prefixed), as supported_groups. */
    private static void listExtension(ByteArrayOutputStream e, int type, int[] values) {
        u16(e, type);
        u16(e, 2 + values.length * 2);
        u16(e, values.length * 2);
        for (int v : values) {
            u16(e, v);
        }
    }

    private static byte[] extensions() {
        ByteArrayOutputStream e = new ByteArrayOutputStream(128);
        listExtension(e, 0x000A, GROUPS);     // supported_groups
        // ec_point_formats: uncompressed
        u16(e, 0x000B);
        u16(e, 2);
        e.write(1);
        e.write(0);
        listExtension(e, 0x000D, SIGNATURE_SCHEMES);     // signature_algorithms
        // renegotiation_info: empty
        u16(e, 0xFF01);
        u16(e, 1);
        e.write(0);
        // key_share: empty (RFC 8446 §9.2 requires it next to supported_groups; the server then
        // answers TLS 1.3 with a HelloRetryRequest, itself a ServerHello)
        u16(e, 0x0033);
        u16(e, 2);
        u16(e, 0);
        // supported_versions: TLS 1.3, TLS 1.2
        u16(e, 0x002B);
        u16(e, 5);
        e.write(4);
        u16(e, 0x0304);
        u16(e, 0x0303);
        return e.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write((v >>> 16) & 0xff);
        u16(out, v & 0xffff);
    }
}
