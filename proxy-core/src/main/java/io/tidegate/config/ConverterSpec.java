package io.tidegate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One converter of a sample expression ({@code FETCH,CONVERTER(ARGS),...}) as written, checked against
 * the converters Tidegate implements; the one place that knows their names and argument counts, for
 * ACLs, rule values, log-format, use_backend names and stick keys alike.
 *
 * @param name the converter, e.g. {@code map_beg}
 * @param args its arguments as written (split at commas outside parentheses; {@code \,} is a comma)
 * @param map  for the map* converters, the "KEY VALUE" lines of the map file, read at load time
 */
public record ConverterSpec(String name, List<String> args, List<String> map) {

    public ConverterSpec {
        args = List.copyOf(args);
        map = map == null ? List.of() : List.copyOf(map);
    }

    /** Converter name to {min, max} argument count. */
    private static final Map<String, int[]> ARITY = new TreeMap<>();

    static {
        for (String n : List.of("url_dec", "json")) ARITY.put(n, new int[] {0, 1});
        for (String n : List.of("lower", "upper", "length", "base64", "hex")) ARITY.put(n, new int[] {0, 0});
        for (String n : List.of("map", "map_str", "map_beg", "map_end", "map_sub", "map_dom", "map_reg", "map_int")) {
            ARITY.put(n, new int[] {1, 2});
        }
        ARITY.put("regsub", new int[] {2, 3});
        ARITY.put("field", new int[] {2, 3});
        ARITY.put("word", new int[] {2, 3});
        ARITY.put("ipmask", new int[] {1, 2});
        ARITY.put("bytes", new int[] {1, 2});
        ARITY.put("ltrim", new int[] {1, 1});
        ARITY.put("rtrim", new int[] {1, 1});
        ARITY.put("concat", new int[] {0, 3});
        for (String n : List.of("crc32", "djb2", "sdbm")) ARITY.put(n, new int[] {0, 1});
    }

    /** The converters Tidegate implements, sorted, for error messages and the README. */
    public static String supportedNames() {
        return String.join(", ", ARITY.keySet());
    }

    public static boolean isMap(String name) {
        return name.startsWith("map");
    }

    /**
     * Parses one converter {@code NAME[(ARGS)]}; throws IllegalArgumentException naming the problem
     * (unknown converter with the supported list, wrong argument count).
     */
    public static ConverterSpec parse(String text) {
        String name = text;
        List<String> args = new ArrayList<>();
        int open = text.indexOf('(');
        if (open >= 0) {
            if (!text.endsWith(")")) throw new IllegalArgumentException("missing ')' in converter '" + text + "'");
            name = text.substring(0, open);
            args = splitArgs(text.substring(open + 1, text.length() - 1));
        }
        int[] a = ARITY.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown or unsupported converter '" + name + "' (supported: "
                    + supportedNames() + ")");
        }
        if (args.size() < a[0] || args.size() > a[1]) {
            throw new IllegalArgumentException("converter '" + name + "' takes " + (a[0] == a[1] ? a[0] + ""
                    : a[0] + " to " + a[1]) + " argument(s), got " + args.size());
        }
        return new ConverterSpec(name, args, null);
    }

    /** Splits the converters of {@code FETCH(ARGS),CONV,CONV(ARGS)} after the fetch: at commas outside parentheses. */
    public static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** Arguments split at commas, {@code \,} and {@code \)} standing for themselves (as HAProxy's argument parser). */
    static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n != ',' && n != ')' && n != '(' && n != '\\') cur.append('\\');
                cur.append(n);
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** The "KEY VALUE" lines of a map file (blank lines and # comments skipped). */
    public static List<String> readMap(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readString(p, StandardCharsets.UTF_8).split("\n")) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] kv = t.split("\\s+", 2);
            out.add(kv.length == 2 ? kv[0] + " " + kv[1].strip() : kv[0] + " ");
        }
        return out;
    }

    /** This converter with its map file's lines. */
    public ConverterSpec withMap(List<String> lines) {
        return new ConverterSpec(name, args, lines);
    }

    /** The type a chain of converters (as written) gives to a fetch of type {@code in}, as HAProxy types them. */
    public static AclFetches.Type outputType(List<String> chain, AclFetches.Type in) {
        AclFetches.Type t = in;
        for (String c : chain) {
            String n = c.contains("(") ? c.substring(0, c.indexOf('(')) : c;
            t = switch (n) {
                case "length", "crc32", "djb2", "sdbm" -> AclFetches.Type.INT;
                case "ipmask" -> AclFetches.Type.IP;
                default -> AclFetches.Type.STR;
            };
        }
        return t;
    }
}
