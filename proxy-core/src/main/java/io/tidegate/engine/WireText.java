package io.tidegate.engine;

import io.tidegate.config.AclDef;
import io.tidegate.config.Condition;
import io.tidegate.config.ProxyRule;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place where configuration text becomes engine text. The engine works on the bytes of the
 * wire, one char per byte (ISO-8859-1), so that a header is matched and rewritten in place. The
 * configuration is read as UTF-8 into Unicode strings (readable in messages, JMX and the admin
 * app). HAProxy compares raw bytes, so a pattern {@code Zürich} in a UTF-8 file matches the UTF-8
 * bytes of Zürich: the text the engine compares with or writes to the wire is the UTF-8 encoding
 * of the configuration's text, each byte one char. {@link PlanBuilder} applies it when it hands
 * a configuration's rules and log formats to the engine; nothing else in the engine converts
 * configuration text.
 * ASCII text is unchanged.
 */
final class WireText {

    /**
     * Rule parameters that name something of the configuration or the file system rather than
     * bytes of a message: they stay as written (file names are opened by the engine, backend,
     * service and variable names are looked up).
     */
    private static final Set<String> NAMES = Set.of("file", "errorfile", "backend", "service", "var", "fetch");
    // (inside %[...] of a value or a log-format, non-ASCII text can only be a string argument such as
    // str(Zürich), which is bytes too: HAProxy allows no other character than [A-Za-z0-9_.:-] in names)

    private WireText() {
    }

    /** {@code text}'s UTF-8 bytes, one char each; null stays null. */
    static String of(String text) {
        if (text == null) return null;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    /** The rules with their patterns, header names and values, strings and regexes in engine text. */
    static List<ProxyRule> rules(List<ProxyRule> rules) {
        return rules.stream().map(WireText::rule).toList();
    }

    private static ProxyRule rule(ProxyRule r) {
        Map<String, String> params = new LinkedHashMap<>();
        r.params().forEach((k, v) -> params.put(k, NAMES.contains(k) ? v : of(v)));
        return new ProxyRule(r.phase(), r.action(), params, condition(r.condition()), acl(r.acl()), r.words(), r.pos());
    }

    private static Condition condition(Condition c) {
        if (c == null) return null;
        return new Condition(c.unless(), c.alternatives().stream()
                .map(terms -> terms.stream()
                        .map(t -> new Condition.Term(t.negated(), t.name(), t.acls().stream().map(WireText::acl).toList()))
                        .toList())
                .toList());
    }

    /** An ACL's patterns (from its line or its -f files); its fetch arguments name headers, backends, userlists. */
    private static AclDef acl(AclDef a) {
        if (a == null) return null;
        return new AclDef(a.name(), a.fetch(), a.fetchArgs(), a.method(), a.ignoreCase(),
                a.patterns().stream().map(WireText::of).toList(), a.words(), a.pos(), a.converters());
    }
}
