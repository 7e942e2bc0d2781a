package io.tidegate.engine;

import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A sample fetch of HAProxy's ACL language at run time: presents the values it finds in the
 * exchange to a {@link PatternMatcher}, as byte ranges of the receive buffer (no copy), integers,
 * addresses or booleans, and says whether one matched. A fetch that finds no value matches nothing.
 */
abstract class SampleFetch {

    abstract boolean any(ExchangeFacts x, PatternMatcher m);

    /** Appends the first value of this fetch to {@code out} as text (for {@code %[fetch]} in rule values). */
    abstract void append(ExchangeFacts x, StringBuilder out);

    /** True when the value is the same for every request of a connection (src, dst, their ports). */
    boolean perConnection() {
        return false;
    }

    /** The type of this fetch's value for converters ({@link ConverterChain#STR}, INT or IP). */
    int sampleType() {
        return ConverterChain.STR;
    }

    /**
     * {@code FETCH,CONVERTER,...} given as the fetch expression text: the plain fetch when there are
     * no converters (ACLs then match in place), else the fetch followed by its converter chain.
     */
    static SampleFetch expression(String expr, Function<String, RuntimeBackend> backends, RuntimeBackend own,
                                  RuleScope scope) {
        List<String> parts = io.tidegate.config.ConverterSpec.splitTopLevel(expr);
        String f = parts.get(0);
        String name = f.contains("(") ? f.substring(0, f.indexOf('(')) : f;
        List<String> args = f.contains("(") ? List.of(f.substring(f.indexOf('(') + 1, f.lastIndexOf(')')).split(","))
                : List.of();
        SampleFetch fetch = of(name, args, backends, own, scope);
        return parts.size() == 1 ? fetch : new Converted(fetch, ConverterChain.compile(parts.subList(1, parts.size())));
    }

    /** A fetch followed by converters: the value is built (allocating) and then matched. */
    static final class Converted extends SampleFetch {
        private final SampleFetch fetch;
        private final ConverterChain chain;

        Converted(SampleFetch fetch, ConverterChain chain) {
            this.fetch = fetch;
            this.chain = chain;
        }

        ConverterChain.Sample value(ExchangeFacts x) {
            StringBuilder sb = new StringBuilder(32);
            fetch.append(x, sb);
            ConverterChain.Sample v = new ConverterChain.Sample();
            int type = fetch.sampleType();
            if (sb.length() == 0) v.set(ConverterChain.NONE, 0, null);
            else if (type == ConverterChain.INT) v.set(type, Long.parseLong(sb.toString()), null);
            else v.set(type, 0, sb.toString());
            chain.apply(v, x);
            return v;
        }

        /** Every value of the fetch (each header occurrence, as in HAProxy's ACLs) goes through the chain. */
        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            return fetch.any(x, new PatternMatcher() {
                private boolean convert(ConverterChain.Sample v) {
                    chain.apply(v, x);
                    return Converted.matches(v, m);
                }

                @Override
                boolean matchRange(ByteBuffer b, int from, int to) {
                    StringBuilder sb = new StringBuilder(to - from);
                    appendRange(sb, b, from, to);
                    return convert(new ConverterChain.Sample().set(ConverterChain.STR, 0, sb.toString()));
                }

                @Override
                boolean matchLong(long v) {
                    return convert(new ConverterChain.Sample().set(ConverterChain.INT, v, null));
                }

                @Override
                boolean matchAddress(byte[] a) {
                    return convert(new ConverterChain.Sample().set(ConverterChain.IP, 0, io.tidegate.net.AddressText.of(a)));
                }

                @Override
                boolean matchBool(boolean v) {
                    return matchLong(v ? 1 : 0);
                }
            });
        }

        static boolean matches(ConverterChain.Sample v, PatternMatcher m) {
            return switch (v.type) {
                case ConverterChain.NONE -> false;
                case ConverterChain.INT -> m.matchLong(v.n);
                case ConverterChain.IP -> m.matchAddress(ConverterChain.ipBytes(v.s));
                default -> {
                    byte[] b = v.s.getBytes(StandardCharsets.ISO_8859_1);
                    yield m.matchRange(ByteBuffer.wrap(b), 0, b.length);
                }
            };
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            ConverterChain.Sample v = value(x);
            if (v.type != ConverterChain.NONE) out.append(v.text());
        }

        @Override
        boolean perConnection() {
            return false;     // concat may read a variable
        }

