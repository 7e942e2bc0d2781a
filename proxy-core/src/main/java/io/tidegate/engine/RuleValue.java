package io.tidegate.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The value of a rule ({@code set-header NAME VALUE}, {@code redirect location VALUE}, ...): text
 * with {@code %[fetch]} samples. A value without samples is constant and built once.
 */
final class RuleValue {
    private final Object[] parts;     // String or SampleFetch
    private final String constant;

    private RuleValue(Object[] parts, String constant) {
        this.parts = parts;
        this.constant = constant;
    }

    static RuleValue parse(String text, Function<String, RuntimeBackend> backends, RuntimeBackend own) {
        return parse(text, backends, own, n -> null);
    }

    /** As above; {@code scope} resolves the stick tables of sc_* / src_* fetches. */
    static RuleValue parse(String text, Function<String, RuntimeBackend> backends, RuntimeBackend own, RuleScope scope) {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 1 < text.length() && text.charAt(i + 1) == '%') {
                lit.append('%');
                i += 2;
            } else if (c == '%' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                int close = text.indexOf(']', i);
                String expr = text.substring(i + 2, close);
                if (lit.length() > 0) {
                    parts.add(lit.toString());
                    lit.setLength(0);
                }
                parts.add(SampleFetch.expression(expr, backends, own, scope));
                i = close + 1;
            } else {
                lit.append(c);
                i++;
            }
        }
        if (lit.length() > 0) parts.add(lit.toString());
        boolean constant = parts.stream().allMatch(p -> p instanceof String);
        return new RuleValue(parts.toArray(), constant ? String.join("", parts.stream().map(String.class::cast).toList())
                : null);
    }

    /** True when the value is the same for every request of a connection (text and src/dst/ports only). */
    boolean perConnection() {
        for (Object p : parts) if (p instanceof SampleFetch f && !f.perConnection()) return false;
        return true;
    }

    boolean isConstant() {
        return constant != null;
    }

    String constant() {
        return constant;
    }

    String render(ExchangeFacts x) {
        if (constant != null) return constant;
        StringBuilder out = new StringBuilder(64);
        for (Object p : parts) {
            if (p instanceof String s) out.append(s);
            else ((SampleFetch) p).append(x, out);
        }
        return out.toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
