package io.tidegate.engine;

import io.tidegate.config.AclMatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patterns of one ACL, compiled at load time, tested against the values a {@link SampleFetch}
 * presents: strings as byte ranges of the receive buffer (compared in place), integers, addresses
 * and booleans. A value matches when any pattern matches. Nothing is allocated per test.
 */
abstract class PatternMatcher {

    boolean matchRange(ByteBuffer b, int from, int to) {
        return false;
    }

    boolean matchLong(long v) {
        return false;
    }

    boolean matchAddress(byte[] address) {
        return false;
    }

    boolean matchBool(boolean v) {
        return false;
    }

    static PatternMatcher of(AclMatch method, boolean ignoreCase, List<String> patterns) {
        return switch (method) {
            case STR, BEG, END, SUB, DOM, DIR -> new Strings(method, ignoreCase, patterns);
            case REG -> new Regexes(ignoreCase, patterns);
            case LEN -> new Lengths(Ranges.parse(patterns));
            case INT -> new Ints(Ranges.parse(patterns));
            case IP -> new Networks(patterns);
            case FOUND -> new Found();
            case BOOL -> new Bool();
            case BIN -> new Binary(patterns);
        };
    }

    /** -m bin: the value is exactly the bytes a pattern gives as hexadecimal digits. */
    static final class Binary extends PatternMatcher {
        private final byte[][] patterns;

        Binary(List<String> hex) {
            patterns = new byte[hex.size()][];
            for (int i = 0; i < patterns.length; i++) {
                String h = hex.get(i);
                byte[] p = new byte[h.length() / 2];
                for (int j = 0; j < p.length; j++) p[j] = (byte) Integer.parseInt(h.substring(2 * j, 2 * j + 2), 16);
                patterns[i] = p;
            }
        }

        @Override
        boolean matchRange(ByteBuffer b, int from, int to) {
            for (byte[] p : patterns) {
                if (p.length != to - from) continue;
                int i = 0;
                while (i < p.length && b.get(from + i) == p[i]) i++;
                if (i == p.length) return true;
            }
            return false;
        }
    }

    /**
     * The {@code lower} / {@code upper} converters of an ACL: the value is case-mapped into a buffer
     * kept per IO thread, then matched.
     */
    static final class CaseMapped extends PatternMatcher {
        private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() ->
                ByteBuffer.allocate(io.tidegate.http.MessageHead.MAX_HEAD_SIZE));
        private final PatternMatcher inner;
        private final boolean lower;

        CaseMapped(PatternMatcher inner, boolean lower) {
            this.inner = inner;
            this.lower = lower;
        }

        @Override
        boolean matchRange(ByteBuffer b, int from, int to) {
            ByteBuffer s = SCRATCH.get();
            int n = Math.min(to - from, s.capacity());
            for (int i = 0; i < n; i++) {
                int c = b.get(from + i);
                if (lower && c >= 'A' && c <= 'Z') c += 32;
                else if (!lower && c >= 'a' && c <= 'z') c -= 32;
                s.put(i, (byte) c);
            }
            return inner.matchRange(s, 0, n);
        }

