package io.tidegate.engine;

import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code http-request} or {@code http-response} rule at run time (also the old {@code redirect},
 * {@code block} and 1.x {@code req*}/{@code rsp*} rules): a condition and an action on the head being
 * forwarded. Header edits are recorded in the exchange's {@link HeadEdits} and spliced in by
 * {@link HeadWriter}; later rules read the head as received.
 */
abstract class HttpRule {
    /** Go on with the next rule. */
    static final int CONTINUE = 0;
    /** {@code allow}: stop evaluating this rule set. */
    static final int STOP = 1;
    /** A local answer was chosen ({@link ExchangeFacts#answer}). */
    static final int ANSWER = 2;

    final RuleCondition condition;

    HttpRule(RuleCondition condition) {
        this.condition = condition;
    }

    /** Applies the action to head {@code h}; returns CONTINUE, STOP or ANSWER. */
    abstract int apply(ExchangeFacts x, MessageHead h, HeadEdits e);

    // ------------------------------------------------------------------ outcomes

    static final class Allow extends HttpRule {
        Allow(RuleCondition c) {
            super(c);
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            return STOP;
        }
    }

    /** deny, return, block: an answer built once. */
    static final class Answer extends HttpRule {
        final LocalResponse response;
        private final boolean denies;

        Answer(RuleCondition c, LocalResponse response, boolean denies) {
            super(c);
            this.response = response;
            this.denies = denies;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            x.answer = response;
            x.denied = denies;
            return ANSWER;
        }
    }

    /** http-request track-sc*, sc-inc-gpc0/1, sc-set-gpt0: counts, then the next rule. */
    static final class Counter extends HttpRule {
        private final CounterAction action;

        Counter(RuleCondition c, CounterAction action) {
            super(c);
            this.action = action;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            action.run(x);
            return CONTINUE;
        }
    }

    /** http-request use-service NAME. */
    static final class UseService extends HttpRule {
        private final LocalService service;

        UseService(RuleCondition c, LocalService service) {
            super(c);
            this.service = service;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            x.answer = service.answer((RequestHead) h);
            return ANSWER;
        }
    }

    /** redirect location|prefix|scheme VALUE [code N] [drop-query] [append-slash]. */
    static final class Redirect extends HttpRule {
        private final String type;
        private final RuleValue value;
        private final int code;
        private final boolean dropQuery;
        private final boolean appendSlash;

        Redirect(RuleCondition c, String type, RuleValue value, int code, boolean dropQuery, boolean appendSlash) {
            super(c);
            this.type = type;
            this.value = value;
            this.code = code;
            this.dropQuery = dropQuery;
            this.appendSlash = appendSlash;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            RequestHead r = (RequestHead) h;
            ByteBuffer b = r.buffer();
            StringBuilder loc = new StringBuilder(128);
            String v = value.render(x);
            int ps = SampleFetch.pathStart(r);
            int q = SampleFetch.queryMark(r, ps);
            switch (type) {
                case "location" -> loc.append(v);
                case "prefix" -> {
                    if (!v.equals("/")) loc.append(v);
                    appendUri(loc, b, ps, q, r.targetEnd());
                }
                default -> {      // scheme
                    loc.append(v).append("://");
                    int host = r.find(HOST);
                    if (host >= 0) SampleFetch.appendRange(loc, b, r.valueStart(host), r.valueEnd(host));
                    appendUri(loc, b, ps, q, r.targetEnd());
                }
            }
            x.answer = LocalResponse.redirect(code, loc.toString());
            return ANSWER;
        }

        private void appendUri(StringBuilder loc, ByteBuffer b, int ps, int q, int end) {
            SampleFetch.appendRange(loc, b, ps, q);
            if (appendSlash && (q == ps || b.get(q - 1) != '/')) loc.append('/');
            if (!dropQuery && q < end) SampleFetch.appendRange(loc, b, q, end);
        }

        private static final byte[] HOST = {'h', 'o', 's', 't'};
    }

    /** set-var(SCOPE.NAME) FETCH: stores the fetch's value (nothing when it has none). */
    static final class SetVar extends HttpRule {
        private final String name;
        private final SampleFetch fetch;

