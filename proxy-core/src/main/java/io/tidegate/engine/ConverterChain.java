package io.tidegate.engine;

import io.tidegate.config.ConverterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The converters after a fetch ({@code FETCH,lower,map(FILE,DEFAULT)}), with HAProxy 2.6's types:
 * a sample is a string (bytes as ISO-8859-1 chars), an integer or an address (kept as its text), and
 * each converter casts its input as HAProxy does (an integer becomes 8 bytes big-endian for hex and
 * base64, an address its 4 or 16 bytes). Used by every place that reads a sample expression; the
 * plain path of an ACL without converters does not come here.
 */
final class ConverterChain {
    static final int NONE = 0, STR = 1, INT = 2, IP = 3;

    /** A sample while converters run. */
    static final class Sample {
        int type;
        long n;
        String s;

        Sample set(int type, long n, String s) {
            this.type = type;
            this.n = n;
            this.s = s;
            return this;
        }

        String text() {
            return type == INT ? Long.toString(n) : s;
        }

        byte[] binary() {
            if (type == INT) return ByteBuffer.allocate(8).putLong(n).array();
            if (type == IP) return ipBytes(s);
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    interface Step {
        /** Converts {@code v} in place; sets type NONE when the sample has no value any more. */
        void apply(Sample v, ExchangeFacts x);
    }

    private final Step[] steps;

    private ConverterChain(Step[] steps) {
        this.steps = steps;
    }

    static ConverterChain of(List<ConverterSpec> specs) {
        List<Step> out = new ArrayList<>();
        for (ConverterSpec c : specs) out.add(step(c));
        return new ConverterChain(out.toArray(Step[]::new));
    }

    /**
     * The chain of converters written as {@code texts} ({@code lower}, {@code map(FILE,DEFAULT)}),
     * checked by the configuration parser already; map files are read here, when the plan is built.
     */
    static ConverterChain compile(List<String> texts) {
        return compileSpecs(texts.stream().map(ConverterSpec::parse).toList());
    }

    /** As {@link #compile}, from parsed converters. */
    static ConverterChain compileSpecs(List<ConverterSpec> parsed) {
        List<ConverterSpec> specs = new ArrayList<>();
        for (ConverterSpec c : parsed) {
            if (ConverterSpec.isMap(c.name())) {
                try {
                    c = c.withMap(ConverterSpec.readMap(java.nio.file.Path.of(c.args().get(0).strip())));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read the map file '" + c.args().get(0) + "'");
                }
            }
            specs.add(c);
        }
        return of(specs);
    }

    boolean isEmpty() {
        return steps.length == 0;
    }

    void apply(Sample v, ExchangeFacts x) {
        for (Step s : steps) {
            if (v.type == NONE) return;
            s.apply(v, x);
        }
    }

    private static String arg(ConverterSpec c, int i, String dflt) {
        return c.args().size() > i && !c.args().get(i).isEmpty() ? c.args().get(i) : dflt;
    }

    private static Step str(java.util.function.UnaryOperator<String> f) {
        return (v, x) -> {
            String r = f.apply(v.text());
            if (r == null) v.set(NONE, 0, null);
            else v.set(STR, 0, r);
        };
    }

    private static Step integer(java.util.function.ToLongFunction<byte[]> f) {
        return (v, x) -> v.set(INT, f.applyAsLong(v.binary()), null);
    }

    static Step step(ConverterSpec c) {
        String name = c.name();
        return switch (name) {
            case "lower" -> str(s -> s.toLowerCase(Locale.ROOT));
            case "upper" -> str(s -> s.toUpperCase(Locale.ROOT));
            case "length" -> (v, x) -> v.set(INT, v.text().length(), null);
            case "hex" -> (v, x) -> v.set(STR, 0, HexFormat.of().withUpperCase().formatHex(v.binary()));
            case "base64" -> (v, x) -> v.set(STR, 0, new String(Base64.getEncoder().encode(v.binary()),
                    StandardCharsets.ISO_8859_1));
            case "url_dec" -> {
                boolean form = !arg(c, 0, "0").equals("0");
                yield str(s -> urlDecode(s, form));
            }
            case "ltrim", "rtrim" -> {
                String chars = c.args().get(0);
                boolean left = name.equals("ltrim");
                yield str(s -> {
                    int from = 0, to = s.length();
                    if (left) while (from < to && chars.indexOf(s.charAt(from)) >= 0) from++;
                    else while (to > from && chars.indexOf(s.charAt(to - 1)) >= 0) to--;
                    return s.substring(from, to);
                });
            }
            case "bytes" -> {
                int off = Integer.parseInt(c.args().get(0).strip());
                int len = c.args().size() > 1 ? Integer.parseInt(c.args().get(1).strip()) : -1;
                yield (v, x) -> {
                    byte[] b = v.binary();
                    if (off > b.length) {
                        v.set(NONE, 0, null);
                        return;
                    }
                    int end = len < 0 || off + len > b.length ? b.length : off + len;
                    v.set(STR, 0, new String(b, off, end - off, StandardCharsets.ISO_8859_1));
                };
            }
            case "field", "word" -> {
                int index = Integer.parseInt(c.args().get(0).strip());
                String delims = c.args().get(1);
                int count = c.args().size() > 2 ? Integer.parseInt(c.args().get(2).strip()) : 1;
                boolean words = name.equals("word");
                yield str(s -> fields(s, index, delims, count, words));
            }
            case "regsub" -> {
                String flags = arg(c, 2, "");
                Pattern p = Pattern.compile(c.args().get(0), flags.contains("i") ? Pattern.CASE_INSENSITIVE : 0);
                String subst = javaReplacement(c.args().get(1));
                boolean all = flags.contains("g");
                yield str(s -> {
                    Matcher m = p.matcher(s);
                    return all ? m.replaceAll(subst) : m.replaceFirst(subst);
                });
            }
            case "ipmask" -> {
                int bits4 = maskBits(c.args().get(0), 32);
                int bits6 = c.args().size() > 1 ? maskBits(c.args().get(1), 128) : -1;
                yield (v, x) -> {
                    byte[] a = v.type == IP || v.type == STR ? ipBytes(v.text()) : null;
                    if (a == null || a.length == 16 && bits6 < 0) {
                        v.set(NONE, 0, null);
                        return;
                    }
                    int bits = a.length == 4 ? bits4 : bits6;
                    for (int i = 0; i < a.length; i++) {
                        int keep = Math.max(0, Math.min(8, bits - 8 * i));
                        a[i] &= (byte) (0xff00 >> keep);
                    }
                    v.set(IP, 0, io.tidegate.net.AddressText.of(a));
                };
            }
            case "concat" -> {
                String start = arg(c, 0, "");
                String var = arg(c, 1, null);
                String end = arg(c, 2, "");
                yield (v, x) -> {
                    byte[] value = var == null || x == null ? null : x.var(var.strip());
                    String mid = value == null ? "" : new String(value, StandardCharsets.ISO_8859_1);
                    v.set(STR, 0, v.text() + start + mid + end);
                };
            }
            case "json" -> {
                String mode = arg(c, 0, "ascii");
                yield str(s -> json(s, mode));
            }
            case "crc32" -> {
                boolean avalanche = !arg(c, 0, "0").equals("0");
                yield integer(b -> {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(b);
                    return finish(crc.getValue(), avalanche);
                });
            }
            case "djb2", "sdbm" -> {
                boolean avalanche = !arg(c, 0, "0").equals("0");
                yield integer(b -> finish(hash(name, b), avalanche));
            }
            default -> map(c);
        };
    }

    // ------------------------------------------------------------------ maps

    private static Step map(ConverterSpec c) {
        String kind = c.name();
        String fallback = c.args().size() > 1 ? c.args().get(1) : null;
        Map<String, String> exact = new HashMap<>();
        List<String[]> entries = new ArrayList<>();
        List<Pattern> regexes = new ArrayList<>();
        for (String line : c.map()) {
            String[] kv = line.split(" ", 2);
            exact.putIfAbsent(kv[0], kv[1]);
            entries.add(kv);
            if (kind.equals("map_reg")) regexes.add(Pattern.compile(kv[0]));
        }
        return (v, x) -> {
            String in = v.text();
            String r = switch (kind) {
                case "map", "map_str" -> exact.get(in);
                case "map_int" -> {
                    String t = in.strip();
                    yield t.matches("-?[0-9]+") ? exact.get(Long.toString(Long.parseLong(t))) : null;
                }
                case "map_reg" -> {
                    String found = null;
                    for (int i = 0; i < regexes.size() && found == null; i++) {
                        if (regexes.get(i).matcher(in).find()) found = entries.get(i)[1];
                    }
                    yield found;
                }
                default -> {
                    String found = null;
                    for (String[] e : entries) {
                        if (mapMatches(kind, e[0], in)) {
                            found = e[1];
                            break;
                        }
                    }
                    yield found;
                }
            };
            if (r == null) r = fallback;
            if (r == null) v.set(NONE, 0, null);
            else v.set(STR, 0, r);
        };
    }

    private static boolean mapMatches(String kind, String key, String v) {
        return switch (kind) {
            case "map_beg" -> v.startsWith(key);
            case "map_end" -> v.endsWith(key);
            case "map_sub" -> v.contains(key);
            default -> {     // map_dom: key is a whole dot/slash-delimited part of v
                int i = v.indexOf(key);
                boolean found = false;
                while (i >= 0 && !found) {
                    boolean before = i == 0 || "./?:".indexOf(v.charAt(i - 1)) >= 0;
                    int end = i + key.length();
                    boolean after = end == v.length() || "./?:".indexOf(v.charAt(end)) >= 0;
                    found = before && after;
                    i = v.indexOf(key, i + 1);
                }
                yield found;
            }
        };
    }

    // ------------------------------------------------------------------ helpers

    /**
     * field/word: the {@code index}-th field (from 1; negative counts from the end) and the
     * {@code count - 1} after it (0 = all of them); word skips empty fields (runs of delimiters).
     */
    static String fields(String s, int index, String delims, int count, boolean words) {
        List<int[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || delims.indexOf(s.charAt(i)) >= 0) {
                if (!words || i > start) parts.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (index == 0) return null;
        int first = index > 0 ? index - 1 : parts.size() + index;
        if (first < 0 || first >= parts.size()) return null;
        int last;
        if (index > 0) last = count == 0 ? parts.size() - 1 : Math.min(parts.size() - 1, first + count - 1);
        else {
            last = first;
            first = count == 0 ? 0 : Math.max(0, first - count + 1);
        }
        return s.substring(parts.get(first)[0], parts.get(last)[1]);
    }

    private static String urlDecode(String s, boolean form) {
        StringBuilder out = new StringBuilder(s.length());
        boolean query = form;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '?') query = true;
            if (ch == '+' && query) out.append(' ');
            else if (ch == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.append((char) (hi << 4 | lo));
                i += 2;
            } else out.append(ch);
        }
        return out.toString();
    }

