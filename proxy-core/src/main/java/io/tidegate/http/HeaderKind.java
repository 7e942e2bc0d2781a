package io.tidegate.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The header fields Tidegate acts on; everything else is {@link #OTHER} and passes untouched. */
public enum HeaderKind {
    OTHER(""),
    HOST("host"),
    COOKIE("cookie"),
    SET_COOKIE("set-cookie"),
    CONNECTION("connection"),
    CONTENT_LENGTH("content-length"),
    TRANSFER_ENCODING("transfer-encoding"),
    UPGRADE("upgrade"),
    EXPECT("expect"),
    KEEP_ALIVE("keep-alive"),
    PROXY_CONNECTION("proxy-connection"),
    TE("te"),
    TRAILER("trailer"),
    HTTP2_SETTINGS("http2-settings"),
    CACHE_CONTROL("cache-control");

    private static final HeaderKind[] VALUES = values();
    final byte[] lowerName;

    HeaderKind(String name) {
        this.lowerName = name.getBytes(StandardCharsets.US_ASCII);
    }

    /** Classifies the name in buf[from, to) (case-insensitive). */
    static HeaderKind of(ByteBuffer buf, int from, int to) {
        int len = to - from;
        int first = HttpSyntax.lower(buf.get(from));
        for (int i = 1; i < VALUES.length; i++) {
            byte[] n = VALUES[i].lowerName;
            if (n.length == len && n[0] == first && HttpSyntax.equalsIgnoreCase(buf, from, to, n)) {
                return VALUES[i];
            }
        }
        return OTHER;
    }
}