        SetVar(RuleCondition c, String name, SampleFetch fetch) {
            super(c);
            this.name = name;
            this.fetch = fetch;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            StringBuilder sb = new StringBuilder(32);
            fetch.append(x, sb);
            if (sb.length() > 0) x.setVar(name, RuleValue.bytes(sb.toString()));
            return CONTINUE;
        }
    }

    // ------------------------------------------------------------------ header edits

    /** set-header / add-header NAME VALUE. */
    static final class AddHeader extends HttpRule {
        private final byte[] lowerName;
        private final String name;
        private final RuleValue value;
        private final byte[] constantLine;
        private final boolean perConnection;
        private final boolean replaceExisting;

        AddHeader(RuleCondition c, String name, RuleValue value, boolean replaceExisting) {
            super(c);
            this.name = name;
            this.lowerName = lowerName(name);
            this.value = value;
            this.constantLine = value.isConstant() ? RuleValue.bytes(name + ": " + value.constant() + "\r\n") : null;
            this.perConnection = value.perConnection();
            this.replaceExisting = replaceExisting;
        }

        private byte[] render(ExchangeFacts x) {
            return RuleValue.bytes(name + ": " + value.render(x) + "\r\n");
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            byte[] line = constantLine;
            if (line == null && perConnection) {
                line = x.linesOfConnection.get(this);    // e.g. X-Real-IP: %[src], built once per connection
                if (line == null) {
                    line = render(x);
                    x.linesOfConnection.put(this, line);
                }
            } else if (line == null) {
                line = render(x);
            }
            if (replaceExisting) deleteAll(h, e, lowerName);
            e.add(lowerName, line);
            return CONTINUE;
        }
    }

    /** del-header NAME. */
    static final class DelHeader extends HttpRule {
        private final byte[] lowerName;

        DelHeader(RuleCondition c, String name) {
            super(c);
            this.lowerName = lowerName(name);
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            deleteAll(h, e, lowerName);
            return CONTINUE;
        }
    }

    /** A header name as the header rules compare it: lower case, in bytes. */
    static byte[] lowerName(String name) {
        return RuleValue.bytes(name.toLowerCase(Locale.ROOT));
    }

    /** Header line {@code i} of {@code h} is named {@code lowerName} (compared without case, in place). */
    static boolean isHeader(MessageHead h, int i, byte[] lowerName) {
        return io.tidegate.http.HttpSyntax.equalsIgnoreCase(h.buffer(), h.lineStart(i), h.nameEnd(i), lowerName);
    }

    static void deleteAll(MessageHead h, HeadEdits e, byte[] lowerName) {
        for (int i = 0; i < h.headerCount(); i++) {
            if (isHeader(h, i, lowerName)) {
                e.replace(i, HeadEdits.DELETED);
            }
        }
        e.removeAdded(lowerName);
    }

    /**
     * replace-header NAME REGEX REPLACEMENT (the whole value, when the regex is found in it, becomes
     * the replacement with \1..\9 expanded) and replace-value (the same for each comma-separated value).
     */
    static final class ReplaceHeader extends HttpRule {
        private final String name;
        private final byte[] lowerName;
        private final Pattern regex;
        private final RuleValue replacement;
        private final boolean eachValue;

        ReplaceHeader(RuleCondition c, String name, String regex, RuleValue replacement, boolean eachValue) {
            super(c);
            this.name = name;
            this.lowerName = lowerName(name);
            this.regex = Pattern.compile(regex);
            this.replacement = replacement;
            this.eachValue = eachValue;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            for (int i = 0; i < h.headerCount(); i++) {
                if (e.isReplaced(i) || !isHeader(h, i, lowerName)) continue;
                String v = h.value(i);
                String repl = replacement.render(x);
                String out;
                if (eachValue) {
                    StringBuilder sb = new StringBuilder();
                    boolean changed = false;
                    for (String part : v.split(",", -1)) {
                        if (sb.length() > 0) sb.append(',');
                        Matcher m = regex.matcher(part.strip());
                        if (m.find()) {
                            sb.append(expand(repl, m));
                            changed = true;
                        } else {
                            sb.append(part);
                        }
                    }
                    if (!changed) continue;
                    out = sb.toString();
                } else {
                    Matcher m = regex.matcher(v);
                    if (!m.find()) continue;
                    out = expand(repl, m);
                }
                e.replace(i, RuleValue.bytes(name + ": " + out + "\r\n"));
            }
            return CONTINUE;
        }
    }

