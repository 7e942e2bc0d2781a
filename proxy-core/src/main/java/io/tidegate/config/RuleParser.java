package io.tidegate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the rule statements of a proxy section into {@link ProxyRule}s: {@code acl}, conditions
 * ({@code if}/{@code unless}), {@code use_backend ... if}, {@code http-request}, {@code http-response},
 * {@code redirect}, {@code errorfile}, {@code tcp-request}, and the 1.x header rules
 * ({@code reqadd}, {@code reqrep}, ...). Every problem is a {@link StatementError} at the word it concerns.
 */
final class RuleParser {

    /** HAProxy's predefined ACLs this parser knows, as the words of an {@code acl} line after the name. */
    static final Map<String, List<String>> PREDEFINED = predefined();

    private static final Set<String> HTTP_REQUEST_ACTIONS = Set.of("allow", "deny", "return", "redirect",
            "set-header", "add-header", "del-header", "replace-header", "replace-value", "set-path", "set-query",
            "set-uri", "use-service", "auth");
    private static final Set<String> HTTP_RESPONSE_ACTIONS = Set.of("allow", "deny", "set-header", "add-header",
            "del-header", "replace-header", "replace-value", "set-status", "return");
    private static final Set<Integer> DENY_STATUSES = Set.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425,
            429, 500, 501, 502, 503, 504);
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);

    private final ParseContext ctx;

    RuleParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------ acl

    void acl(ConfigLine line, ProxyDraft d) {
        ProxyStatementParser.atLeast(line, 3, "acl needs a name and a fetch, e.g. 'acl api path_beg /api'");
        Word name = line.word(1);
        d.failedAcls.add(name.text());      // until it parsed: a rule naming it says so instead of "unknown ACL"
        if (!name.text().matches("[A-Za-z0-9_.:-]+")) {
            throw new StatementError(name, "invalid ACL name '" + name.text()
                    + "': only letters, digits, '-', '_', '.' and ':' are allowed");
        }
        AclDef acl = aclBody(name.text(), line.from(2), line.word(2), d);
        d.acls.computeIfAbsent(name.text(), k -> new ArrayList<>()).add(acl);
        d.failedAcls.remove(name.text());
        d.rules.add(new ProxyRule(ProxyRule.Phase.ACL, "acl", Map.of(), null, acl, texts(line.words()), line.pos()));
        ctx.use("acl", line.pos());
    }

    /** FETCH[(ARGS)] [flags] [operator] VALUE... */
    private AclDef aclBody(String name, List<Word> words, Word at, ProxyDraft d) {
        if (words.isEmpty()) {
            throw new StatementError(at, "an ACL needs a fetch, e.g. 'path_beg /api'");
        }
        Word fetchWord = words.get(0);
        String text = fetchWord.text();
        List<String> args = new ArrayList<>();
        String fetchName = text;
        List<String> converters = new ArrayList<>();
        int converter = converterStart(text);
        if (converter >= 0) {
            converters.addAll(converters(fetchWord, 0, text));
            text = text.substring(0, converter);
            fetchName = text;
        }
        int open = text.indexOf('(');
        if (open >= 0) {
            if (!text.endsWith(")")) {
                throw new StatementError(fetchWord, "missing ')' in '" + text + "'");
            }
            fetchName = text.substring(0, open);
            String inner = text.substring(open + 1, text.length() - 1);
            if (!inner.isEmpty()) {
                args.addAll(List.of(inner.split(",", -1)));
            }
        }
        if (fetchName.contains(",")) {
            throw new StatementError(fetchWord, "converters ('" + fetchName.substring(fetchName.indexOf(','))
                    + "') are not supported yet");
        }
        String fn = fetchName;
        AclFetches.Resolved resolved = AclFetches.resolve(fn).orElseThrow(() -> new StatementError(fetchWord,
                "unknown or unsupported fetch '" + fn + "' (supported: " + AclFetches.supportedNames() + ")"));
        AclFetches.Fetch fetch = resolved.fetch();
        if (args.size() < fetch.minArgs() || args.size() > fetch.maxArgs()) {
            throw new StatementError(fetchWord, "fetch '" + fn + "' takes "
                    + (fetch.minArgs() == fetch.maxArgs() ? fetch.minArgs() + "" : fetch.minArgs() + " to "
                    + fetch.maxArgs()) + " argument(s) in parentheses, got " + args.size());
        }
        if (fn.equals("var")) {
            variable(fetchWord, args.get(0));
        }
        CounterFetch counter = CounterFetch.parse(fn).orElse(null);
        if (counter != null && counter.form() == CounterFetch.Form.SC) {
            String n = args.get(0).strip();
            if (!n.matches("[0-9]+")) throw new StatementError(fetchWord, fn + " needs a counter number first, e.g. "
                    + fn + "(0)");
            slot(fetchWord, n);
        }
        if (fn.equals("req.payload") || fn.equals("req.payload_lv")) {
            payloadArgs(fetchWord, fn, args);
        }
        if (fn.equals("nbsrv") && args.isEmpty() && d.type != SectionType.BACKEND && d.type != SectionType.LISTEN) {
            throw new StatementError(fetchWord, "nbsrv needs a backend name here, e.g. nbsrv(app)");
        }
        AclMatch method = resolved.implied();
        boolean ignoreCase = false;
        List<String> patterns = new ArrayList<>();
        int i = 1;
        boolean endOfFlags = false;
        for (; i < words.size(); i++) {
            Word w = words.get(i);
            String t = w.text();
            if (t.equals("--")) {
                endOfFlags = true;
                i++;
                break;
            }
            if (!t.startsWith("-") || t.length() < 2 || Character.isDigit(t.charAt(1))) {
                break;
            }
            switch (t) {
                case "-i" -> ignoreCase = true;
                case "-n" -> {
                    // no DNS resolution: Tidegate never resolves ACL patterns
                }
                case "-m" -> {
                    Word m = next(words, i, "-m needs a method: str, beg, end, sub, reg, dom, dir, len, found, int, ip, bool, bin");
                    AclMatch mm = AclMatch.fromKeyword(m.text()).orElseThrow(() -> new StatementError(m,
                            "unknown match method '" + m.text() + "'; expected str, beg, end, sub, reg, dom, dir, "
                                    + "len, found, int, ip, bool or bin"));
                    if (resolved.implied() != null) {
                        throw new StatementError(m, "'" + fn + "' already implies '-m " + resolved.implied().keyword()
                                + "'; write the base fetch with -m instead");
                    }
                    method = mm;
                    i++;
                }
                case "-f" -> {
                    Word f = next(words, i, "-f needs a file of patterns");
                    patterns.addAll(patternFile(f));
                    i++;
                }
                default -> throw new StatementError(w, "unknown or unsupported ACL flag '" + t
                        + "'; supported: -i, -f FILE, -m METHOD, -n, --");
            }
        }
        AclFetches.Type outType = ConverterSpec.outputType(converters, fetch.type());
        if (method == null) {
            method = switch (outType) {
                case STR -> AclMatch.STR;
                case INT -> AclMatch.INT;
                case IP -> AclMatch.IP;
                case BOOL -> AclMatch.BOOL;
                case BIN -> AclMatch.BIN;
            };
        }
        if (converters.isEmpty()) checkMethodFits(fetchWord, fn, fetch, method);
        List<Word> values = words.subList(Math.min(i, words.size()), words.size());
        if (method == AclMatch.INT && (fn.equals("req.ssl_ver") || fn.equals("req_ssl_ver"))) {
            values = dottedVersions(values);
        }
        if (method == AclMatch.INT || method == AclMatch.LEN) {
            patterns.addAll(intPatterns(values));
        } else {
            for (Word v : values) {
                patterns.add(v.text());
                checkPattern(v, v.text(), method);
            }
        }
        if (patterns.isEmpty() && method != AclMatch.BOOL && method != AclMatch.FOUND && !endOfFlags
                && values.isEmpty()) {
            ctx.warning(fetchWord.pos(), "ACL '" + fn + "' has no pattern, so it never matches (write '-m found' to "
                    + "test that the value exists, or '--' to silence this warning)");
        }
        if ((method == AclMatch.BOOL || method == AclMatch.FOUND) && !patterns.isEmpty()) {
            throw new StatementError(values.isEmpty() ? fetchWord : values.get(0), "'" + fn + "' with -m "
                    + method.keyword() + " takes no value");
        }
        return new AclDef(name, fetch.name(), args, method, ignoreCase, patterns, texts(words), fetchWord.pos(),
                converters);
    }

    /**
     * req.payload(OFFSET,LENGTH): two integers from 0; req.payload_lv(OFFSET1,LENGTH[,OFFSET2]): LENGTH
     * 1 to 4 bytes, OFFSET2 an absolute offset or, with a sign, one relative to the end of the length.
     */
    private static void payloadArgs(Word at, String fn, List<String> args) {
        boolean lv = fn.equals("req.payload_lv");
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k).strip();
            boolean signed = lv && k == 2;
            if (!a.matches(signed ? "[+-]?\\d{1,9}" : "\\d{1,9}")) {
                throw new StatementError(at, "argument " + (k + 1) + " of '" + fn + "' must be " + (signed
                        ? "an offset, absolute (N) or relative to the end of the length (+N or -N)"
                        : "a non-negative integer") + ", got '" + a + "'");
            }
        }
        if (lv) {
            int size = Integer.parseInt(args.get(1).strip());
            if (size < 1 || size > 4) {
                throw new StatementError(at, "the length of '" + fn + "' (argument 2) must be 1 to 4 bytes, got " + size);
            }
        }
    }

    /** The MAJOR.MINOR versions req.ssl_ver's ACL takes (3.1, 3.0:3.3), as the integers the fetch returns. */
    private static List<Word> dottedVersions(List<Word> values) {
        List<Word> out = new ArrayList<>();
        for (Word v : values) {
            List<String> parts = new ArrayList<>();
            for (String part : v.text().split(":", -1)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})\\.(\\d{1,5})").matcher(part);
                parts.add(m.matches() ? String.valueOf((Long.parseLong(m.group(1)) << 16) + Long.parseLong(m.group(2)))
                        : part);
            }
            String t = String.join(":", parts);
            out.add(new Word(t, v.pos()));
        }
        return out;
    }

    /**
     * The converters of the sample expression {@code expr} (written at {@code at} in {@code w}), as
     * written, each checked (name, arguments, map file readable); an unknown or wrong one fails at
     * its own column with the list of supported converters.
     */
    private static List<String> converters(Word w, int at, String expr) {
        List<String> parts = ConverterSpec.splitTopLevel(expr);
        List<String> out = new ArrayList<>();
        int offset = at + parts.get(0).length() + 1;
        for (String written : parts.subList(1, parts.size())) {
            String c = written;
            Word cw = w.pointingAt(offset);
            ConverterSpec spec;
            try {
                spec = ConverterSpec.parse(c);
            } catch (IllegalArgumentException e) {
                throw new StatementError(cw, e.getMessage());
            }
            if (ConverterSpec.isMap(spec.name())) {
                Word file = new Word(spec.args().get(0).strip(), cw.pos());
                patternFile(file);
                // the engine reads the map when the plan is built: give it the path found here
                String resolved = resolve(file).toAbsolutePath().toString();
                int open = c.indexOf('(');
                int end = c.indexOf(',', open);
                c = c.substring(0, open + 1) + resolved + c.substring(end < 0 ? c.length() - 1 : end);
            }
            if (spec.name().equals("regsub")) {
                try {
                    java.util.regex.Pattern.compile(spec.args().get(0));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new StatementError(cw, "regsub: bad regular expression '" + spec.args().get(0) + "'");
                }
            }
            out.add(c);
            offset += written.length() + 1;
        }
        return out;
    }

    /**
     * A sample expression of a rule: the text to store (converters checked, map files as absolute
     * paths), the fetch as written ({@code req.hdr(host)}), its base name and what it is.
     */
    private record SampleExpression(String stored, String fetchText, String name, AclFetches.Fetch fetch) {
    }

    /** Checks {@code expr} (written at {@code at} in {@code w}); an unknown fetch fails with "fetch 'NAME'" + {@code unknown}. */
    private static SampleExpression sampleExpression(Word w, int at, String expr, String unknown) {
        String fetchText = ConverterSpec.splitTopLevel(expr).get(0);
        String name = fetchText.contains("(") ? fetchText.substring(0, fetchText.indexOf('(')) : fetchText;
        AclFetches.Fetch f = AclFetches.base(name).orElseThrow(() -> new StatementError(w,
                "fetch '" + name + "'" + unknown));
        return new SampleExpression(checkedExpression(w, at, expr), fetchText, name, f);
    }

    /** {@code expr} with its converters checked and map files as absolute paths, to be stored in the rule. */
    private static String checkedExpression(Word w, int at, String expr) {
        List<String> convs = converters(w, at, expr);
        String fetch = ConverterSpec.splitTopLevel(expr).get(0);
        return convs.isEmpty() ? expr : fetch + "," + String.join(",", convs);
    }

    /** Where the first converter ({@code ,lower}) of a fetch expression starts, or -1. */
    private static int converterStart(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) return i;
        }
        return -1;
    }

    private static void checkMethodFits(Word at, String fn, AclFetches.Fetch fetch, AclMatch method) {
        boolean ok = switch (fetch.type()) {
            case STR, BIN -> method != AclMatch.INT && method != AclMatch.IP && method != AclMatch.BOOL;
            case INT -> method == AclMatch.INT || method == AclMatch.FOUND;
            case IP -> method == AclMatch.IP || method == AclMatch.FOUND;
            case BOOL -> method == AclMatch.BOOL || method == AclMatch.FOUND;
        };
        if (!ok) {
            throw new StatementError(at, "'-m " + method.keyword() + "' cannot match '" + fn + "', which returns "
                    + fetch.type().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void checkPattern(Word at, String p, AclMatch method) {
        if (method == AclMatch.REG) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new StatementError(at, "invalid regular expression '" + p + "': " + e.getDescription());
            }
        } else if (method == AclMatch.BIN && !p.matches("([0-9A-Fa-f]{2})+")) {
            throw new StatementError(at, "invalid binary pattern '" + p + "' for -m bin: expected pairs of hexadecimal "
                    + "digits, e.g. 160301");
        } else if (method == AclMatch.IP && !isNetwork(p)) {
            throw new StatementError(at, "invalid address or network '" + p
                    + "' (expected an IPv4/IPv6 address, ADDRESS/BITS or ADDRESS/MASK)");
        }
    }

    /** A literal IPv4/IPv6 address, optionally with /BITS (or an IPv4 /MASK). */
    static boolean isNetwork(String p) {
        int slash = p.indexOf('/');
        String host = slash < 0 ? p : p.substring(0, slash);
        String mask = slash < 0 ? null : p.substring(slash + 1);
        if (host.contains(":")) {
            if (!host.matches("[0-9A-Fa-f:.]+")) return false;
            try {
                java.net.InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                return false;
            }
            return mask == null || (mask.matches("\\d{1,3}") && Integer.parseInt(mask) <= 128);
        }
        if (!isIpv4(host)) return false;
        return mask == null || (mask.matches("\\d{1,2}") && Integer.parseInt(mask) <= 32) || isIpv4(mask);
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) return false;
        }
        return true;
    }

    /** Integer patterns: N, N:M, :M, N:, or OPERATOR N with eq, ge, gt, le, lt; stored as "LOW:HIGH". */
    private static List<String> intPatterns(List<Word> values) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Word w = values.get(i);
            String t = w.text();
            switch (t) {
                case "eq", "ge", "gt", "le", "lt" -> {
                    Word n = next(values, i, "'" + t + "' needs a number");
                    long v = number(n, n.text());
                    out.add(switch (t) {
                        case "eq" -> v + ":" + v;
                        case "ge" -> v + ":";
                        case "gt" -> (v + 1) + ":";
                        case "le" -> ":" + v;
                        default -> ":" + (v - 1);
                    });
                    i++;
                }
                default -> {
                    int colon = t.indexOf(':');
                    if (colon < 0) {
                        long v = number(w, t);
                        out.add(v + ":" + v);
                    } else {
                        String lo = t.substring(0, colon);
                        String hi = t.substring(colon + 1);
                        if (!lo.isEmpty()) number(w, lo);
                        if (!hi.isEmpty()) number(w, hi);
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    private static long number(Word at, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new StatementError(at, "expected an integer, N:M range or an operator (eq, ge, gt, le, lt), got '"
                    + s + "'");
        }
    }

    /**
     * The patterns of {@code -f FILE}, read as HAProxy 2.6 reads them: one per line; a line whose
     * first character is {@code #} is a comment; leading spaces and tabs are dropped (so
     * {@code " #x"} is the pattern {@code #x}); the pattern ends at the first CR or LF, trailing
     * spaces included; lines left empty are skipped.
     */
    /** A file named in the configuration: as written, or beside the configuration file when relative and not found. */
    private static Path resolve(Word f) {
        Path p = Path.of(f.text());
        if (!p.isAbsolute() && !Files.exists(p)) {
            Path dir = Path.of(f.pos().source()).toAbsolutePath().getParent();
            if (dir != null) p = dir.resolve(f.text());
        }
        return p;
    }

    private static List<String> patternFile(Word f) {
        Path p = resolve(f);
        try {
            List<String> out = new ArrayList<>();
            for (String l : Files.readString(p, StandardCharsets.UTF_8).split("\n")) {
                if (l.startsWith("#")) continue;
                int from = 0;
                while (from < l.length() && (l.charAt(from) == ' ' || l.charAt(from) == '\t')) from++;
                int cr = l.indexOf('\r', from);
                String t = l.substring(from, cr < 0 ? l.length() : cr);
                if (!t.isEmpty()) out.add(t);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new StatementError(f, "cannot read the pattern file '" + f.text() + "'");
        }
    }

    // ------------------------------------------------------------------ conditions

    /** The index of the first {@code if}/{@code unless} word at or after {@code from}, or -1. */
    static int conditionStart(ConfigLine line, int from) {
        for (int i = from; i < line.size(); i++) {
            String t = line.text(i);
            if (t.equals("if") || t.equals("unless")) return i;
        }
        return -1;
    }

    /** Parses {@code if|unless TERMS...} starting at word {@code at}. */
    Condition condition(ConfigLine line, int at, ProxyDraft d, ProxyRule.Phase phase) {
        boolean unless = line.text(at).equals("unless");
        List<Word> words = line.from(at + 1);
        if (words.isEmpty()) {
            throw new StatementError(line.word(at), "'" + line.text(at) + "' needs a condition, e.g. 'if is_api' or "
                    + "'if { path_beg /api }'");
        }
        List<List<Condition.Term>> alternatives = new ArrayList<>();
        List<Condition.Term> current = new ArrayList<>();
        boolean negate = false;
        for (int i = 0; i < words.size(); i++) {
            Word w = words.get(i);
            String t = w.text();
            if (t.equals("||") || t.equals("or")) {
                if (current.isEmpty() || negate) {
                    throw new StatementError(w, "'" + t + "' must stand between two ACLs");
                }
                alternatives.add(current);
                current = new ArrayList<>();
                continue;
            }
            if (t.equals("!")) {
                negate = !negate;
                continue;
            }
            if (t.startsWith("!")) {      // HAProxy also reads '!name' and '!{' as one word
                negate = !negate;
                t = t.substring(1);
                w = new Word(t, w.pos());
            }
            Condition.Term term;
            if (t.equals("{")) {
                int close = i + 1;
                while (close < words.size() && !words.get(close).text().equals("}")) close++;
                if (close >= words.size()) {
                    throw new StatementError(w, "'{' without a closing '}' (write spaces around the braces)");
                }
                if (close == i + 1) {
                    throw new StatementError(w, "empty anonymous ACL '{ }'");
                }
                AclDef acl = aclBody(null, words.subList(i + 1, close), words.get(i + 1), d);
                checkSide(words.get(i + 1), acl, phase, ctx);
                term = new Condition.Term(negate, "{" + String.join(" ", acl.words()) + "}", List.of(acl));
                i = close;
            } else if (t.startsWith("{") || t.endsWith("}")) {
                throw new StatementError(w, "write spaces around the braces of an anonymous ACL: '{ " + t.replace("{", "")
                        .replace("}", "") + " }'");
            } else {
                List<AclDef> acls = d.acls.get(t);
                if (acls == null) {
                    List<String> predefined = PREDEFINED.get(t);
                    if (predefined == null && d.failedAcls.contains(t)) {
                        throw new StatementError(w, "ACL '" + t + "' is not usable: its definition above has an error");
                    }
                    if (predefined == null) {
                        throw new StatementError(w, "unknown ACL '" + t + "' in " + d.describe()
                                + " (declare it with 'acl " + t + " ...' before this line)");
                    }
                    List<Word> pw = new ArrayList<>();
                    for (String s : predefined) pw.add(new Word(s, w.pos()));
                    acls = List.of(aclBody(t, pw, w, d));
                }
                for (AclDef a : acls) checkSide(w, a, phase, ctx);
                term = new Condition.Term(negate, t, acls);
            }
            current.add(term);
            negate = false;
        }
        if (current.isEmpty() || negate) {
            throw new StatementError(words.get(words.size() - 1), "the condition ends without an ACL");
        }
        alternatives.add(current);
        ctx.use(unless ? "unless" : "if", line.word(at).pos());
        return new Condition(unless, alternatives);
    }

    /** A fetch must be available where the rule runs (HAProxy refuses, e.g., path in http-response). */
    private static void checkSide(Word at, AclDef acl, ProxyRule.Phase phase, ParseContext ctx) {
        AclFetches.Fetch f = AclFetches.base(acl.fetch()).orElseThrow();
        boolean tcp = phase == ProxyRule.Phase.TCP_CONNECTION || phase == ProxyRule.Phase.TCP_CONTENT;
        if (f.side() == AclFetches.Side.CONTENTS) {
            if (phase != ProxyRule.Phase.TCP_CONTENT && phase != ProxyRule.Phase.SWITCHING && phase != ProxyRule.Phase.STICK) {
                throw new StatementError(at, "fetch '" + acl.fetch() + "'" + (acl.name() == null ? "" : " (ACL '"
                        + acl.name() + "')") + " reads the request contents, which are available in 'tcp-request "
                        + "content', 'use_backend' and 'stick' rules only");
            }
            return;
        }
        String where = switch (phase) {
            case TCP_CONNECTION, TCP_CONTENT -> "a tcp-request rule";
            case HTTP_RESPONSE -> "an http-response rule";
            default -> "a request rule";
        };
        boolean ok = switch (f.side()) {
            case CONNECTION -> true;
            case REQUEST -> !tcp && phase != ProxyRule.Phase.HTTP_RESPONSE;
            case RESPONSE -> phase == ProxyRule.Phase.HTTP_RESPONSE;
            case EITHER, TRANSACTION -> !tcp;
            case CONTENTS -> true;      // checked above
        };
        if (!ok) {
            String message = "fetch '" + acl.fetch() + "'" + (acl.name() == null ? "" : " (ACL '"
                    + acl.name() + "')") + " reads " + (f.side() == AclFetches.Side.RESPONSE ? "the response"
                    : "the HTTP request") + ", which is not available in " + where;
            if (phase == ProxyRule.Phase.HTTP_RESPONSE) {
                ctx.warning(at.pos(), message + ": this term never matches (as in HAProxy)");
            } else {
                throw new StatementError(at, message);
            }
        }
    }

    // ------------------------------------------------------------------ use_backend

    void useBackendIf(ConfigLine line, ProxyDraft d) {
        if (!line.text(2).equals("if") && !line.text(2).equals("unless")) {
            throw new StatementError(line.word(2), "unexpected '" + line.text(2) + "' after use_backend NAME; "
                    + "expected 'if' or 'unless'");
        }
        Condition c = condition(line, 2, d, ProxyRule.Phase.SWITCHING);
        if (!d.plainUseBackends.isEmpty()) {
            ctx.warning(line.pos(), "this use_backend rule is never used: the plain 'use_backend "
                    + d.plainUseBackends.get(0) + "' above it always matches first");
            d.useBackends.add(line.word(1));
            return;
        }
        d.useBackends.add(line.word(1));
        d.rules.add(new ProxyRule(ProxyRule.Phase.SWITCHING, "use_backend", Map.of("backend", line.text(1)), c, null,
                texts(line.words()), line.pos()));
        ctx.use("use_backend if", "use_backend NAME " + line.text(2), line.pos());
    }

    /**
     * {@code use_backend [TEXT]%[FETCH[,CONVERTER...]][TEXT] [if|unless COND]}: the backend named by a
     * sample through any supported converters (see {@link ConverterSpec}). A name that matches no backend sends the
     * request to the default backend, as in HAProxy.
     */
    void useBackendDynamic(ConfigLine line, ProxyDraft d) {
        Word w = line.word(1);
        String t = w.text();
        int open = t.indexOf("%[");
        int close = t.indexOf(']', open);
        if (close < 0 || t.indexOf("%[", close) >= 0) {
            throw new StatementError(w, "expected one %[FETCH,CONVERTER...] in the backend name");
        }
        String expr = t.substring(open + 2, close);
        SampleExpression e = sampleExpression(w, open + 2, expr, " is not supported in a backend name");
        if (e.fetch().side() == AclFetches.Side.RESPONSE) {
            throw new StatementError(w, "fetch '" + e.name() + "' reads the response");
        }
        String stored = e.stored();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("prefix", t.substring(0, open));
        p.put("suffix", t.substring(close + 1));
        p.put("fetch", stored);
        int condAt = conditionStart(line, 2);
        if (line.size() > 2 && condAt != 2) {
            throw new StatementError(line.word(2), "unexpected '" + line.text(2) + "'; expected 'if' or 'unless'");
        }
        Condition c = condAt < 0 ? null : condition(line, condAt, d, ProxyRule.Phase.SWITCHING);
        if (!d.plainUseBackends.isEmpty()) {
            ctx.warning(line.pos(), "this use_backend rule is never used: the plain 'use_backend "
                    + d.plainUseBackends.get(0) + "' above it always matches first");
            return;
        }
        d.rules.add(new ProxyRule(ProxyRule.Phase.SWITCHING, "use_backend", p, c, null, texts(line.words()),
                line.pos()));
        ctx.use("use_backend %[...]", line.pos());
    }

    /** A map file: "KEY VALUE" lines (blank lines and # comments skipped), as "KEY VALUE" strings. */
    private static List<String> mapFile(Word f) {
        List<String> out = new ArrayList<>();
        for (String l : patternFile(f)) {
            String[] kv = l.split("\\s+", 2);
            if (kv.length == 2) out.add(kv[0] + " " + kv[1].strip());
        }
        return out;
    }

    // ------------------------------------------------------------------ http-request / http-response

    void httpRule(ConfigLine line, ProxyDraft d, boolean request) {
        String kw = line.keyword().text();
        ProxyStatementParser.atLeast(line, 2, kw + " needs an action, e.g. '" + kw + " deny if ...'");
        Word actionWord = line.word(1);
        String action = actionWord.text();
        if (action.startsWith("set-var(")) {
            setVar(line, d, request);
            return;
        }
        if (request && isCounterAction(action)) {
            counterAction(line, 1, d, ProxyRule.Phase.HTTP_REQUEST);
            return;
        }
        Set<String> allowed = request ? HTTP_REQUEST_ACTIONS : HTTP_RESPONSE_ACTIONS;
        if (!allowed.contains(action)) {
            throw new StatementError(actionWord, "'" + kw + " " + action + "' is not supported yet; supported "
                    + kw + " actions: " + String.join(", ", allowed.stream().sorted().toList()));
        }
        ProxyRule.Phase phase = request ? ProxyRule.Phase.HTTP_REQUEST : ProxyRule.Phase.HTTP_RESPONSE;
        int condAt = conditionStart(line, 2);
        List<Word> args = condAt < 0 ? line.from(2) : line.words().subList(2, condAt);
        Map<String, String> params = action(kw, actionWord, args, request);
        Condition c = condAt < 0 ? null : condition(line, condAt, d, phase);
        d.rules.add(new ProxyRule(phase, action, params, c, null, texts(line.words()), line.pos()));
        ctx.use(kw + " " + action, line.pos());
    }

    /** Variable scopes Tidegate keeps: the session, and the exchange (txn, req, res). */
    private static final Set<String> VAR_SCOPES = Set.of("sess", "txn", "req", "res");

    /** {@code SCOPE.NAME} of set-var / var(): checked, returned as written. */
    static String variable(Word at, String name) {
        int dot = name.indexOf('.');
        String scope = dot < 0 ? "" : name.substring(0, dot);
        if (!VAR_SCOPES.contains(scope) || dot == name.length() - 1) {
            throw new StatementError(at, "variable '" + name + "': expected SCOPE.NAME with scope sess, txn, req "
                    + "or res" + (scope.equals("proc") ? " (proc variables are not supported yet)" : ""));
        }
        return name;
    }

    /** {@code http-request|http-response set-var(SCOPE.NAME) FETCH [if COND]} (a fetch without converters). */
    private void setVar(ConfigLine line, ProxyDraft d, boolean request) {
        Word actionWord = line.word(1);
        String a = actionWord.text();
        if (!a.endsWith(")")) throw new StatementError(actionWord, "missing ')' in '" + a + "'");
        String var = variable(actionWord, a.substring("set-var(".length(), a.length() - 1));
        if (line.size() < 3) throw new StatementError(actionWord, "set-var needs a sample fetch, e.g. req.hdr(host)");
        Word exprWord = line.word(2);
        String expr = exprWord.text();
        SampleExpression e = sampleExpression(exprWord, 0, expr, " is not supported yet");
        String stored = e.stored();
        String fe = e.fetchText();
        String name = e.name();
        AclFetches.Fetch f = e.fetch();
        if (f.side() == AclFetches.Side.RESPONSE && request || f.side() == AclFetches.Side.REQUEST && !request) {
            throw new StatementError(exprWord, "fetch '" + name + "' is not available in "
                    + line.keyword().text());
        }
        if (name.equals("var")) variable(exprWord, fe.substring(4, fe.length() - 1));
        int condAt = conditionStart(line, 3);
        if (line.size() > 3 && condAt != 3) {
            throw new StatementError(line.word(3), "unexpected '" + line.text(3) + "'; expected 'if' or 'unless'");
        }
        ProxyRule.Phase phase = request ? ProxyRule.Phase.HTTP_REQUEST : ProxyRule.Phase.HTTP_RESPONSE;
        Condition c = condAt < 0 ? null : condition(line, condAt, d, phase);
        d.rules.add(new ProxyRule(phase, "set-var", Map.of("var", var, "fetch", stored), c, null,
                texts(line.words()), line.pos()));
        ctx.use(line.keyword().text() + " set-var", line.pos());
    }

    private Map<String, String> action(String kw, Word actionWord, List<Word> args, boolean request) {
        Map<String, String> p = new LinkedHashMap<>();
        String action = actionWord.text();
        switch (action) {
            case "allow" -> none(args, kw + " allow");
            case "deny" -> {
                for (int i = 0; i < args.size(); i++) {
                    Word w = args.get(i);
                    if (w.text().equals("deny_status")) {
                        Word n = next(args, i, "deny_status needs a status code");
                        int st = status(n);
                        if (!DENY_STATUSES.contains(st)) {
                            throw new StatementError(n, "deny_status " + st + " is not one HAProxy answers with; use "
                                    + DENY_STATUSES.stream().sorted().toList());
                        }
                        p.put("status", String.valueOf(st));
                        i++;
                    } else {
                        throw new StatementError(w, "unexpected '" + w.text() + "' after " + kw
                                + " deny; supported: deny_status CODE");
                    }
                }
                p.putIfAbsent("status", request ? "403" : "502");   // HAProxy: a denied response becomes a 502
            }
            case "return" -> returnAction(args, p, kw, actionWord);
            case "redirect" -> redirect(args, p, actionWord);
            case "set-header", "add-header" -> {
                exactArgs(args, 2, actionWord, kw + " " + action + " NAME VALUE");
                headerName(args.get(0));
                p.put("name", args.get(0).text());
                p.put("value", format(args.get(1), request));
            }
            case "del-header" -> {
                if (args.isEmpty() || args.size() > 1) {
                    throw new StatementError(args.size() > 1 ? args.get(1) : actionWord, "expected '" + kw
                            + " del-header NAME' (-m is not supported yet)");
                }
                headerName(args.get(0));
                p.put("name", args.get(0).text());
            }
            case "replace-header", "replace-value" -> {
                exactArgs(args, 3, actionWord, kw + " " + action + " NAME REGEX REPLACEMENT");
                headerName(args.get(0));
                regex(args.get(1));
                p.put("name", args.get(0).text());
                p.put("regex", args.get(1).text());
                p.put("replacement", format(args.get(2), request));
            }
            case "set-path", "set-query", "set-uri" -> {
                exactArgs(args, 1, actionWord, kw + " " + action + " FORMAT");
                p.put("value", format(args.get(0), request));
            }
            case "set-status" -> {
                if (args.isEmpty()) throw new StatementError(actionWord, "set-status needs a status code");
                int st = status(args.get(0));
                p.put("status", String.valueOf(st));
                if (args.size() == 3 && args.get(1).text().equals("reason")) {
                    p.put("reason", args.get(2).text());
                } else if (args.size() != 1) {
                    throw new StatementError(args.get(1), "expected 'set-status CODE [reason TEXT]'");
                }
            }
            case "auth" -> {
                if (!args.isEmpty()) {
                    if (args.size() != 2 || !args.get(0).text().equals("realm")) {
                        throw new StatementError(args.get(0), "expected '" + kw + " auth [realm REALM]'");
                    }
                    if (args.get(1).text().contains("\"")) {
                        throw new StatementError(args.get(1), "a realm cannot contain '\"'");
                    }
                    p.put("realm", args.get(1).text());
                }
            }
            case "use-service" -> {
                exactArgs(args, 1, actionWord, kw + " use-service NAME");
                p.put("service", args.get(0).text());
            }
            default -> throw new IllegalStateException(action);
        }
        return p;
    }

    private void returnAction(List<Word> args, Map<String, String> p, String kw, Word actionWord) {
        p.put("status", "200");
        int headers = 0;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            switch (w.text()) {
                case "status" -> {
                    p.put("status", String.valueOf(status(next(args, i, "status needs a code"))));
                    i++;
                }
                case "content-type" -> {
                    p.put("content-type", next(args, i, "content-type needs a type").text());
                    i++;
                }
                case "string" -> {
                    p.put("string", next(args, i, "string needs a text").text());
                    i++;
                }
                case "file", "errorfile" -> {
                    Word f = next(args, i, w.text() + " needs a file");
                    Path path = Path.of(f.text());
                    if (!Files.isReadable(path)) {
                        throw new StatementError(f, "cannot read '" + f.text() + "'");
                    }
                    p.put(w.text(), f.text());
                    i++;
                }
                case "hdr" -> {
                    Word n = next(args, i, "hdr needs a name and a value");
                    Word v = next(args, i + 1, "hdr needs a name and a value");
                    headerName(n);
                    p.put("hdr." + headers++, n.text() + ": " + v.text());
                    i += 2;
                }
                default -> throw new StatementError(w, "unexpected '" + w.text() + "' in " + kw
                        + " return; supported: status CODE, content-type TYPE, string TEXT, file PATH, "
                        + "errorfile PATH, hdr NAME VALUE");
            }
        }
        if ((p.containsKey("string") || p.containsKey("file")) && !p.containsKey("content-type")) {
            throw new StatementError(args.isEmpty() ? actionWord : args.get(0),
                    kw + " return with a body needs content-type");
        }
    }

    /** {@code redirect location|prefix|scheme VALUE [code N] [drop-query] [append-slash]}, options in any order. */
    private void redirect(List<Word> args, Map<String, String> p, Word at) {
        p.put("code", "302");
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            switch (w.text()) {
                case "location", "prefix", "scheme" -> {
                    if (p.containsKey("type")) {
                        throw new StatementError(w, "a redirect has one of location, prefix or scheme");
                    }
                    p.put("type", w.text());
                    p.put("value", format(next(args, i, w.text() + " needs a value"), true));
                    i++;
                }
                case "code" -> {
                    Word n = next(args, i, "code needs 301, 302, 303, 307 or 308");
                    int code = status(n);
                    if (!REDIRECT_CODES.contains(code)) {
                        throw new StatementError(n, "redirect code must be 301, 302, 303, 307 or 308");
                    }
                    p.put("code", String.valueOf(code));
                    i++;
                }
                case "drop-query" -> p.put("drop-query", "true");
                case "append-slash" -> p.put("append-slash", "true");
                default -> throw new StatementError(w, "unexpected '" + w.text() + "' in redirect; supported: "
                        + "location|prefix|scheme VALUE, code N, drop-query, append-slash");
            }
        }
        if (!p.containsKey("type")) {
            throw new StatementError(args.isEmpty() ? at : args.get(0), "expected 'redirect location|prefix|scheme "
                    + "VALUE [code N] [drop-query] [append-slash]'");
        }
    }

    /** The old {@code redirect location|prefix|scheme ...} statement = {@code http-request redirect}. */
    // ------------------------------------------------------------------ monitor fail

    /**
     * {@code monitor fail if|unless COND} (frontend, listen): the {@code monitor-uri} request is
     * answered 503 instead of 200 when the condition applies (HAProxy: "report a failure to a
     * monitor HTTP request", typically on {@code nbsrv}). The condition may read the request.
     */
    void monitorFail(ConfigLine line, ProxyDraft d) {
        ProxyStatementParser.atLeast(line, 2, "monitor needs 'fail if|unless CONDITION', e.g. "
                + "'monitor fail if { nbsrv(app) lt 1 }'");
        if (!line.text(1).equals("fail")) {
            throw new StatementError(line.word(1), "unknown monitor statement '" + line.text(1)
                    + "'; expected 'monitor fail if|unless CONDITION'");
        }
        if (line.size() < 3 || (!line.text(2).equals("if") && !line.text(2).equals("unless"))) {
            throw new StatementError(line.size() < 3 ? line.word(1) : line.word(2),
                    "'monitor fail' needs 'if CONDITION' or 'unless CONDITION', e.g. 'monitor fail if { nbsrv(app) lt 1 }'");
        }
        Condition c = condition(line, 2, d, ProxyRule.Phase.HTTP_REQUEST);
        d.rules.add(new ProxyRule(ProxyRule.Phase.MONITOR_FAIL, "monitor-fail", Map.of(), c, null,
                texts(line.words()), line.pos()));
        ctx.use("monitor fail", line.pos());
    }

    // ------------------------------------------------------------------ stats admin

    /**
     * {@code stats admin if|unless COND} (frontend, listen; not defaults, as HAProxy): the statistics
     * page shows its admin form and takes its POSTs when COND applies to the request for the page.
     * Like every {@code stats} keyword it implies {@code stats enable}.
     */
    StatsPage statsAdmin(ConfigLine line, ProxyDraft d, StatsPage current) {
        if (d.type == SectionType.DEFAULTS) {
            throw new StatementError(line.word(1), "'stats admin' is not allowed in a defaults section (as in HAProxy); "
                    + "write it in the frontend or listen section that serves the page");
        }
        if (line.size() < 4 || (!line.text(2).equals("if") && !line.text(2).equals("unless"))) {
            throw new StatementError(line.size() < 3 ? line.word(1) : line.word(2),
                    "'stats admin' requires either 'if' or 'unless' followed by a condition, e.g. 'stats admin if LOCALHOST'");
        }
        Condition c = condition(line, 2, d, ProxyRule.Phase.HTTP_REQUEST);
        StatsPage page = current == null ? StatsPage.enabled(line.pos()) : current;
        return page.withAdmin(new StatsPage.Admin(c, texts(line.words()), line.pos()));
    }

    void legacyRedirect(ConfigLine line, ProxyDraft d) {
        int condAt = conditionStart(line, 1);
        List<Word> args = condAt < 0 ? line.from(1) : line.words().subList(1, condAt);
        Map<String, String> p = new LinkedHashMap<>();
        redirect(args, p, line.keyword());
        Condition c = condAt < 0 ? null : condition(line, condAt, d, ProxyRule.Phase.HTTP_REQUEST);
        p.put("after-http-request", "true");
        d.rules.add(new ProxyRule(ProxyRule.Phase.HTTP_REQUEST, "redirect", p, c, null, texts(line.words()),
                line.pos()));
        ctx.use("redirect", line.pos());
    }

    /**
     * A value of set-header and friends: text with HAProxy's log-format sample expressions. Plain text
     * and {@code %[fetch]} of the fetches this parser knows (without converters) are supported.
     */
    private static String format(Word w, boolean request) {
        String t = w.text();
        StringBuilder stored = new StringBuilder(t.length());     // with map files as absolute paths
        int copied = 0;
        int i = 0;
        while ((i = t.indexOf('%', i)) >= 0) {
            if (i + 1 < t.length() && t.charAt(i + 1) == '%') {
                i += 2;
                continue;
            }
            if (i + 1 < t.length() && t.charAt(i + 1) == '[') {
                int close = t.indexOf(']', i);
                if (close < 0) throw new StatementError(w, "missing ']' in '" + t + "'");
                String expr = t.substring(i + 2, close);
                SampleExpression e = sampleExpression(w, i + 2, expr, " in '%[" + expr + "]' is not supported yet");
                stored.append(t, copied, i + 2).append(e.stored());
                copied = close;
                String name = e.name();
                AclFetches.Fetch f = e.fetch();
                if (f.side() == AclFetches.Side.RESPONSE && request || f.side() == AclFetches.Side.REQUEST && !request) {
                    throw new StatementError(w, "fetch '" + name + "' is not available here");
                }
                i = close + 1;
                continue;
            }
            throw new StatementError(w, "log-format variables such as '" + t.substring(i, Math.min(t.length(), i + 3))
                    + "...' are not supported yet; plain text and %[fetch] are");
        }
        return stored.append(t, copied, t.length()).toString();
    }

    // ------------------------------------------------------------------ tcp-request

    void tcpRequest(ConfigLine line, ProxyDraft d) {
        ProxyStatementParser.atLeast(line, 2, "tcp-request needs connection, content or inspect-delay");
        Word kind = line.word(1);
        switch (kind.text()) {
            case "inspect-delay" -> {
                ProxyStatementParser.exactly(line, 3);
                long ms;
                try {
                    ms = Units.parseTime(line.text(2)).toMillis();
                } catch (IllegalArgumentException e) {
                    throw new StatementError(line.word(2), "'tcp-request inspect-delay' expects a positive delay "
                            + "in milliseconds or with a unit (e.g. 5s): " + e.getMessage());
                }
                if (inspectDelay(d) != null) {
                    ctx.warning(line.pos(), "ignoring tcp-request inspect-delay (was already defined) in "
                            + d.describe());
                    return;
                }
                if (ms > 0) {
                    d.rules.add(new ProxyRule(ProxyRule.Phase.TCP_CONTENT, "inspect-delay",
                            Map.of("delay", String.valueOf(ms)), null, null, texts(line.words()), line.pos()));
                }
                ctx.use("tcp-request inspect-delay", line.pos());
                return;
            }
            case "connection", "content" -> {
            }
            default -> throw new StatementError(kind, "unknown tcp-request rule set '" + kind.text()
                    + "'; expected connection, content or inspect-delay");
        }
        ProxyStatementParser.atLeast(line, 3, "tcp-request " + kind.text() + " needs accept or reject");
        Word action = line.word(2);
        if (isCounterAction(action.text())) {
            counterAction(line, 2, d, kind.text().equals("connection") ? ProxyRule.Phase.TCP_CONNECTION
                    : ProxyRule.Phase.TCP_CONTENT);
            return;
        }
        if (!action.text().equals("accept") && !action.text().equals("reject")) {
            throw new StatementError(action, "'tcp-request " + kind.text() + " " + action.text()
                    + "' is not supported yet; supported actions: accept, reject");
        }
        if (line.size() > 3 && !line.text(3).equals("if") && !line.text(3).equals("unless")) {
            throw new StatementError(line.word(3), "unexpected '" + line.text(3) + "'; expected 'if' or 'unless'");
        }
        ProxyRule.Phase phase = kind.text().equals("connection") ? ProxyRule.Phase.TCP_CONNECTION
                : ProxyRule.Phase.TCP_CONTENT;
        Condition c = line.size() > 3 ? condition(line, 3, d, phase) : null;
        d.rules.add(new ProxyRule(phase, action.text(), Map.of(), c, null, texts(line.words()), line.pos()));
        ctx.use("tcp-request " + kind.text() + " " + action.text(), line.pos());
    }

    // ------------------------------------------------------------------ stick counters

    private static final Pattern TRACK = Pattern.compile("track-sc([0-9])");
    private static final Pattern SC_ACTION = Pattern.compile("(sc-inc-gpc0|sc-inc-gpc1|sc-set-gpt0)\\(([0-9]+)\\)");

    private static boolean isCounterAction(String action) {
        return action.startsWith("track-sc") || action.startsWith("sc-inc-gpc") || action.startsWith("sc-set-gpt");
    }

    /**
     * {@code track-scN KEY [table NAME]}, {@code sc-inc-gpc0(N)}, {@code sc-inc-gpc1(N)},
     * {@code sc-set-gpt0(N) VALUE}, each with an optional condition, in http-request and tcp-request
     * connection|content rules. The action word is at {@code at}.
     */
    private void counterAction(ConfigLine line, int at, ProxyDraft d, ProxyRule.Phase phase) {
        Word actionWord = line.word(at);
        String action = actionWord.text();
        String rules = line.keyword().text() + (phase == ProxyRule.Phase.HTTP_REQUEST ? "" : " " + line.text(1));
        Map<String, String> p = new LinkedHashMap<>();
        int next = at + 1;
        Matcher track = TRACK.matcher(action);
        Matcher sc = SC_ACTION.matcher(action);
        String kind;
        if (track.matches()) {
            kind = "track-sc";
            p.put("counter", slot(actionWord, track.group(1)));
            if (line.size() <= next || line.text(next).equals("if") || line.text(next).equals("unless")) {
                throw new StatementError(actionWord, action + " needs a key, e.g. '" + action + " src'");
            }
            Word keyWord = line.word(next++);
            String expr = keyWord.text();
            SampleExpression e = sampleExpression(keyWord, 0, expr, " is not supported as a tracking key");
            String stored = e.stored();
            String name = e.name();
            AclFetches.Fetch f = e.fetch();
            if (f.side() == AclFetches.Side.RESPONSE || f.type() == AclFetches.Type.BOOL
                    || CounterFetch.parse(name).isPresent()) {
                throw new StatementError(keyWord, "a tracking key must be a request fetch with a value, e.g. src, "
                        + "req.hdr(NAME), base, url_param(NAME)");
            }
            if (phase == ProxyRule.Phase.TCP_CONNECTION && f.side() != AclFetches.Side.CONNECTION) {
                throw new StatementError(keyWord, "tcp-request connection rules see no request: '" + name
                        + "' cannot be the key here (src or dst can)");
            }
            p.put("key", stored);
            if (line.size() > next + 1 && line.text(next).equals("table")) {
                p.put("table", line.text(next + 1));
                next += 2;
            }
        } else if (sc.matches()) {
            kind = sc.group(1);
            p.put("counter", slot(actionWord, sc.group(2)));
            if (kind.equals("sc-set-gpt0")) {
                if (line.size() <= next) throw new StatementError(actionWord, action + " needs a value, e.g. 1");
                Word v = line.word(next++);
                p.put("value", String.valueOf(number(v, v.text())));
            }
        } else {
            throw new StatementError(actionWord, "'" + rules + " " + action + "' is not supported yet; supported: "
                    + "track-sc0|1|2 KEY [table NAME], sc-inc-gpc0(N), sc-inc-gpc1(N), sc-set-gpt0(N) VALUE");
        }
        if (line.size() > next && !line.text(next).equals("if") && !line.text(next).equals("unless")) {
            throw new StatementError(line.word(next), "unexpected '" + line.text(next) + "'; expected "
                    + (kind.equals("track-sc") && !p.containsKey("table") ? "'table NAME', " : "") + "'if' or 'unless'");
        }
        Condition c = line.size() > next ? condition(line, next, d, phase) : null;
        d.rules.add(new ProxyRule(phase, kind, p, c, null, texts(line.words()), line.pos()));
        ctx.use(rules + " " + (kind.equals("track-sc") ? "track-sc*" : kind), line.pos());
    }

    /** The N of track-scN / sc-inc-gpc0(N): 0, 1 or 2. */
    private static String slot(Word at, String n) {
        int i = Integer.parseInt(n);
        if (i >= CounterFetch.COUNTERS) {
            throw new StatementError(at, "stick counter " + i + " does not exist: HAProxy tracks counters 0 to "
                    + (CounterFetch.COUNTERS - 1));
        }
        return String.valueOf(i);
    }

    /** The {@code tcp-request inspect-delay} line of this section, or null. */
    static ProxyRule inspectDelay(ProxyDraft d) {
        for (ProxyRule r : d.rules) {
            if (r.phase() == ProxyRule.Phase.TCP_CONTENT && r.action().equals("inspect-delay")) return r;
        }
        return null;
    }

    /**
     * At the end of a section: a {@code tcp-request content} rule that reads the request contents
     * without any {@code tcp-request inspect-delay} is evaluated once, on whatever arrived with the
     * connection (usually nothing). HAProxy says so for track-sc and capture rules; Tidegate says it
     * for every content rule.
     */
    static void warnUninspectedContent(ProxyDraft d, ParseContext ctx) {
        if (inspectDelay(d) != null) return;
        for (ProxyRule r : d.rules) {
            if (r.phase() == ProxyRule.Phase.TCP_CONTENT && r.condition() != null && readsContents(r.condition())) {
                ctx.warning(r.pos(), "a 'tcp-request content' rule explicitly depending on request contents without "
                        + "any 'tcp-request inspect-delay' setting: it is evaluated once, on what arrived with the "
                        + "connection, and will randomly find its contents. Set 'tcp-request inspect-delay' in "
                        + d.describe());
                return;
            }
        }
    }

    private static boolean readsContents(Condition c) {
        for (List<Condition.Term> alt : c.alternatives()) {
            for (Condition.Term t : alt) {
                for (AclDef a : t.acls()) {
                    if (AclFetches.base(a.fetch()).map(f -> f.side() == AclFetches.Side.CONTENTS).orElse(false)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ stickiness

    /** {@code stick-table type ip|ipv6|string|integer|binary [len N] size N [expire T] [nopurge] [store TYPE,...]}. */
    void stickTable(ConfigLine line, ProxyDraft d) {
        Map<String, String> p = new LinkedHashMap<>();
        List<Word> args = line.from(1);
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            switch (w.text()) {
                case "type" -> {
                    Word t = next(args, i, "type needs ip, ipv6, string, integer or binary");
                    if (!Set.of("ip", "ipv6", "string", "integer", "binary").contains(t.text())) {
                        throw new StatementError(t, "stick-table type '" + t.text() + "' is not supported; "
                                + "expected ip, ipv6, string, integer or binary");
                    }
                    p.put("type", t.text());
                    i++;
                }
                case "len" -> {
                    p.put("len", String.valueOf(number(next(args, i, "len needs a number"), next(args, i, "").text())));
                    i++;
                }
                case "size" -> {
                    Word n = next(args, i, "size needs a number of entries, e.g. 100k");
                    p.put("size", String.valueOf(entries(n)));
                    i++;
                }
                case "expire" -> {
                    Word t = next(args, i, "expire needs a time, e.g. 30m");
                    try {
                        p.put("expire", String.valueOf(Units.parseTime(t.text()).toMillis()));
                    } catch (IllegalArgumentException e) {
                        throw new StatementError(t, e.getMessage());
                    }
                    i++;
                }
                case "nopurge" -> p.put("nopurge", "true");
                case "store" -> {
                    Word list = next(args, i, "store needs data types, e.g. http_req_rate(10s),conn_cur");
                    String stored = storedTypes(list);
                    p.merge("store", stored, (a, b) -> a + "," + b);
                    i++;
                }
                case "peers", "srvkey", "write-to", "recv-only" -> throw new StatementError(w, "stick-table '"
                        + w.text() + "' is not supported yet");
                default -> throw new StatementError(w, "unexpected '" + w.text() + "' in stick-table; expected type, "
                        + "len, size, expire or nopurge");
            }
        }
        if (!p.containsKey("type") || !p.containsKey("size")) {
            throw new StatementError(line.keyword(), "stick-table needs 'type TYPE' and 'size N'");
        }
        if (d.rules.stream().anyMatch(r -> r.phase() == ProxyRule.Phase.STICK_TABLE)) {
            throw new StatementError(line.keyword(), "only one stick-table per section");
        }
        d.rules.add(new ProxyRule(ProxyRule.Phase.STICK_TABLE, "stick-table", p, null, null, texts(line.words()),
                line.pos()));
        ctx.use("stick-table", line.pos());
    }

    /**
     * The data types of one {@code store} word, e.g. {@code http_req_rate(10s),conn_cur}, as
     * {@code http_req_rate(10000),conn_cur} (periods in milliseconds).
     */
    private static String storedTypes(Word w) {
        StringBuilder out = new StringBuilder();
        for (String item : ConverterSpec.splitTopLevel(w.text())) {
            String name = item.contains("(") ? item.substring(0, item.indexOf('(')) : item;
            StickDataType t = StickDataType.of(name).orElseThrow(() -> new StatementError(w, "stick-table store: '"
                    + name + "' is not a supported data type; supported: " + java.util.Arrays.stream(StickDataType.values())
                    .map(StickDataType::keyword).collect(java.util.stream.Collectors.joining(", "))));
            if (out.length() > 0) out.append(',');
            if (t.isRate()) {
                if (!item.contains("(") || !item.endsWith(")")) {
                    throw new StatementError(w, "stick-table store: " + name + " needs a period, e.g. " + name + "(10s)");
                }
                String period = item.substring(item.indexOf('(') + 1, item.length() - 1);
                long ms;
                try {
                    ms = Units.parseTime(period).toMillis();
                } catch (IllegalArgumentException e) {
                    throw new StatementError(w, "stick-table store: " + name + ": " + e.getMessage());
                }
                if (ms <= 0) throw new StatementError(w, "stick-table store: " + name + " needs a period above 0");
                out.append(t.keyword()).append('(').append(ms).append(')');
            } else {
                if (item.contains("(")) {
                    throw new StatementError(w, "stick-table store: " + name + " takes no argument");
                }
                out.append(t.keyword());
            }
        }
        return out.toString();
    }

    private static long entries(Word w) {
        String t = w.text().toLowerCase(java.util.Locale.ROOT);
        long mult = t.endsWith("k") ? 1024 : t.endsWith("m") ? 1024 * 1024 : t.endsWith("g") ? 1024L * 1024 * 1024 : 1;
        String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
        return number(w, digits) * mult;
    }

    /** {@code stick on|match|store-request FETCH [table NAME] [if|unless COND]}, the table of this section. */
    void stick(ConfigLine line, ProxyDraft d) {
        ProxyStatementParser.atLeast(line, 3, "expected 'stick on|match|store-request FETCH [if COND]'");
        Word kind = line.word(1);
        if (!Set.of("on", "match", "store-request").contains(kind.text())) {
            throw new StatementError(kind, "'stick " + kind.text() + "' is not supported yet; supported: stick on, "
                    + "stick match, stick store-request");
        }
        Word fetchWord = line.word(2);
        String expr = fetchWord.text();
        SampleExpression e = sampleExpression(fetchWord, 0, expr, " is not supported for stick rules");
        String stored = e.stored();
        String name = e.name();
        AclFetches.Fetch f = e.fetch();
        if (f.side() == AclFetches.Side.RESPONSE || f.type() == AclFetches.Type.BOOL) {
            throw new StatementError(fetchWord, "stick rules need a request fetch with a value, e.g. src or "
                    + "req.cook(NAME)");
        }
        int condAt = conditionStart(line, 3);
        int end = condAt < 0 ? line.size() : condAt;
        if (end > 3 && !(end == 5 && line.text(3).equals("table"))) {
            throw new StatementError(line.word(3), "unexpected '" + line.text(3) + "'; expected 'if' or 'unless'");
        }
        if (end == 5 && !line.text(4).equals(d.name)) {
            throw new StatementError(line.word(4), "stick rules may use the table of this section only");
        }
        if (d.rules.stream().noneMatch(r -> r.phase() == ProxyRule.Phase.STICK_TABLE)) {
            throw new StatementError(line.keyword(), "stick rules need a 'stick-table' line above them in "
                    + d.describe());
        }
        Condition c = condAt < 0 ? null : condition(line, condAt, d, ProxyRule.Phase.STICK);     // at server choice: contents too
        d.rules.add(new ProxyRule(ProxyRule.Phase.STICK, kind.text(), Map.of("fetch", stored), c, null,
                texts(line.words()), line.pos()));
        ctx.use("stick " + kind.text(), line.pos());
    }

    // ------------------------------------------------------------------ errorfile

    void errorfile(ConfigLine line, ProxyDraft d) {
        ProxyStatementParser.exactly(line, 3);
        int code = status(line.word(1));
        if (!DENY_STATUSES.contains(code)) {
            throw new StatementError(line.word(1), "errorfile applies to the statuses HAProxy answers with: "
                    + DENY_STATUSES.stream().sorted().toList());
        }
        Path p = Path.of(line.text(2));
        if (!Files.isReadable(p)) {
            throw new StatementError(line.word(2), "cannot read the errorfile '" + line.text(2) + "'");
        }
        d.errorfiles.put(code, line.text(2));
        ctx.use("errorfile", line.pos());
    }

    // ------------------------------------------------------------------ 1.x header rules

    /**
     * {@code reqadd}, {@code reqrep}, {@code reqirep}, {@code reqdel}, {@code reqidel}, {@code rspadd},
     * {@code rsprep}, {@code rspirep}, {@code rspdel}, {@code rspidel}, {@code block}: HAProxy 1.x's
     * line-based rules. {@code *add} = add-header, {@code block} = http-request deny; the regex forms
     * work on whole lines as in 1.x (the request or status line and each header line).
     */
    void legacy(ConfigLine line, ProxyDraft d) {
        String kw = line.keyword().text();
        boolean request = kw.startsWith("req") || kw.equals("block");
        ProxyRule.Phase phase = request ? ProxyRule.Phase.HTTP_REQUEST : ProxyRule.Phase.HTTP_RESPONSE;
        int condAt = conditionStart(line, 1);
        List<Word> args = condAt < 0 ? line.from(1) : line.words().subList(1, condAt);
        Map<String, String> p = new LinkedHashMap<>();
        String action;
        switch (kw) {
            case "block" -> {
                none(args, "block");
                if (condAt < 0) throw new StatementError(line.keyword(), "block needs 'if' or 'unless' and a condition");
                action = "deny";
                p.put("status", "403");
            }
            case "reqadd", "rspadd" -> {
                exactArgs(args, 1, line.keyword(), kw + " 'NAME: VALUE'");
                String t = args.get(0).text();
                int colon = t.indexOf(':');
                if (colon <= 0) throw new StatementError(args.get(0), "expected 'NAME: VALUE'");
                action = "add-header";
                p.put("name", t.substring(0, colon).strip());
                p.put("value", t.substring(colon + 1).strip());
            }
            case "reqdel", "reqidel", "rspdel", "rspidel" -> {
                exactArgs(args, 1, line.keyword(), kw + " REGEX");
                regex(args.get(0));
                action = "delete-line";
                p.put("regex", args.get(0).text());
                if (kw.contains("idel")) p.put("ignore-case", "true");
            }
            case "reqrep", "reqirep", "rsprep", "rspirep" -> {
                exactArgs(args, 2, line.keyword(), kw + " REGEX REPLACEMENT");
                regex(args.get(0));
                action = "replace-line";
                p.put("regex", args.get(0).text());
                p.put("replacement", args.get(1).text());
                if (kw.contains("irep")) p.put("ignore-case", "true");
            }
            default -> throw new IllegalStateException(kw);
        }
        Condition c = condAt < 0 ? null : condition(line, condAt, d, phase);
        d.rules.add(new ProxyRule(phase, action, p, c, null, texts(line.words()), line.pos()));
        ctx.use(kw, line.pos());
    }

    // ------------------------------------------------------------------ helpers

    private static void headerName(Word w) {
        if (!w.text().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new StatementError(w, "invalid header name '" + w.text() + "'");
        }
    }

    private static void regex(Word w) {
        try {
            Pattern.compile(w.text());
        } catch (PatternSyntaxException e) {
            throw new StatementError(w, "invalid regular expression '" + w.text() + "': " + e.getDescription());
        }
    }

    private static int status(Word w) {
        try {
            int v = Integer.parseInt(w.text());
            if (v >= 100 && v <= 599) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StatementError(w, "expected an HTTP status code (100..599), got '" + w.text() + "'");
    }

    private static void none(List<Word> args, String what) {
        if (!args.isEmpty()) {
            throw new StatementError(args.get(0), "unexpected '" + args.get(0).text() + "' after " + what);
        }
    }

    private static void exactArgs(List<Word> args, int n, Word at, String usage) {
        if (args.size() != n) {
            throw new StatementError(args.size() > n ? args.get(n) : args.isEmpty() ? at : args.get(args.size() - 1),
                    "expected '" + usage + "'");
        }
    }

    private static Word next(List<Word> words, int i, String message) {
        if (i + 1 >= words.size()) {
            throw new StatementError(words.get(i), message);
        }
        return words.get(i + 1);
    }

    private static List<String> texts(List<Word> words) {
        return words.stream().map(Word::text).toList();
    }

    private static Map<String, List<String>> predefined() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("TRUE", List.of("always_true"));
        m.put("REQ_CONTENT", List.of("req.len", "gt", "0"));
        m.put("RDP_COOKIE", List.of("req.rdp_cookie_cnt", "gt", "0"));
        m.put("WAIT_END", List.of("wait_end"));
        m.put("FALSE", List.of("always_false"));
        m.put("HTTP", List.of("req.proto_http"));
        m.put("HTTP_1.0", List.of("req.ver", "1.0"));
        m.put("HTTP_1.1", List.of("req.ver", "1.1"));
        m.put("HTTP_2.0", List.of("req.ver", "2.0"));
        m.put("HTTP_CONTENT", List.of("req.hdr_val(content-length)", "gt", "0"));
        m.put("HTTP_URL_ABS", List.of("url_reg", "^[^/:]*://"));
        m.put("HTTP_URL_SLASH", List.of("url_beg", "/"));
        m.put("HTTP_URL_STAR", List.of("url", "*"));
        m.put("LOCALHOST", List.of("src", "127.0.0.1/8", "::1"));
        m.put("METH_CONNECT", List.of("method", "CONNECT"));
        m.put("METH_DELETE", List.of("method", "DELETE"));
        m.put("METH_GET", List.of("method", "GET", "HEAD"));
        m.put("METH_HEAD", List.of("method", "HEAD"));
        m.put("METH_OPTIONS", List.of("method", "OPTIONS"));
        m.put("METH_POST", List.of("method", "POST"));
        m.put("METH_PUT", List.of("method", "PUT"));
        m.put("METH_TRACE", List.of("method", "TRACE"));
        return java.util.Collections.unmodifiableMap(m);
    }
}
