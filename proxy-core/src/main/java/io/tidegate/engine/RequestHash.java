package io.tidegate.engine;

import io.tidegate.config.Balance;
import io.tidegate.http.RequestHead;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

/**
 * The hash key of a request for the hash-based algorithms: {@code source} (the client address),
 * {@code uri [len N] [depth N] [whole]} (the path, or path and query), {@code url_param NAME} and
 * {@code hdr(NAME)} (their value). sdbm over the bytes, as HAProxy's default hash function, read in
 * place. {@link #NONE} when the request has no such value: the backend then balances round robin,
 * as HAProxy does. {@code rdp-cookie[(NAME)]} hashes the value of the cookie NAME (mstshash by default)
 * of an RDP connection request in the request contents, which a {@code tcp-request content} rule
 * with {@code tcp-request inspect-delay} waited for (e.g. {@code accept if RDP_COOKIE}).
 */
final class RequestHash {
    static final long NONE = Long.MIN_VALUE;

    private final String algorithm;
    private final int len;
    private final int depth;
    private final boolean whole;
    private final SampleFetch.UrlParam param;
    private final byte[] header;
    private final byte[] rdpCookie;

    RequestHash(Balance b) {
        this.algorithm = b.algorithm().keyword();
        List<String> args = b.arguments();
        int l = 0;
        int d = 0;
        boolean w = false;
        if (algorithm.equals("uri")) {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "len" -> l = Integer.parseInt(args.get(++i));
                    case "depth" -> d = Integer.parseInt(args.get(++i));
                    case "whole" -> w = true;
                    default -> { }
                }
            }
        }
        this.len = l;
        this.depth = d;
        this.whole = w;
        this.param = algorithm.equals("url_param") ? new SampleFetch.UrlParam(args.get(0)) : null;
        this.header = algorithm.equals("hdr") ? b.parameter().toLowerCase(Locale.ROOT).getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1) : null;
        this.rdpCookie = algorithm.equals("rdp-cookie") ? (b.parameter() == null ? "mstshash" : b.parameter())
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : null;
    }

    /** Whether this algorithm hashes something of the request or connection. */
    static boolean hashes(Balance b) {
        return switch (b.algorithm()) {
            case SOURCE, URI, URL_PARAM, HDR, RDP_COOKIE -> true;
            default -> false;
        };
    }

    long key(ExchangeFacts x) {
        switch (algorithm) {
            case "source" -> {
                long h = 0;
                for (byte v : x.src) h = sdbm(h, v);
                return h;
            }
            case "uri" -> {
                RequestHead r = x.req;
                if (r == null) return NONE;
                ByteBuffer b = r.buffer();
                int from = SampleFetch.pathStart(r);
                int to = whole ? r.targetEnd() : SampleFetch.queryMark(r, from);
                if (len > 0) to = Math.min(to, from + len);
                long h = 0;
                int slashes = 0;
                for (int i = from; i < to; i++) {
                    byte v = b.get(i);
                    if (v == '/' && depth > 0 && ++slashes > depth) break;
                    h = sdbm(h, v);
                }
                return h;
            }
            case "url_param" -> {
                if (x.req == null) return NONE;
                long v = param.find(x.req);
                return v < 0 ? NONE : range(x.req.buffer(), (int) (v >>> 32), (int) v);
            }
            case "hdr" -> {
                RequestHead r = x.req;
                if (r == null) return NONE;
                int i = r.find(header);
                if (i < 0 || r.valueEnd(i) == r.valueStart(i)) return NONE;
                return range(r.buffer(), r.valueStart(i), r.valueEnd(i));
            }
            case "rdp-cookie" -> {
                if (x.contents == null) return NONE;
                long v = RequestContents.rdpCookie(x.contents, x.contentsFrom, x.contentsTo, rdpCookie);
                if (v < 0 || RequestContents.to(v) == RequestContents.from(v)) return NONE;
                return range(x.contents, RequestContents.from(v), RequestContents.to(v));
            }
            default -> {
                return NONE;
            }
        }
    }

    private static long range(ByteBuffer b, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) h = sdbm(h, b.get(i));
        return h;
    }

    private static long sdbm(long h, byte v) {
        return (v & 0xff) + (h << 6) + (h << 16) - h;
    }
}
