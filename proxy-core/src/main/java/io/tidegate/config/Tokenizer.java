package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Splits configuration text into lines of words following HAProxy's lexical rules:
 * <ul>
 *   <li>words are separated by spaces or tabs; {@code #} starts a comment that runs to the end of
 *       the line, unless it is quoted or escaped;</li>
 *   <li>a backslash escapes the next character: {@code \ } (space), {@code \#}, {@code \\},
 *       {@code \'}, {@code \"}, {@code \$}, and {@code \r}, {@code \n}, {@code \t}, {@code \xHH};
 *       before any other character the backslash is kept as written (so regular expressions such as
 *       {@code \.} or {@code \1} pass through);</li>
 *   <li>double quotes ("weak quoting") keep spaces, {@code #} and single quotes literal while
 *       escapes still apply and environment variables ({@code $NAME}, {@code ${NAME}}) are expanded
 *       (an unset variable becomes empty, as in HAProxy);</li>
 *   <li>single quotes ("strong quoting") keep everything literal up to the closing quote;</li>
 *   <li>quoted and unquoted parts written next to each other form one word; {@code ""} is an empty word.</li>
 * </ul>
 * HAProxy has no line continuation: a backslash at the very end of a line is reported as an error
 * rather than silently joined or dropped. An unterminated quote is an error too.
 */
final class Tokenizer {

    private final String source;
    private final UnaryOperator<String> environment;
    private final Consumer<ConfigProblem> problems;

    /**
     * @param environment looks up environment variables ({@code null} result = unset)
     * @param problems    receives lexical errors
     */
    Tokenizer(String source, UnaryOperator<String> environment, Consumer<ConfigProblem> problems) {
        this.source = source;
        this.environment = environment;
        this.problems = problems;
    }

    /** The non-empty lines of {@code text}, in order. */
    List<ConfigLine> lines(String text) {
        List<ConfigLine> lines = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNumber++;
            String raw = text.substring(start, end);
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            List<Word> words = words(raw, lineNumber);
            if (!words.isEmpty()) {
                lines.add(new ConfigLine(words));
            }
            if (end == text.length()) {
                break;
            }
            start = end + 1;
        }
        return lines;
    }

    private List<Word> words(String line, int lineNumber) {
        List<Word> words = new ArrayList<>();
        StringBuilder current = null;
        int[] columns = new int[16];
        int wordColumn = 0;
        char quote = 0;
        int quoteColumn = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (quote == 0 && (c == ' ' || c == '\t')) {
                if (current != null) {
                    words.add(new Word(current.toString(), pos(lineNumber, wordColumn),
                            java.util.Arrays.copyOf(columns, current.length())));
                    current = null;
                }
                i++;
                continue;
            }
            if (quote == 0 && c == '#') {
                break;
            }
            if (current == null) {
                current = new StringBuilder();
                wordColumn = i + 1;
            }
            int stepColumn = i + 1;
            int before = current.length();
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    current.append(c);
                }
                i++;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    problems.accept(ConfigProblem.error(pos(lineNumber, i + 1),
                            "backslash at end of line: the HAProxy syntax has no line continuation "
                                    + "(write the whole statement on one line, or '\\\\' for a backslash)"));
                    if (current.length() == 0 && wordColumn == i + 1) {
                        current = null; // the backslash alone began no word
                    }
                    i++;
                } else {
                    i = escape(line, i, current);
                }
            } else if (c == '"') {
                quote = quote == '"' ? 0 : '"';
                quoteColumn = i + 1;
                i++;
            } else if (c == '\'' && quote == 0) {
                quote = '\'';
                quoteColumn = i + 1;
                i++;
            } else if (c == '$' && quote == '"') {
                i = expand(line, i, current, lineNumber);
            } else {
                current.append(c);
                i++;
            }
            if (current != null && current.length() > before) {
                // the characters this step added were written at its column
                if (columns.length < current.length()) columns = java.util.Arrays.copyOf(columns, current.length() * 2);
                java.util.Arrays.fill(columns, before, current.length(), stepColumn);
            }
        }
        if (quote != 0) {
            problems.accept(ConfigProblem.error(pos(lineNumber, quoteColumn),
                    "unterminated " + (quote == '"' ? "double" : "single") + " quote"));
        }
        if (current != null) {
            words.add(new Word(current.toString(), pos(lineNumber, wordColumn),
                    java.util.Arrays.copyOf(columns, current.length())));
        }
        return words;
    }

    /** Handles the backslash at {@code i}; returns the index after the escape. */
    private int escape(String line, int i, StringBuilder out) {
        char next = line.charAt(i + 1);
        switch (next) {
            case ' ', '#', '\\', '\'', '"', '$' -> out.append(next);
            case 'r' -> out.append('\r');
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'x' -> {
                if (i + 3 < line.length() && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
                    out.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                    return i + 4;
                }
                out.append('\\').append(next);
            }
            default -> out.append('\\').append(next);
        }
        return i + 2;
    }

    /** Expands {@code $NAME} or {@code ${NAME}} at {@code i} (inside double quotes). */
    private int expand(String line, int i, StringBuilder out, int lineNumber) {
        int nameStart;
        int nameEnd;
        int after;
        if (i + 1 < line.length() && line.charAt(i + 1) == '{') {
            nameStart = i + 2;
            nameEnd = line.indexOf('}', nameStart);
            if (nameEnd < 0) {
                problems.accept(ConfigProblem.error(pos(lineNumber, i + 1), "missing '}' after '${'"));
                out.append(line, i, line.length());
                return line.length();
            }
            after = nameEnd + 1;
        } else {
            nameStart = i + 1;
            nameEnd = nameStart;
            while (nameEnd < line.length() && isNameChar(line.charAt(nameEnd), nameEnd == nameStart)) {
                nameEnd++;
            }
            after = nameEnd;
        }
        if (nameEnd == nameStart) {
            out.append('$');
            return i + 1;
        }
        String value = environment.apply(line.substring(nameStart, nameEnd));
        if (value != null) {
            out.append(value);
        }
        return after;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private SourcePos pos(int line, int column) {
        return new SourcePos(source, line, column);
    }
}