    /** HAProxy's replacement strings: \1..\9 are groups, \\ a backslash. */
    static String expand(String replacement, Matcher m) {
        StringBuilder out = new StringBuilder(replacement.length() + 16);
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && i + 1 < replacement.length()) {
                char d = replacement.charAt(i + 1);
                if (d >= '0' && d <= '9') {
                    int g = d - '0';
                    if (g <= m.groupCount() && m.group(g) != null) out.append(m.group(g));
                    i++;
                    continue;
                }
                if (d == '\\') {
                    out.append('\\');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ start line

    /** set-path, set-query, set-uri: a new request line. */
    static final class SetTarget extends HttpRule {
        static final int PATH = 0, QUERY = 1, URI = 2;
        private final int what;
        private final RuleValue value;

        SetTarget(RuleCondition c, int what, RuleValue value) {
            super(c);
            this.what = what;
            this.value = value;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            RequestHead r = (RequestHead) h;
            ByteBuffer b = r.buffer();
            StringBuilder line = new StringBuilder(128);
            SampleFetch.appendRange(line, b, r.start(), r.methodEnd());
            line.append(' ');
            int ps = SampleFetch.pathStart(r);
            int q = SampleFetch.queryMark(r, ps);
            String v = value.render(x);
            switch (what) {
                case PATH -> {
                    SampleFetch.appendRange(line, b, r.targetStart(), ps);
                    line.append(v);
                    SampleFetch.appendRange(line, b, q, r.targetEnd());
                }
                case QUERY -> {
                    SampleFetch.appendRange(line, b, r.targetStart(), q);
                    if (!v.isEmpty()) line.append('?').append(v.startsWith("?") ? v.substring(1) : v);
                }
                default -> line.append(v);
            }
            line.append(" HTTP/1.").append(r.minorVersion()).append("\r\n");
            e.startLine(RuleValue.bytes(line.toString()));
            return CONTINUE;
        }
    }

    /** http-response set-status CODE [reason TEXT]. */
    static final class SetStatus extends HttpRule {
        private final int code;
        private final String reason;

        SetStatus(RuleCondition c, int code, String reason) {
            super(c);
            this.code = code;
            this.reason = reason == null ? Statuses.reason(code) : reason;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            e.startLine(RuleValue.bytes("HTTP/1." + h.minorVersion() + " " + code + " " + reason + "\r\n"));
            return CONTINUE;
        }
    }

    // ------------------------------------------------------------------ 1.x line rules

    /**
     * reqrep/reqdel/rsprep/rspdel of HAProxy 1.x: the regex is searched in the start line and each
     * header line (without CRLF); a matching line is deleted, or replaced as a whole by the replacement
     * with \1..\9 expanded (as 1.x did).
     */
    static final class LegacyLine extends HttpRule {
        private final Pattern regex;
        private final String replacement;    // null = delete

        LegacyLine(RuleCondition c, String regex, boolean ignoreCase, String replacement) {
            super(c);
            this.regex = Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            this.replacement = replacement;
        }

        @Override
        int apply(ExchangeFacts x, MessageHead h, HeadEdits e) {
            ByteBuffer b = h.buffer();
            if (replacement != null && e.startLine() == null) {
                String start = io.tidegate.http.HttpSyntax.ascii(b, h.start(), h.startLineEnd() - 2);
                Matcher m = regex.matcher(start);
                if (m.find()) e.startLine(RuleValue.bytes(expand(replacement, m) + "\r\n"));
            }
            for (int i = 0; i < h.headerCount(); i++) {
                if (e.isReplaced(i)) continue;
                String line = io.tidegate.http.HttpSyntax.ascii(b, h.lineStart(i), h.lineEnd(i) - 2);
                Matcher m = regex.matcher(line);
                if (!m.find()) continue;
                e.replace(i, replacement == null ? HeadEdits.DELETED
                        : RuleValue.bytes(expand(replacement, m) + "\r\n"));
            }
            return CONTINUE;
        }
    }
}