        @Override
        int sampleType() {
            return ConverterChain.STR;
        }
    }

    /**
     * The fetch named {@code name} (a base name of {@link io.tidegate.config.AclFetches}) with its
     * arguments. {@code backends} resolves nbsrv's argument; {@code own} is the proxy's own backend.
     */
    static SampleFetch of(String name, List<String> args, Function<String, RuntimeBackend> backends,
                          RuntimeBackend own) {
        return of(name, args, backends, own, n -> null);
    }

    /** As {@link #of(String, List, Function, RuntimeBackend)}; {@code userlists} resolves http_auth's list. */
    static SampleFetch of(String name, List<String> args, Function<String, RuntimeBackend> backends,
                          RuntimeBackend own, RuleScope userlists) {
        String a0 = args.isEmpty() ? null : args.get(0).strip();
        int occ = args.size() > 1 && args.get(1).strip().matches("-?[0-9]+") ? Integer.parseInt(args.get(1).strip()) : 0;
        return switch (name) {
            case "src" -> new Address(true);
            case "dst" -> new Address(false);
            case "src_port" -> new Int(x -> (long) x.srcPort, true);
            case "dst_port" -> new Int(x -> (long) x.dstPort(), true);
            case "nbsrv" -> {
                RuntimeBackend b = a0 == null ? own : backends.apply(a0);
                if (b == null) throw new IllegalArgumentException("nbsrv: no backend '" + a0 + "'");
                yield new Int(x -> (long) b.usableServerCount());
            }
            case "always_true", "req.proto_http" -> new Bool(true);
            case "always_false", "ssl_fc" -> new Bool(false);
            case "ssl_fc_sni" -> new Absent();
            case "path" -> new RequestPart(RequestPart.PATH);
            case "url" -> new RequestPart(RequestPart.URL);
            case "query" -> new RequestPart(RequestPart.QUERY);
            case "method" -> new RequestPart(RequestPart.METHOD);
            case "req.ver" -> new RequestPart(RequestPart.VERSION);
            case "base" -> new Base();
            case "url_param", "urlp" -> new UrlParam(a0);
            case "req.cook", "cook" -> new RequestCookie(a0);
            case "req.hdr", "hdr" -> new Header(a0, occ, true, name.equals("hdr") ? Side.EITHER : Side.REQUEST);
            case "req.fhdr", "fhdr" -> new Header(a0, occ, false, name.equals("fhdr") ? Side.EITHER : Side.REQUEST);
            case "res.hdr", "shdr" -> new Header(a0, occ, true, Side.RESPONSE);
            case "res.fhdr" -> new Header(a0, occ, false, Side.RESPONSE);
            case "req.hdr_cnt" -> headerCount(a0, Side.REQUEST);
            case "hdr_cnt" -> headerCount(a0, Side.EITHER);
            case "res.hdr_cnt", "shdr_cnt" -> headerCount(a0, Side.RESPONSE);
            case "req.hdr_val" -> headerValue(a0, occ, Side.REQUEST);
            case "hdr_val" -> headerValue(a0, occ, Side.EITHER);
            case "status" -> new Int(x -> x.rsp == null ? Long.MIN_VALUE : (long) x.rsp.status());
            case "req.body" -> new RequestBody();
            case "req.body_len" -> new Int(ExchangeFacts::bodyLength);
            case "req.body_size" -> new Int(ExchangeFacts::bodySize);
            case "req.body_param" -> new BodyParam(a0);
            case "var" -> new Variable(a0);
            case "http_auth", "http_auth_group" -> {
                UserlistAuth list = userlists.apply(a0);
                if (list == null) throw new IllegalArgumentException(name + ": no userlist '" + a0 + "'");
                yield name.equals("http_auth") ? new Authenticated(list) : new AuthenticatedGroups(list);
            }
            case "str" -> new Constant(args.isEmpty() ? "" : String.join(",", args));
            case "int" -> {
                long v = Long.parseLong(a0);
                yield new Int(x -> v, true);
            }
            case "req.len", "req_len" -> new ContentsNumber(ContentsNumber.LENGTH);
            case "req.ssl_hello_type", "req_ssl_hello_type" -> new ContentsNumber(ContentsNumber.HELLO_TYPE);
            case "req.ssl_ver", "req_ssl_ver" -> new ContentsNumber(ContentsNumber.SSL_VERSION);
            case "req.ssl_st_ext" -> new ContentsNumber(ContentsNumber.SESSION_TICKET);
            case "req.rdp_cookie_cnt", "rdp_cookie_cnt" -> new RdpCookieCount(a0);
            case "req.ssl_sni", "req_ssl_sni" -> new ContentsText(null, false);
            case "req.rdp_cookie", "rdp_cookie" -> new ContentsText(a0 == null || a0.isEmpty() ? null : a0, true);
            case "req.payload", "payload" -> new Payload(Integer.parseInt(a0), Integer.parseInt(args.get(1).strip()));
            case "req.payload_lv", "payload_lv" -> new PayloadLv(Integer.parseInt(a0), Integer.parseInt(args.get(1).strip()),
                    args.size() > 2 ? args.get(2).strip() : null);
            case "wait_end" -> new WaitEnd();
            case "table_cnt" -> StickCounterFetch.tableCount(args, userlists);
            default -> {
                io.tidegate.config.CounterFetch counter = io.tidegate.config.CounterFetch.parse(name)
                        .orElseThrow(() -> new IllegalArgumentException("unsupported fetch " + name));
                yield StickCounterFetch.of(counter, name, args, userlists);
            }
        };
    }

    // ------------------------------------------------------------------ request contents (layer 6)

    /**
     * req.len, req.ssl_hello_type, req.ssl_ver, req.ssl_st_ext: integers read from the request
     * contents. req.len may grow, so a pattern it does not match yet may match later.
     */
    static final class ContentsNumber extends SampleFetch {
        static final int LENGTH = 0, HELLO_TYPE = 1, SSL_VERSION = 2, SESSION_TICKET = 3;
        private final int kind;

        ContentsNumber(int kind) {
            this.kind = kind;
        }

        long value(ExchangeFacts x) {
            ByteBuffer b = x.contents;
            int from = x.contentsFrom;
            int to = x.contentsTo;
            return switch (kind) {
                case LENGTH -> to - from;
                case HELLO_TYPE -> RequestContents.helloType(b, from, to);
                case SSL_VERSION -> RequestContents.sslVersion(b, from, to, x.contentsCapacity);
                default -> RequestContents.sessionTicket(b, from, to);
            };
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            if (x.contents == null) return false;
            long v = value(x);
            if (v == RequestContents.TOO_SHORT) return x.incomplete();
            if (v < 0) return false;
            if (m.matchLong(v)) return true;
            return kind == LENGTH ? x.incomplete() : false;
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            if (x.contents == null) return;
            long v = value(x);
            if (v >= 0) out.append(v);
        }
    }

    /**
     * A fetch whose value is a byte range of the request contents, found by {@link #range}: packed
     * (see {@link RequestContents#range}), or TOO_SHORT while more contents are needed, or NONE.
     */
    abstract static class ContentsRange extends SampleFetch {
        abstract long range(ExchangeFacts x);

        /** True when a range that does not match now may match once more contents arrive. */
        boolean mayGrow() {
            return false;
        }

        @Override
        final boolean any(ExchangeFacts x, PatternMatcher m) {
            if (x.contents == null) return false;
            long r = range(x);
            if (r == RequestContents.TOO_SHORT) return x.incomplete();
            if (r < 0) return false;
            if (m.matchRange(x.contents, RequestContents.from(r), RequestContents.to(r))) return true;
            return mayGrow() && x.incomplete();
        }

        @Override
        final void append(ExchangeFacts x, StringBuilder out) {
            if (x.contents == null) return;
            long r = range(x);
            if (r >= 0) appendRange(out, x.contents, RequestContents.from(r), RequestContents.to(r));
        }
    }

    /** req.ssl_sni and req.rdp_cookie([NAME]): text read in place in the request contents. */
    static final class ContentsText extends ContentsRange {
        private final byte[] cookieName;
        private final boolean rdp;

        ContentsText(String cookieName, boolean rdp) {
            this.cookieName = cookieName == null ? null : cookieName.getBytes(StandardCharsets.ISO_8859_1);
            this.rdp = rdp;
        }

        @Override
        long range(ExchangeFacts x) {
            return rdp ? RequestContents.rdpCookie(x.contents, x.contentsFrom, x.contentsTo, cookieName)
                    : RequestContents.serverName(x.contents, x.contentsFrom, x.contentsTo);
        }
    }

    /** req.rdp_cookie_cnt([NAME]): 1 when the RDP cookie is there, 0 when the request has none. */
    static final class RdpCookieCount extends SampleFetch {
        private final byte[] cookieName;

        RdpCookieCount(String cookieName) {
            this.cookieName = cookieName == null || cookieName.isEmpty() ? null
                    : cookieName.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            if (x.contents == null) return false;
            long v = RequestContents.rdpCookie(x.contents, x.contentsFrom, x.contentsTo, cookieName);
            if (v == RequestContents.TOO_SHORT) return x.incomplete();
            return m.matchLong(v >= 0 ? 1 : 0);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            if (x.contents == null) return;
            long v = RequestContents.rdpCookie(x.contents, x.contentsFrom, x.contentsTo, cookieName);
            if (v != RequestContents.TOO_SHORT) out.append(v >= 0 ? 1 : 0);
        }
    }

    /**
     * req.payload(OFFSET,LENGTH): LENGTH bytes at OFFSET of the contents, binary; LENGTH 0 = all
     * from OFFSET on (which may still grow). Nothing while they are not all there; never anything
     * when they cannot fit in the buffer.
     */
    static final class Payload extends ContentsRange {
        private final int offset;
        private final int length;

        Payload(int offset, int length) {
            if (offset < 0 || length < 0) throw new IllegalArgumentException("req.payload: negative offset or length");
            this.offset = offset;
            this.length = length;
        }

        @Override
        long range(ExchangeFacts x) {
            if ((long) offset + length > x.contentsCapacity) return RequestContents.NONE;
            int data = x.contentsTo - x.contentsFrom;
            if (offset + length > data) return RequestContents.TOO_SHORT;
            int from = x.contentsFrom + offset;
            return RequestContents.range(from, length == 0 ? x.contentsTo : from + length);
        }

        @Override
        boolean mayGrow() {
            return length == 0;
        }
    }

    /**
     * req.payload_lv(OFFSET1,LENGTH[,OFFSET2]): the block whose length is the big-endian integer of
     * LENGTH bytes at OFFSET1; it starts after that integer, at OFFSET2, or OFFSET2 after it when
     * OFFSET2 is written with a sign.
     */
    static final class PayloadLv extends ContentsRange {
        private final int lengthOffset;
        private final int lengthSize;
        private final boolean relative;
        private final int blockOffset;

        PayloadLv(int lengthOffset, int lengthSize, String blockOffset) {
            if (lengthOffset < 0 || lengthSize <= 0 || lengthSize > 4) {
                throw new IllegalArgumentException("req.payload_lv: bad offset or length size");
            }
            this.lengthOffset = lengthOffset;
            this.lengthSize = lengthSize;
            this.relative = blockOffset == null || blockOffset.startsWith("+") || blockOffset.startsWith("-");
            this.blockOffset = blockOffset == null ? 0 : Integer.parseInt(blockOffset);
        }

        @Override
        long range(ExchangeFacts x) {
            ByteBuffer b = x.contents;
            int data = x.contentsTo - x.contentsFrom;
            if (lengthOffset + lengthSize > data) return RequestContents.TOO_SHORT;
            long size = 0;
            for (int i = 0; i < lengthSize; i++) size = (size << 8) | (b.get(x.contentsFrom + lengthOffset + i) & 0xff);
            long start = relative ? (long) lengthOffset + lengthSize + blockOffset : blockOffset;
            long max = x.contentsCapacity;
            if (size == 0 || start < 0 || size > max || start + size > max) return RequestContents.NONE;
            if (start + size > data) return RequestContents.TOO_SHORT;
            int from = x.contentsFrom + (int) start;
            return RequestContents.range(from, from + (int) size);
        }
    }

    /** wait_end: no value while more contents may be waited for, then true (the predefined ACL WAIT_END). */
    static final class WaitEnd extends SampleFetch {
        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            if (!x.contentsFinal) return x.incomplete();
            return m.matchBool(true);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            if (x.contentsFinal) out.append('1');
        }
    }

    enum Side { REQUEST, RESPONSE, EITHER }

    /** The head a header fetch reads, or null when it is not available. */
    static MessageHead head(ExchangeFacts x, Side side) {
        return switch (side) {
            case REQUEST -> x.responseSide ? null : x.req;
            case RESPONSE -> x.rsp;
            default -> x.responseSide ? x.rsp : x.req;
        };
    }

    static void appendRange(StringBuilder out, ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) out.append((char) (b.get(i) & 0xff));
    }

    // ------------------------------------------------------------------ connection

    static final class Address extends SampleFetch {
        private final boolean source;

        Address(boolean source) {
            this.source = source;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            return m.matchAddress(source ? x.src : x.dst());
        }

        @Override
        boolean perConnection() {
            return true;
        }

        @Override
        int sampleType() {
            return ConverterChain.IP;
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            out.append(io.tidegate.net.AddressText.of(source ? x.src : x.dst()));
        }
    }

    static final class Int extends SampleFetch {
        private final java.util.function.ToLongFunction<ExchangeFacts> value;
        private final boolean perConnection;

        Int(java.util.function.ToLongFunction<ExchangeFacts> value) {
            this(value, false);
        }

        Int(java.util.function.ToLongFunction<ExchangeFacts> value, boolean perConnection) {
            this.value = value;
            this.perConnection = perConnection;
        }

        @Override
        boolean perConnection() {
            return perConnection;
        }

        @Override
        int sampleType() {
            return ConverterChain.INT;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            long v = value.applyAsLong(x);
            return v != Long.MIN_VALUE && m.matchLong(v);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            long v = value.applyAsLong(x);
            if (v != Long.MIN_VALUE) out.append(v);
        }
    }

    static final class Bool extends SampleFetch {
        private final boolean value;

        Bool(boolean value) {
            this.value = value;
        }

        @Override
        int sampleType() {
            return ConverterChain.INT;     // a boolean casts to the integer 0 or 1
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            return m.matchBool(value);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            out.append(value ? '1' : '0');
        }
    }

    /** A fetch that never has a value here (e.g. ssl_fc_sni while Tidegate has no TLS). */
    static final class Absent extends SampleFetch {
        @Override boolean any(ExchangeFacts x, PatternMatcher m) { return false; }
        @Override void append(ExchangeFacts x, StringBuilder out) { }
    }

    /** var(SCOPE.NAME): a variable set by set-var; no value when unset. */
    static final class Variable extends SampleFetch {
        private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() ->
                ByteBuffer.allocate(MessageHead.MAX_HEAD_SIZE));
        private final String name;

        Variable(String name) {
            this.name = name;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            byte[] v = x.var(name);
            if (v == null) return false;
            ByteBuffer s = SCRATCH.get();
            s.clear();
            int n = Math.min(v.length, s.capacity());
            s.put(v, 0, n);
            return m.matchRange(s, 0, n);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            byte[] v = x.var(name);
            if (v != null) out.append(new String(v, StandardCharsets.ISO_8859_1));
        }
    }

    /** http_auth(L): the request's Basic credentials are valid in userlist L. */
    static final class Authenticated extends SampleFetch {
        private final UserlistAuth list;

        Authenticated(UserlistAuth list) {
            this.list = list;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            if (x.responseSide) return false;
            return m.matchBool(list.authenticatedUser(x) != null);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            out.append(!x.responseSide && list.authenticatedUser(x) != null ? '1' : '0');
        }
    }

    /**
     * http_auth_group(L): the user the valid credentials name; as an ACL its patterns are group names
     * and it matches when the user belongs to one of them (each group of the user is presented).
     */
    static final class AuthenticatedGroups extends SampleFetch {
        private final UserlistAuth list;

        AuthenticatedGroups(UserlistAuth list) {
            this.list = list;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            String user = x.responseSide ? null : list.authenticatedUser(x);
            if (user == null) return false;
            for (ByteBuffer g : list.groupBytesOf(user)) {
                if (m.matchRange(g, 0, g.capacity())) return true;
            }
            return false;
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            String user = x.responseSide ? null : list.authenticatedUser(x);
            if (user != null) out.append(user);
        }
    }

    /** str(TEXT): a constant string. */
    static final class Constant extends SampleFetch {
        private final ByteBuffer bytes;
        private final String text;

        Constant(String text) {
            this.text = text;
            this.bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            return m.matchRange(bytes, 0, bytes.capacity());
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            out.append(text);
        }

        @Override
        boolean perConnection() {
            return true;
        }
    }

    // ------------------------------------------------------------------ request line

    /** path, url, query, method and req.ver: ranges of the request line. */
    static final class RequestPart extends SampleFetch {
        static final int PATH = 0, URL = 1, QUERY = 2, METHOD = 3, VERSION = 4;
        private static final ByteBuffer VERSIONS = ByteBuffer.wrap("1.01.1".getBytes(StandardCharsets.US_ASCII));
        private final int part;

        RequestPart(int part) {
            this.part = part;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            RequestHead r = x.req;
            if (r != null && part == METHOD && x.responseSide) return m.matchRange(x.method(), 0, x.methodLength());
            if (r == null || x.responseSide) return false;
            ByteBuffer b = r.buffer();
            switch (part) {
                case METHOD -> {
                    return m.matchRange(b, r.start(), r.methodEnd());
                }
                case VERSION -> {
                    int v = r.minorVersion() * 3;
                    return m.matchRange(VERSIONS, v, v + 3);
                }
                case URL -> {
                    return m.matchRange(b, r.targetStart(), r.targetEnd());
                }
                default -> {
                    int ps = pathStart(r);
                    int q = queryMark(r, ps);
                    if (part == PATH) return m.matchRange(b, ps, q);
                    return q < r.targetEnd() && m.matchRange(b, q + 1, r.targetEnd());
                }
            }
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            RequestHead r = x.req;
            if (r != null && part == METHOD && x.responseSide) {
                appendRange(out, x.method(), 0, x.methodLength());
                return;
            }
            if (r == null || x.responseSide) return;
            ByteBuffer b = r.buffer();
            switch (part) {
                case METHOD -> appendRange(out, b, r.start(), r.methodEnd());
                case VERSION -> out.append(r.minorVersion() == 0 ? "1.0" : "1.1");
                case URL -> appendRange(out, b, r.targetStart(), r.targetEnd());
                default -> {
                    int ps = pathStart(r);
                    int q = queryMark(r, ps);
                    if (part == PATH) appendRange(out, b, ps, q);
                    else if (q < r.targetEnd()) appendRange(out, b, q + 1, r.targetEnd());
                }
            }
        }
    }

    /** Where the path of the request target starts (after scheme://authority of an absolute URI). */
    static int pathStart(RequestHead r) {
        ByteBuffer b = r.buffer();
        int s = r.targetStart();
        int e = r.targetEnd();
        if (b.get(s) == '/' || b.get(s) == '*') return s;
        for (int i = s; i + 2 < e; i++) {
            if (b.get(i) == ':' && b.get(i + 1) == '/' && b.get(i + 2) == '/') {
                for (int j = i + 3; j < e; j++) if (b.get(j) == '/' || b.get(j) == '?') return j;
                return e;
            }
        }
        return s;
    }

    /** The index of '?' in the target from {@code from}, or the target's end. */
    static int queryMark(RequestHead r, int from) {
        ByteBuffer b = r.buffer();
        int e = r.targetEnd();
        for (int i = from; i < e; i++) if (b.get(i) == '?') return i;
        return e;
    }

    /** base: Host header value followed by the path, copied into a buffer kept per IO thread. */
    static final class Base extends SampleFetch {
        private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() ->
                ByteBuffer.allocate(MessageHead.MAX_HEAD_SIZE * 2));
        private static final byte[] HOST = {'h', 'o', 's', 't'};

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            RequestHead r = x.req;
            if (r == null || x.responseSide) return false;
            ByteBuffer s = SCRATCH.get();
            s.clear();
            ByteBuffer b = r.buffer();
            int h = r.find(HOST);
            if (h >= 0) for (int i = r.valueStart(h); i < r.valueEnd(h); i++) s.put(b.get(i));
            int ps = pathStart(r);
            int q = queryMark(r, ps);
            for (int i = ps; i < q; i++) s.put(b.get(i));
            return m.matchRange(s, 0, s.position());
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            RequestHead r = x.req;
            if (r == null || x.responseSide) return;
            int h = r.find(HOST);
            if (h >= 0) appendRange(out, r.buffer(), r.valueStart(h), r.valueEnd(h));
            int ps = pathStart(r);
            appendRange(out, r.buffer(), ps, queryMark(r, ps));
        }
    }

    /** url_param(NAME): the value of NAME=VALUE in the query string ('&' or ';' separated). */
    static final class UrlParam extends SampleFetch {
        private final byte[] name;

        UrlParam(String name) {
            this.name = name.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** [from, to) of the value, packed in a long, or -1. */
        long find(RequestHead r) {
            ByteBuffer b = r.buffer();
            int e = r.targetEnd();
            int p = queryMark(r, pathStart(r)) + 1;
            while (p < e) {
                int end = p;
                while (end < e && b.get(end) != '&' && b.get(end) != ';') end++;
                if (end - p > name.length && b.get(p + name.length) == '=') {
                    boolean same = true;
                    for (int i = 0; i < name.length && same; i++) same = b.get(p + i) == name[i];
                    if (same) return ((long) (p + name.length + 1) << 32) | end;
                }
                p = end + 1;
            }
            return -1;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            if (x.req == null || x.responseSide) return false;
            long v = find(x.req);
            return v >= 0 && m.matchRange(x.req.buffer(), (int) (v >>> 32), (int) v);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            if (x.req == null || x.responseSide) return;
            long v = find(x.req);
            if (v >= 0) appendRange(out, x.req.buffer(), (int) (v >>> 32), (int) v);
        }
    }

    /** req.body: the request body's payload at hand (chunks decoded). */
    static final class RequestBody extends SampleFetch {
        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            ByteBuffer b = x.payload();
            return b != null && m.matchRange(b, x.payloadFrom(), x.payloadTo());
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            ByteBuffer b = x.payload();
            if (b != null) appendRange(out, b, x.payloadFrom(), x.payloadTo());
        }
    }

    /**
     * req.body_param([NAME]): the value of each {@code NAME=VALUE} of a form-encoded body ('&'
     * separated, the name compared exactly); without NAME, the value of every parameter.
     */
    static final class BodyParam extends SampleFetch {
        private final byte[] name;

        BodyParam(String name) {
            this.name = name == null || name.isEmpty() ? null : name.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            return scan(x, m, null);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            scan(x, null, out);
        }

        /** Offers each matching value to {@code m} (true at the first match), or appends the first to {@code out}. */
        private boolean scan(ExchangeFacts x, PatternMatcher m, StringBuilder out) {
            ByteBuffer b = x.payload();
            if (b == null) return false;
            int e = x.payloadTo();
            int p = x.payloadFrom();
            while (p < e) {
                int end = p;
                while (end < e && b.get(end) != '&') end++;
                int eq = p;
                while (eq < end && b.get(eq) != '=') eq++;
                boolean named = name == null || (eq - p == name.length && sameBytes(b, p, name));
                if (named) {
                    int from = eq < end ? eq + 1 : end;
                    if (out != null) {
                        appendRange(out, b, from, end);
                        return true;
                    }
                    if (m.matchRange(b, from, end)) return true;
                }
                p = end + 1;
            }
            return false;
        }

        private static boolean sameBytes(ByteBuffer b, int at, byte[] s) {
            for (int i = 0; i < s.length; i++) if (b.get(at + i) != s[i]) return false;
            return true;
        }
    }

    /** req.cook(NAME): the values of cookie NAME in the Cookie headers. */
    static final class RequestCookie extends SampleFetch {
        private static final byte[] COOKIE = {'c', 'o', 'o', 'k', 'i', 'e'};
        private final byte[] name;

        RequestCookie(String name) {
            this.name = name == null ? null : name.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            return scan(x, m, null);
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            scan(x, null, out);
        }

        private boolean scan(ExchangeFacts x, PatternMatcher m, StringBuilder out) {
            RequestHead r = x.req;
            if (r == null || x.responseSide) return false;
            ByteBuffer b = r.buffer();
            for (int h = 0; h < r.headerCount(); h++) {
                if (!io.tidegate.http.HttpSyntax.equalsIgnoreCase(b, r.lineStart(h), r.nameEnd(h), COOKIE)) continue;
                int p = r.valueStart(h);
                int e = r.valueEnd(h);
                while (p < e) {
                    while (p < e && (b.get(p) == ' ' || b.get(p) == ';')) p++;
                    int end = p;
                    while (end < e && b.get(end) != ';') end++;
                    int eq = p;
                    while (eq < end && b.get(eq) != '=') eq++;
                    if (eq < end && (name == null || nameIs(b, p, eq))) {
                        int vs = eq + 1;
                        int ve = end;
                        while (ve > vs && b.get(ve - 1) == ' ') ve--;
                        if (out != null) {
                            appendRange(out, b, vs, ve);
                            return true;
                        }
                        if (m.matchRange(b, vs, ve)) return true;
                    }
                    p = end + 1;
                }
            }
            return false;
        }

        private boolean nameIs(ByteBuffer b, int from, int to) {
            int nameEnd = to;
            while (nameEnd > from && b.get(nameEnd - 1) == ' ') nameEnd--;
            if (nameEnd - from != name.length) return false;
            for (int i = 0; i < name.length; i++) if (b.get(from + i) != name[i]) return false;
            return true;
        }
    }

    // ------------------------------------------------------------------ headers

    /** hdr(NAME[,OCC]): every value (comma-separated values apart unless full line) of header NAME. */
    static final class Header extends SampleFetch {
        private final byte[] lowerName;
        private final int occ;
        private final boolean split;
        private final Side side;

        Header(String name, int occ, boolean split, Side side) {
            this.lowerName = name == null ? null : name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1);
            this.occ = occ;
            this.split = split;
            this.side = side;
        }

        @Override
        boolean any(ExchangeFacts x, PatternMatcher m) {
            MessageHead h = head(x, side);
            if (h == null) return false;
            if (occ != 0) {
                long r = occurrence(h, occ);
                return r >= 0 && m.matchRange(h.buffer(), (int) (r >>> 32), (int) r);
            }
            ByteBuffer b = h.buffer();
            for (int i = 0; i < h.headerCount(); i++) {
                if (!named(h, i)) continue;
                int e = h.valueEnd(i);
                for (int p = h.valueStart(i); p <= e; ) {
                    int end = valueEnd(b, p, e);
                    long r = trimmed(b, p, end);
                    if (m.matchRange(b, (int) (r >>> 32), (int) r)) return true;
                    p = end + 1;
                }
            }
            return false;
        }

        /** [from, to) of occurrence {@code occ} (1 = first, -1 = last), packed, or -1. */
        private long occurrence(MessageHead h, int occ) {
            int count = 0;
            ByteBuffer b = h.buffer();
            int total = 0;
            if (occ < 0) {
                for (int i = 0; i < h.headerCount(); i++) total += values(h, i);
            }
            int wanted = occ > 0 ? occ : total + occ + 1;
            for (int i = 0; i < h.headerCount(); i++) {
                if (!named(h, i)) continue;
                int e = h.valueEnd(i);
                for (int p = h.valueStart(i); p <= e; ) {
                    int end = valueEnd(b, p, e);
                    if (++count == wanted) return trimmed(b, p, end);
                    p = end + 1;
                }
            }
            return -1;
        }

        /** Header line i carries header NAME (every line does when no name was given). */
        private boolean named(MessageHead h, int i) {
            return lowerName == null || HttpRule.isHeader(h, i, lowerName);
        }

        /** Where the value starting at {@code p} of a line ending at {@code e} ends: its comma, or e for full lines. */
        private int valueEnd(ByteBuffer b, int p, int e) {
            if (!split) return e;
            int end = p;
            while (end < e && b.get(end) != ',') end++;
            return end;
        }

        /** {@code [p, end)} without surrounding spaces and tabs, packed as from &lt;&lt; 32 | to. */
        private static long trimmed(ByteBuffer b, int p, int end) {
            while (p < end && (b.get(p) == ' ' || b.get(p) == '\t')) p++;
            while (end > p && (b.get(end - 1) == ' ' || b.get(end - 1) == '\t')) end--;
            return ((long) p << 32) | end;
        }

        /** How many values header line i contributes (0 if its name differs). */
        int values(MessageHead h, int i) {
            if (!named(h, i)) return 0;
            if (!split) return 1;
            ByteBuffer b = h.buffer();
            int n = 1;
            for (int p = h.valueStart(i); p < h.valueEnd(i); p++) if (b.get(p) == ',') n++;
            return n;
        }

        @Override
        void append(ExchangeFacts x, StringBuilder out) {
            MessageHead h = head(x, side);
            if (h == null) return;
            // as a sample (not an ACL), HAProxy takes the last occurrence unless one is given
            long r = occurrence(h, occ != 0 ? occ : -1);
            if (r >= 0) appendRange(out, h.buffer(), (int) (r >>> 32), (int) r);
        }
    }

    /** hdr_cnt(NAME): how many values header NAME has (0 when absent). An {@link Int}, as every integer fetch. */
    static SampleFetch headerCount(String name, Side side) {
        Header header = new Header(name, 0, true, side);
        return new Int(x -> {
            MessageHead h = head(x, side);
            if (h == null) return Long.MIN_VALUE;
            long n = 0;
            for (int i = 0; i < h.headerCount(); i++) n += header.values(h, i);
            return n;
        });
    }

    /** hdr_val(NAME[,OCC]): the integer value of the last (or given) occurrence; none when it is no integer. */
    static SampleFetch headerValue(String name, int occ, Side side) {
        Header header = new Header(name, occ == 0 ? -1 : occ, true, side);
        return new Int(x -> {
            MessageHead h = head(x, side);
            if (h == null) return Long.MIN_VALUE;
            long r = header.occurrence(h, header.occ);
            return r < 0 ? Long.MIN_VALUE : parseLong(h.buffer(), (int) (r >>> 32), (int) r);
        });
    }

    /** The decimal integer (optionally negative) in {@code [p, e)} of {@code b}; Long.MIN_VALUE when there is none. */
    static long parseLong(ByteBuffer b, int p, int e) {
        boolean negative = p < e && b.get(p) == '-';
        if (negative) p++;
        if (p == e) return Long.MIN_VALUE;
        long v = 0;
        for (; p < e; p++) {
            int d = b.get(p) - '0';
            if (d < 0 || d > 9 || v > Long.MAX_VALUE / 10) return Long.MIN_VALUE;
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
