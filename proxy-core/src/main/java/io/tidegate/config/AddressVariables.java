package io.tidegate.config;

import java.util.function.UnaryOperator;

/**
 * Expands environment variables in an address ({@code bind 127.0.0.1:$PORT}, {@code server s ${HOST}:80}),
 * quoted or not, as HAProxy does for every address: {@code $NAME} or {@code ${NAME}} (letters, digits,
 * {@code _}) is replaced by the variable's value, and an unset variable by nothing.
 */
final class AddressVariables {

    /** The expanded text and the first variable that was not set (null when all were). */
    record Expanded(String text, String unset) {
    }

    private AddressVariables() {
    }

    static Expanded expand(String text, UnaryOperator<String> environment) {
        if (text.indexOf('$') < 0) {
            return new Expanded(text, null);
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        String unset = null;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            int start = i + 1;
            boolean braced = start < text.length() && text.charAt(start) == '{';
            if (braced) start++;
            int end = start;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            String name = text.substring(start, end);
            String value = name.isEmpty() ? null : environment.apply(name);
            if (value != null) {
                out.append(value);
            } else if (unset == null && !name.isEmpty()) {
                unset = name;
            }
            i = braced && end < text.length() && text.charAt(end) == '}' ? end + 1 : end;
        }
        return new Expanded(out.toString(), unset);
    }
}
