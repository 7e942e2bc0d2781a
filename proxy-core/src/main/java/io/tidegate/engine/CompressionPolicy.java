package io.tidegate.engine;

import io.tidegate.config.Compression;
import io.tidegate.http.HttpSyntax;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * HTTP compression of one route as HAProxy 2.6 decides it: the algorithms and content types of the
 * backend, else of the frontend; {@code offload} in either. {@link #select} reads the request
 * (Accept-Encoding with its q-values, old Mozilla/4 agents excluded), {@link #compresses} the
 * response (HTTP/1.1 both ways, not HEAD, status 200-203, a body of known length, no
 * Content-Encoding, no {@code Cache-Control: no-transform}, one valid ETag at most, a listed
 * Content-Type that is not multipart). Built once per route at load time.
 */
final class CompressionPolicy {
    /** An algorithm: its name in the configuration and in Accept-Encoding / Content-Encoding. */
    enum Algo {
        GZIP("gzip", "gzip"), DEFLATE("deflate", "deflate"), RAW_DEFLATE("raw-deflate", "deflate"),
        IDENTITY("identity", "identity");

        final String configName;
        final byte[] token;

        Algo(String configName, String token) {
            this.configName = configName;
            this.token = token.getBytes(StandardCharsets.ISO_8859_1);
        }

        static Algo of(String configName) {
            for (Algo a : values()) if (a.configName.equals(configName)) return a;
            throw new IllegalArgumentException("compression algo " + configName);
        }
    }

    private static final byte[] ACCEPT_ENCODING = bytes("accept-encoding");
    private static final byte[] USER_AGENT = bytes("user-agent");
    private static final byte[] CONTENT_ENCODING = bytes("content-encoding");
    private static final byte[] CACHE_CONTROL = bytes("cache-control");
    private static final byte[] ETAG = bytes("etag");
    private static final byte[] CONTENT_TYPE = bytes("content-type");
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] NO_TRANSFORM = bytes("no-transform");
    private static final byte[] MULTIPART = bytes("multipart");
    private static final byte[] VARY_LINE = bytes("Vary: Accept-Encoding\r\n");
    private static final byte[] CHUNKED_LINE = bytes("Transfer-Encoding: chunked\r\n");

    private final Algo[] algos;
    private final byte[][] types;
    final boolean offload;
    private final Algo identity;

    private CompressionPolicy(List<Algo> algos, List<String> types, boolean offload) {
        // HAProxy 2.6 puts each algorithm in front of the ones before it: the last written is tried
        // first (what "*" in Accept-Encoding gets)
        this.algos = new Algo[algos.size()];
        for (int i = 0; i < this.algos.length; i++) this.algos[i] = algos.get(algos.size() - 1 - i);
        this.types = types.stream().map(t -> bytes(t.toLowerCase(Locale.ROOT))).toArray(byte[][]::new);
        this.offload = offload;
        this.identity = algos.contains(Algo.IDENTITY) ? Algo.IDENTITY : null;
    }

    /** The policy of a route: the backend's lists over the frontend's; null when no algorithm is set. */
    static CompressionPolicy of(Compression frontend, Compression backend) {
        List<String> algos = !backend.algorithms().isEmpty() ? backend.algorithms() : frontend.algorithms();
        if (algos.isEmpty()) return null;
        List<String> types = !backend.types().isEmpty() ? backend.types() : frontend.types();
        return new CompressionPolicy(algos.stream().map(Algo::of).toList(), types, backend.offload() || frontend.offload());
    }

    /** The algorithm the client's request allows, or null: the response will not be compressed. */
    Algo select(RequestHead req) {
        ByteBuffer b = req.buffer();
        int ua = req.find(USER_AGENT);
        if (ua >= 0 && oldMozilla(b, req.valueStart(ua), req.valueEnd(ua))) return null;
        Algo chosen = null;
        int bestQ = 0;
        for (int h = 0; h < req.headerCount(); h++) {
            if (!HttpSyntax.equalsIgnoreCase(b, req.lineStart(h), req.nameEnd(h), ACCEPT_ENCODING)) continue;
            int p = req.valueStart(h);
            int end = req.valueEnd(h);
            while (p < end) {
                int e = p;
                while (e < end && b.get(e) != ',') e++;
                int s = p;
                while (s < e && (b.get(s) == ' ' || b.get(s) == '\t')) s++;
                int t = s;
                while (t < e && isToken(b.get(t))) t++;
                int q = qValue(b, t, e);
                if (q > bestQ) {
                    for (Algo a : algos) {
                        if ((t > s && b.get(s) == '*') || sameIgnoreCase(b, s, t, a.token)) {
                            chosen = a;
                            bestQ = q;
                            break;
                        }
                    }
                }
                p = e + 1;
            }
        }
        return chosen != null ? chosen : identity;   // identity needs no offer
    }

    /** The Accept-Encoding lines of the request, to be left out of the forwarded head (offload). */
    void dropAcceptEncoding(RequestHead req, HeadEdits edits) {
        for (int h = 0; h < req.headerCount(); h++) {
            if (HttpSyntax.equalsIgnoreCase(req.buffer(), req.lineStart(h), req.nameEnd(h), ACCEPT_ENCODING)) {
                edits.replace(h, HeadEdits.DELETED);
            }
        }
    }

    /** Whether this response is compressed (the request chose an algorithm). */
    boolean compresses(ResponseHead rsp, boolean clientHttp11, boolean headRequest, io.tidegate.http.BodyFraming framing) {
        if (rsp.minorVersion() != 1 || !clientHttp11 || headRequest) return false;
        int st = rsp.status();
        if (st < 200 || st > 203) return false;
        if (framing != io.tidegate.http.BodyFraming.LENGTH && framing != io.tidegate.http.BodyFraming.CHUNKED) return false;
        ByteBuffer b = rsp.buffer();
        int etags = 0;
        int contentType = -1;
        for (int h = 0; h < rsp.headerCount(); h++) {
            int n0 = rsp.lineStart(h);
            int n1 = rsp.nameEnd(h);
            int v0 = rsp.valueStart(h);
            int v1 = rsp.valueEnd(h);
            if (HttpSyntax.equalsIgnoreCase(b, n0, n1, CONTENT_ENCODING)) return false;
            if (HttpSyntax.equalsIgnoreCase(b, n0, n1, CACHE_CONTROL) && containsWord(b, v0, v1, NO_TRANSFORM)) return false;
            if (HttpSyntax.equalsIgnoreCase(b, n0, n1, ETAG)) {
                if (++etags > 1 || !validEtag(b, v0, v1)) return false;
            }
            if (contentType < 0 && HttpSyntax.equalsIgnoreCase(b, n0, n1, CONTENT_TYPE)) contentType = h;
        }
        if (contentType < 0) return types.length == 0;
        int v0 = rsp.valueStart(contentType);
        int v1 = rsp.valueEnd(contentType);
        if (startsWithIgnoreCase(b, v0, v1, MULTIPART)) return false;
        if (types.length == 0) return true;
        for (byte[] t : types) if (startsWithIgnoreCase(b, v0, v1, t)) return true;
        return false;
    }

    /**
     * The head edits of a compressed response: Content-Encoding (not for identity), no
     * Content-Length, chunked transfer coding, a strong ETag made weak, {@code Vary: Accept-Encoding}.
     */
    static void editResponse(ResponseHead rsp, Algo algo, HeadEdits edits) {
        ByteBuffer b = rsp.buffer();
        for (int h = 0; h < rsp.headerCount(); h++) {
            int n0 = rsp.lineStart(h);
            int n1 = rsp.nameEnd(h);
            if (HttpSyntax.equalsIgnoreCase(b, n0, n1, CONTENT_LENGTH)) {
                edits.replace(h, HeadEdits.DELETED);
            } else if (HttpSyntax.equalsIgnoreCase(b, n0, n1, ETAG) && b.get(rsp.valueStart(h)) == '"'
                    && !edits.isReplaced(h)) {
                StringBuilder line = new StringBuilder("ETag: W/");
                SampleFetch.appendRange(line, b, rsp.valueStart(h), rsp.valueEnd(h));
                edits.replace(h, line.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        if (algo != Algo.IDENTITY) {
            edits.add(CONTENT_ENCODING, ("Content-Encoding: " + new String(algo.token, StandardCharsets.ISO_8859_1)
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (!rsp.chunked()) edits.add(bytes("transfer-encoding"), CHUNKED_LINE);
        edits.add(bytes("vary"), VARY_LINE);
    }

    /** Netscape 4 era agents ("Mozilla/4" but not MSIE 6 SV1 or later MSIE), as HAProxy 2.6 excludes them. */
    private static boolean oldMozilla(ByteBuffer b, int v0, int v1) {
        int len = v1 - v0;
        if (len < 9 || !startsWithIgnoreCase(b, v0, v1, bytes("Mozilla/4")) || b.get(v0 + 8) != '4') return false;
        if (len < 31 || !matches(b, v0 + 25, bytes("MSIE "))) return true;
        byte major = b.get(v0 + 30);
        if (major < '6') return true;
        return major == '6' && (len < 54 || !matches(b, v0 + 51, bytes("SV1")));
    }

    /** q=... of one Accept-Encoding element after its token, 0..1000; 1000 when absent. */
    private static int qValue(ByteBuffer b, int from, int to) {
        int p = from;
        while (p < to) {
            while (p < to && (b.get(p) == ' ' || b.get(p) == '\t')) p++;
            if (p >= to || b.get(p) != ';') return 1000;
            p++;
            while (p < to && (b.get(p) == ' ' || b.get(p) == '\t')) p++;
            if (p + 1 < to && (b.get(p) | 0x20) == 'q' && b.get(p + 1) == '=') {
                p += 2;
                if (p >= to) return 0;
                if (b.get(p) == '1') return 1000;
                if (b.get(p) != '0') return 0;
                int q = 0;
                int digits = 0;
                if (p + 1 < to && b.get(p + 1) == '.') {
                    for (int i = p + 2; i < to && digits < 3 && Character.isDigit(b.get(i)); i++, digits++) q = q * 10 + (b.get(i) - '0');
                }
                while (digits++ < 3) q *= 10;
                return q;
            }
            while (p < to && b.get(p) != ';') p++;
        }
        return 1000;
    }

    private static boolean validEtag(ByteBuffer b, int v0, int v1) {
        int p = v0;
        if (v1 - p >= 2 && b.get(p) == 'W' && b.get(p + 1) == '/') p += 2;
        return v1 - p >= 2 && b.get(p) == '"' && b.get(v1 - 1) == '"';
    }

    private static boolean containsWord(ByteBuffer b, int v0, int v1, byte[] word) {
        for (int i = v0; i + word.length <= v1; i++) {
            if (sameIgnoreCase(b, i, i + word.length, word) && (i == v0 || !isToken(b.get(i - 1)))
                    && (i + word.length == v1 || !isToken(b.get(i + word.length)))) return true;
        }
        return false;
    }

    private static boolean isToken(byte c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static boolean sameIgnoreCase(ByteBuffer b, int from, int to, byte[] s) {
        if (to - from != s.length) return false;
        return startsWithIgnoreCase(b, from, to, s);
    }

    private static boolean startsWithIgnoreCase(ByteBuffer b, int from, int to, byte[] s) {
        if (to - from < s.length) return false;
        for (int i = 0; i < s.length; i++) {
            if (Character.toLowerCase(b.get(from + i)) != Character.toLowerCase(s[i])) return false;
        }
        return true;
    }

    private static boolean matches(ByteBuffer b, int at, byte[] s) {
        for (int i = 0; i < s.length; i++) if (b.get(at + i) != s[i]) return false;
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