        @Override boolean matchLong(long v) { return inner.matchLong(v); }
        @Override boolean matchAddress(byte[] a) { return inner.matchAddress(a); }
        @Override boolean matchBool(boolean v) { return inner.matchBool(v); }
    }

    /** -m found: any value. */
    static final class Found extends PatternMatcher {
        @Override boolean matchRange(ByteBuffer b, int from, int to) { return true; }
        @Override boolean matchLong(long v) { return true; }
        @Override boolean matchAddress(byte[] a) { return true; }
        @Override boolean matchBool(boolean v) { return true; }
    }

    /** -m bool: a true boolean, a non-zero integer. */
    static final class Bool extends PatternMatcher {
        @Override boolean matchBool(boolean v) { return v; }
        @Override boolean matchLong(long v) { return v != 0; }
    }

    /** str, beg, end, sub, dom, dir, compared byte by byte in the buffer. */
    static final class Strings extends PatternMatcher {
        private final AclMatch method;
        private final boolean ignoreCase;
        private final byte[][] patterns;

        Strings(AclMatch method, boolean ignoreCase, List<String> patterns) {
            this.method = method;
            this.ignoreCase = ignoreCase;
            this.patterns = new byte[patterns.size()][];
            for (int i = 0; i < patterns.size(); i++) {
                this.patterns[i] = patterns.get(i).getBytes(StandardCharsets.ISO_8859_1);
                // -i folds ASCII letters only, as the bytes it is compared with (and as HAProxy): the bytes
                // of a UTF-8 character are left alone
                if (ignoreCase) for (int k = 0; k < this.patterns[i].length; k++) {
                    if (this.patterns[i][k] >= 'A' && this.patterns[i][k] <= 'Z') this.patterns[i][k] += 32;
                }
            }
        }

        @Override
        boolean matchRange(ByteBuffer b, int from, int to) {
            int len = to - from;
            for (byte[] p : patterns) {
                boolean hit = switch (method) {
                    case STR -> p.length == len && same(b, from, p);
                    case BEG -> p.length <= len && same(b, from, p);
                    case END -> p.length <= len && same(b, to - p.length, p);
                    case SUB -> find(b, from, to, p, false, false) >= 0;
                    case DOM -> find(b, from, to, p, true, true) >= 0;
                    default -> find(b, from, to, p, true, false) >= 0;   // DIR
                };
                if (hit) return true;
            }
            return false;
        }

        private boolean same(ByteBuffer b, int at, byte[] p) {
            for (int i = 0; i < p.length; i++) {
                int c = b.get(at + i);
                if (ignoreCase && c >= 'A' && c <= 'Z') c += 32;
                if (c != p[i]) return false;
            }
            return true;
        }

        /** First index of p in [from, to) (delimited by '/', '?' and, for dom, '.' and ':' when asked), or -1. */
        private int find(ByteBuffer b, int from, int to, byte[] p, boolean delimited, boolean dots) {
            for (int at = from; at + p.length <= to; at++) {
                if (!same(b, at, p)) continue;
                if (!delimited) return at;
                boolean before = at == from || delimiter(b.get(at - 1), dots);
                boolean after = at + p.length == to || delimiter(b.get(at + p.length), dots);
                if (before && after) return at;
            }
            return -1;
        }

        private static boolean delimiter(int c, boolean dots) {
            return c == '/' || c == '?' || (dots && (c == '.' || c == ':'));
        }
    }

    /** -m reg: searched with a matcher and a byte view kept per IO thread. */
    static final class Regexes extends PatternMatcher {
        private static final ThreadLocal<ByteChars> CHARS = ThreadLocal.withInitial(ByteChars::new);
        private final List<ThreadLocal<Matcher>> matchers = new ArrayList<>();

        Regexes(boolean ignoreCase, List<String> patterns) {
            for (String p : patterns) {
                Pattern compiled = Pattern.compile(p, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
                matchers.add(ThreadLocal.withInitial(() -> compiled.matcher("")));
            }
        }

        @Override
        boolean matchRange(ByteBuffer b, int from, int to) {
            ByteChars chars = CHARS.get();
            chars.set(b, from, to);
            for (int i = 0; i < matchers.size(); i++) {
                Matcher m = matchers.get(i).get();
                boolean hit = m.reset(chars).find();
                m.reset("");
                if (hit) return true;
            }
            chars.set(null, 0, 0);
            return false;
        }
    }

    /** -m len: the length of the value in the ranges. */
    static final class Lengths extends PatternMatcher {
        private final Ranges ranges;

        Lengths(Ranges ranges) {
            this.ranges = ranges;
        }

        @Override
        boolean matchRange(ByteBuffer b, int from, int to) {
            return ranges.contains(to - from);
        }
    }

    /** Integers: the value in one of the ranges. */
    static final class Ints extends PatternMatcher {
        private final Ranges ranges;

        Ints(Ranges ranges) {
            this.ranges = ranges;
        }

        @Override
        boolean matchLong(long v) {
            return ranges.contains(v);
        }
    }

    /** IPv4/IPv6 networks. */
    static final class Networks extends PatternMatcher {
        private final NetworkRange[] nets;

        Networks(List<String> patterns) {
            nets = new NetworkRange[patterns.size()];
            for (int i = 0; i < nets.length; i++) nets[i] = NetworkRange.parse(normalise(patterns.get(i)));
        }

        /** ADDRESS/MASK (dotted) as ADDRESS/BITS. */
        private static String normalise(String p) {
            int slash = p.indexOf('/');
            if (slash < 0 || !p.substring(slash + 1).contains(".")) return p;
            int bits = 0;
            for (String part : p.substring(slash + 1).split("\\.")) bits += Integer.bitCount(Integer.parseInt(part));
            return p.substring(0, slash) + "/" + bits;
        }

        @Override
        boolean matchAddress(byte[] address) {
            for (NetworkRange n : nets) if (n.contains(address)) return true;
            return false;
        }
    }

    /** Integer ranges "LOW:HIGH" with either side open. */
    record Ranges(long[] low, long[] high) {
        static Ranges parse(List<String> patterns) {
            long[] lo = new long[patterns.size()];
            long[] hi = new long[patterns.size()];
            for (int i = 0; i < lo.length; i++) {
                String p = patterns.get(i);
                int colon = p.indexOf(':');
                String a = colon < 0 ? p : p.substring(0, colon);
                String z = colon < 0 ? p : p.substring(colon + 1);
                lo[i] = a.isEmpty() ? Long.MIN_VALUE : Long.parseLong(a);
                hi[i] = z.isEmpty() ? Long.MAX_VALUE : Long.parseLong(z);
            }
            return new Ranges(lo, hi);
        }

        boolean contains(long v) {
            for (int i = 0; i < low.length; i++) if (v >= low[i] && v <= high[i]) return true;
            return false;
        }
    }

    /** A CharSequence over bytes of a buffer (ISO-8859-1), for regular expressions. */
    static final class ByteChars implements CharSequence {
        private ByteBuffer b;
        private int from;
        private int to;

        void set(ByteBuffer b, int from, int to) {
            this.b = b;
            this.from = from;
            this.to = to;
        }

        @Override public int length() { return to - from; }
        @Override public char charAt(int i) { return (char) (b.get(from + i) & 0xff); }
        @Override public CharSequence subSequence(int s, int e) { return toString().substring(s, e); }
        @Override public String toString() {
            StringBuilder sb = new StringBuilder(length());
            for (int i = from; i < to; i++) sb.append((char) (b.get(i) & 0xff));
            return sb.toString();
        }
    }
}
