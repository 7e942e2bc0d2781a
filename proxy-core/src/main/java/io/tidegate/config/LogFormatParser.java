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

    /** One piece of a format: literal text, or a variable (quoted when written {@code %{+Q}var}). */
    public record Token(String literal, String variable, boolean quoted) {
        public boolean isLiteral() {
            return variable == null;
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
            if (i + 1 >= format.length()) throw new IllegalArgumentException("log-format ends with a lone '%'");
            char n = format.charAt(i + 1);
            if (n == '%') {
                lit.append('%');
                i += 2;
                continue;
            }
            if (n == '[') {
                throw new IllegalArgumentException("log-format sample expressions ('%[...]') are not supported yet");
            }
            boolean quoted = false;
            int p = i + 1;
            if (n == '{') {
                int close = format.indexOf('}', p);
                if (close < 0) throw new IllegalArgumentException("missing '}' in log-format at '" + format.substring(i) + "'");
                for (String opt : format.substring(p + 1, close).split(",")) {
                    switch (opt) {
                        case "+Q" -> quoted = true;
                        case "-Q", "" -> quoted = false;
                        default -> throw new IllegalArgumentException("unsupported log-format option '" + opt
                                + "' (supported: +Q, -Q)");
                    }
                }
                p = close + 1;
            }
            int start = p;
            while (p < format.length() && Character.isLetter(format.charAt(p))) p++;
            String var = format.substring(start, p);
            if (!VARIABLES.contains(var)) {
                throw new IllegalArgumentException("unknown log-format variable at '" + format.substring(i)
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
}