    /** HAProxy's {@code \1} references become Java's {@code $1}; other {@code $} and {@code \} are literal. */
    private static String javaReplacement(String subst) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < subst.length(); i++) {
            char ch = subst.charAt(i);
            if (ch == '\\' && i + 1 < subst.length() && Character.isDigit(subst.charAt(i + 1))) {
                out.append('$').append(subst.charAt(++i));
            } else if (ch == '\\' || ch == '$') out.append('\\').append(ch);
            else out.append(ch);
        }
        return out.toString();
    }

    private static int maskBits(String text, int max) {
        String t = text.strip();
        if (t.matches("[0-9]+")) {
            int b = Integer.parseInt(t);
            if (b > max) throw new IllegalArgumentException("ipmask: mask " + t + " is longer than " + max + " bits");
            return b;
        }
        byte[] m = ipBytes(t);
        if (m == null || m.length != 4) throw new IllegalArgumentException("ipmask: bad mask '" + t + "'");
        int bits = 0;
        for (byte b : m) bits += Integer.bitCount(b & 0xff);
        return bits;
    }

    /** The bytes of an IPv4 or IPv6 literal, or null (never a name lookup). */
    static byte[] ipBytes(String t) {
        if (t == null) return null;
        t = t.strip();
        if (t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            byte[] a = new byte[4];
            String[] p = t.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(p[i]);
                if (v > 255) return null;
                a[i] = (byte) v;
            }
            return a;
        }
        if (t.indexOf(':') >= 0 && t.matches("[0-9a-fA-F:.]+")) {
            try {
                return java.net.InetAddress.getByName(t).getAddress();
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return null;
    }

    private static String json(String s, String mode) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        boolean utf8 = mode.startsWith("utf8");
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        String in = utf8 ? new String(bytes, StandardCharsets.UTF_8) : s;
        for (int i = 0; i < in.length(); i++) {
            char ch = in.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) out.append(String.format("\\u%04x", (int) ch));
                    else out.append(ch);
                }
            }
        }
        return out.toString();
    }

    private static long hash(String kind, byte[] b) {
        int h = kind.equals("djb2") ? 5381 : 0;
        for (byte v : b) {
            int c = v & 0xff;
            h = kind.equals("djb2") ? (h << 5) + h + c : c + (h << 6) + (h << 16) - h;
        }
        return h & 0xffffffffL;
    }

    /** Optional avalanche (HAProxy's full_hash) and the result as an unsigned 32-bit integer. */
    private static long finish(long h, boolean avalanche) {
        int a = (int) h;
        if (avalanche) {
            a = (a + 0x7ed55d16) + (a << 12);
            a = (a ^ 0xc761c23c) ^ (a >>> 19);
            a = (a + 0x165667b1) + (a << 5);
            a = (a + 0xd3a2646c) ^ (a << 9);
            a = (a + 0xfd7046c5) + (a << 3);
            a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        }
        return a & 0xffffffffL;
    }
}
