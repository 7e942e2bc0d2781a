package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code log-format} string (also the strings behind {@code option httplog} and
 * {@code option tcplog}) into literal text and {@code %} variables: {@code %ci}, {@code %{+Q}r},
 * {@code %%} for a percent sign. Only the variables in {@link #VARIABLES} are understood; sample
 * expressions ({@code %[...]}) are not.
 */
public final class LogFormatParser {

    /** The variables Tidegate fills, HAProxy's names (configuration.txt section 8.2.4). */
    public static final Set<String> VARIABLES = Set.of(
            "ci", "cp", "fi", "fp", "f", "ft", "b", "s", "si", "sp", "bi", "bp",
            "t", "tr", "ts", "tsc", "Tq", "TR", "Tw", "Tc", "Tr", "Ta", "Tt", "Th", "Ti",
            "ST", "B", "U", "CC", "CS", "ac", "fc", "bc", "sc", "rc", "sq", "bq", "hr", "hs",
            "r", "HM", "HU", "HP", "HV", "pid", "H");

    /**
     * The fetches a log line may use ({@code %[...]}), as in HAProxy 2.6 where a log line is built after
     * the exchange: the connection's, constants, variables, the status and the method. Fetches of the
     * request or response headers are refused as HAProxy refuses them ({@link #HEADER_FETCH_HINT}).
     */
    public static final List<String> SAMPLE_FETCHES = List.of("src", "src_port", "dst", "dst_port", "var", "str",
            "int", "always_true", "always_false", "ssl_fc", "ssl_fc_sni", "status", "method", "nbsrv");
    /** What to do instead of reading a header when the line is written. */
    static final String HEADER_FETCH_HINT = "store the value while the request is there with "
            + "'http-request set-var(txn.NAME) FETCH' and log '%[var(txn.NAME)]'";

    /** A converter applied to a sample, with its arguments (any of {@link ConverterSpec}'s). */
    public record Converter(String name, List<String> args) {
    }

    /** {@code %[fetch(args),converter,...]}: a fetch, its arguments, the converters in order. */
    public record Sample(String fetch, List<String> args, List<Converter> converters) {
        public Sample {
            args = List.copyOf(args);
            converters = List.copyOf(converters);
        }
    }

    /** A problem in a format string, at {@code offset} (0-based, in the string as read). */
    public static final class FormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int offset;

        FormatException(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /**
     * One piece of a format: literal text, a variable, or a sample expression (either quoted when
     * written {@code %{+Q}...}).
     */
    public record Token(String literal, String variable, boolean quoted, Sample sample) {
        public Token(String literal, String variable, boolean quoted) {
            this(literal, variable, quoted, null);
        }

        public boolean isLiteral() {
            return variable == null && sample == null;
        }
    }

    private LogFormatParser() {
    }

    /** What is wrong with {@code format}, or null when it is fine. */
    public static String problem(String format) {
        try {
            parse(format);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public static List<Token> parse(String format) {
        List<Token> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                lit.append(c);
                i++;
                continue;
            }
            if (i + 1 >= format.length()) throw new FormatException(i, "log-format ends with a lone '%'");
            char n = format.charAt(i + 1);
            if (n == '%') {
                lit.append('%');
                i += 2;
                continue;
            }
            boolean quoted = false;
            int p = i + 1;
            if (n == '{') {
                int close = format.indexOf('}', p);
                if (close < 0) throw new FormatException(i, "missing '}' in log-format at '" + format.substring(i) + "'");
                for (String opt : format.substring(p + 1, close).split(",")) {
                    switch (opt) {
                        case "+Q" -> quoted = true;
                        case "-Q", "" -> quoted = false;
                        default -> throw new FormatException(p + 1, "unsupported log-format option '" + opt
                                + "' (supported: +Q, -Q)");
                    }
                }
                p = close + 1;
            }
            if (p < format.length() && format.charAt(p) == '[') {
                int end = sampleEnd(format, p);
                Sample sample = sample(format, p + 1, end);
                if (!lit.isEmpty()) {
                    out.add(new Token(lit.toString(), null, false));
                    lit.setLength(0);
                }
                out.add(new Token(null, null, quoted, sample));
                i = end + 1;
                continue;
            }
            int start = p;
            while (p < format.length() && Character.isLetter(format.charAt(p))) p++;
            String var = format.substring(start, p);
            if (!VARIABLES.contains(var)) {
                throw new FormatException(i, "unknown log-format variable at '" + format.substring(i)
                        + "'; supported: " + String.join(" ", VARIABLES.stream().sorted().map(v -> "%" + v).toList()));
            }
            if (!lit.isEmpty()) {
                out.add(new Token(lit.toString(), null, false));
                lit.setLength(0);
            }
            out.add(new Token(null, var, quoted));
            i = p;
        }
        if (!lit.isEmpty()) out.add(new Token(lit.toString(), null, false));
        return out;
    }

    /** The index of the ']' closing the sample expression opened at {@code open} (outside parentheses). */
    private static int sampleEnd(String f, int open) {
        int depth = 0;
        for (int j = open + 1; j < f.length(); j++) {
            char c = f.charAt(j);
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (c == ']' && depth == 0) return j;
        }
        throw new FormatException(open - 1, "missing ']' after '" + f.substring(open - 1) + "'");
    }

    /** Reads {@code fetch(args),conv,...} in f[from, to). */
    private static Sample sample(String f, int from, int to) {
        String expr = f.substring(from, to);
        List<int[]> parts = new ArrayList<>();     // [start, end) of each comma-separated part outside parentheses
        int depth = 0;
        int partStart = from;
        for (int j = from; j < to; j++) {
            char c = f.charAt(j);
            if (c == '(') depth++;
            else if (c == ')') depth = Math.max(0, depth - 1);
            else if (c == ',' && depth == 0) {
                parts.add(new int[] {partStart, j});
                partStart = j + 1;
            }
        }
        parts.add(new int[] {partStart, to});
        String fetch = null;
        List<String> fetchArgs = List.of();
        List<Converter> converters = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            int a = parts.get(k)[0];
            int b = parts.get(k)[1];
            String part = f.substring(a, b);
            int paren = part.indexOf('(');
            String name = paren < 0 ? part : part.substring(0, paren);
            List<String> args = List.of();
            if (paren >= 0) {
                if (!part.endsWith(")")) {
                    throw new FormatException(a + paren, "expected ')' at the end of '" + part + "' in '%[" + expr + "]'");
                }
                String inside = part.substring(paren + 1, part.length() - 1);
                args = inside.isEmpty() ? List.of() : List.of(inside.split(",", -1));
            }
            if (name.isEmpty()) {
                throw new FormatException(a, (k == 0 ? "missing fetch" : "missing converter") + " in '%[" + expr + "]'");
            }
            if (k == 0) {
                fetch = name;
                fetchArgs = args;
                checkFetch(name, args, a, expr);
            } else {
                ConverterSpec spec;
                try {
                    spec = ConverterSpec.parse(part);
                } catch (IllegalArgumentException e) {
                    throw new FormatException(a, e.getMessage() + " in '%[" + expr + "]'");
                }
                args = spec.args();
                converters.add(new Converter(name, args));
            }
        }
        return new Sample(fetch, fetchArgs, converters);
    }

    private static final java.util.Set<String> VAR_SCOPES = java.util.Set.of("sess", "txn", "req", "res");

    private static void checkFetch(String name, List<String> args, int at, String expr) {
        if (!SAMPLE_FETCHES.contains(name)) {
            if (CounterFetch.parse(name).isPresent() || name.equals("table_cnt")) {
                throw new FormatException(at, "stick-counter fetch '" + name + "' is not supported in log-format yet "
                        + "(rules and ACLs take it)");
            }
            java.util.Optional<AclFetches.Resolved> known = AclFetches.resolve(name);
            if (known.isPresent()) {
                AclFetches.Side side = known.get().fetch().side();
                String needs = switch (side) {
                    case RESPONSE -> "the HTTP response headers";
                    case EITHER -> "the HTTP request or response headers";
                    case CONTENTS -> "the request contents";
                    default -> "the HTTP request headers";
                };
                throw new FormatException(at, "fetch '" + name + "' cannot be used in log-format: it needs " + needs
                        + ", which are no longer there when the line is written (HAProxy 2.6 refuses it too); "
                        + HEADER_FETCH_HINT.replace("FETCH", expr.contains(",") ? expr.substring(0, expr.indexOf(',')) : expr));
            }
            throw new FormatException(at, "unknown or unsupported fetch '" + name + "' in '%[" + expr
                    + "]'; log-format supports: " + String.join(", ", SAMPLE_FETCHES));
        }
        int min = switch (name) {
            case "var", "int" -> 1;
            default -> 0;
        };
        int max = switch (name) {
            case "var", "str", "int", "nbsrv" -> 1;
            default -> 0;
        };
        if (args.size() < min || args.size() > max) {
            throw new FormatException(at, "fetch '" + name + "' takes " + (min == max ? "" + min : min + " to " + max)
                    + " argument(s) in parentheses, got " + args.size() + " in '%[" + expr + "]'");
        }
        if (name.equals("var")) {
            String v = args.get(0);
            int dot = v.indexOf('.');
            if (dot < 0 || !VAR_SCOPES.contains(v.substring(0, dot)) || dot == v.length() - 1) {
                throw new FormatException(at, "variable '" + v + "': expected SCOPE.NAME with scope sess, txn, req or res");
            }
        }
        if (name.equals("int")) {
            try {
                Long.parseLong(args.get(0).strip());
            } catch (NumberFormatException e) {
                throw new FormatException(at, "int(" + args.get(0) + "): not an integer");
            }
        }
    }
}
