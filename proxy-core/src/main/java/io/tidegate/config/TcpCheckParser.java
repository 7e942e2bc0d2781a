package io.tidegate.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one {@code tcp-check} line (HAProxy 2.6, configuration.txt section 4.2): {@code comment},
 * {@code connect}, {@code send}, {@code send-lf} (plain text), {@code send-binary} and {@code expect}
 * with {@code string}, {@code rstring}, {@code binary} or {@code rbinary}. Hex strings and regular
 * expressions are checked here, so a bad one is an error at its word.
 */
final class TcpCheckParser {

    private static final Pattern INT_EXPR = Pattern.compile("int\\((-?\\d{1,9})\\)");
    private static final List<String> OK_STATUSES = List.of("L7OK", "L7OKC", "L6OK", "L4OK");
    private static final List<String> ERROR_STATUSES = List.of("L7RSP", "L7STS", "L7OKC", "L6RSP", "L4CON");
    private static final List<String> TIMEOUT_STATUSES = List.of("L7TOUT", "L6TOUT", "L4TOUT");

    private TcpCheckParser() {
    }

    /**
     * The rule of {@code line}.
     *
     * @param earlier the rules of the section so far (a {@code connect} must come before any send or expect)
     */
    static TcpCheckRule parse(ConfigLine line, List<TcpCheckRule> earlier) {
        if (line.size() < 2) {
            throw new StatementError(line.keyword(), "tcp-check needs a rule: comment, connect, send, send-lf, "
                    + "send-binary or expect");
        }
        Word action = line.word(1);
        String a = action.text();
        if (a.startsWith("set-var") || a.startsWith("unset-var")) {
            throw new StatementError(action, "'tcp-check " + a + "' is not supported: Tidegate's tcp-check has "
                    + "no log-format send or expect and no port expression that could read a check variable");
        }
        return switch (a) {
            case "comment" -> {
                if (line.size() != 3) {
                    throw new StatementError(line.size() < 3 ? action : line.word(3),
                            "expected 'tcp-check comment TEXT' (escape spaces or quote the text)");
                }
                yield new TcpCheckRule.Comment(line.text(2));
            }
            case "connect" -> connect(line, earlier);
            case "send", "send-lf", "send-binary" -> send(line);
            case "send-binary-lf" -> throw new StatementError(action, "'tcp-check send-binary-lf' (log-format "
                    + "hex) is not supported yet; write 'tcp-check send-binary HEX'");
            case "expect" -> expect(line);
            default -> throw new StatementError(action, "unknown tcp-check rule '" + a + "'; 'tcp-check' supports "
                    + "comment, connect, send, send-lf, send-binary and expect");
        };
    }

    private static TcpCheckRule.Connect connect(ConfigLine line, List<TcpCheckRule> earlier) {
        for (TcpCheckRule r : earlier) {
            if (r instanceof TcpCheckRule.Connect) {
                break;
            }
            if (!(r instanceof TcpCheckRule.Comment)) {
                throw new StatementError(line.word(1), "the first tcp-check step must be a 'connect' (optionally "
                        + "preceded by comments) when the sequence has a 'connect' step");
            }
        }
        Integer port = null;
        HostPort addr = null;
        String comment = null;
        boolean sendProxy = false;
        boolean linger = false;
        boolean useDefault = false;
        List<Word> w = line.from(2);
        for (int i = 0; i < w.size(); i++) {
            Word key = w.get(i);
            switch (key.text()) {
                case "default" -> useDefault = true;
                case "port" -> {
                    Word v = value(w, i++, "a port number from 1 to 65535");
                    if (!v.text().matches("\\d{1,5}")) {
                        throw new StatementError(v, "tcp-check connect port '" + v.text() + "': expected a port "
                                + "number from 1 to 65535 (sample expressions are not supported)");
                    }
                    port = Integer.parseInt(v.text());
                    if (port < 1 || port > 65535) {
                        throw new StatementError(v, "tcp-check connect port " + port + " is out of range 1-65535");
                    }
                }
                case "addr" -> {
                    Word v = value(w, i++, "an IPv4 or IPv6 address");
                    try {
                        addr = Addresses.parse(v.text(), false);
                    } catch (IllegalArgumentException e) {
                        throw new StatementError(v, "tcp-check connect addr '" + v.text() + "': " + e.getMessage());
                    }
                    if (addr.host().isEmpty() || addr.host().equals("*")) {
                        throw new StatementError(v, "tcp-check connect addr needs an address, not '" + v.text() + "'");
                    }
                }
                case "send-proxy" -> sendProxy = true;
                case "linger" -> linger = true;
                case "comment" -> comment = value(w, i++, "a text").text();
                case "ssl", "sni", "alpn" -> throw new StatementError(key, "'tcp-check connect " + key.text()
                        + "' is not supported yet: Tidegate's checks do not speak TLS (a later issue); "
                        + "check the plain port or use 'option ssl-hello-chk'");
                case "via-socks4", "proto" -> throw new StatementError(key, "'tcp-check connect " + key.text()
                        + "' is not supported");
                default -> throw new StatementError(key, "unexpected '" + key.text() + "' in tcp-check connect; "
                        + "expected default, port N, addr A, send-proxy, linger or comment TEXT");
            }
        }
        return new TcpCheckRule.Connect(port, addr, sendProxy, linger, useDefault, comment);
    }

    private static TcpCheckRule.Send send(ConfigLine line) {
        Word action = line.word(1);
        boolean binary = action.text().equals("send-binary");
        boolean logFormat = action.text().equals("send-lf");
        if (line.size() < 3) {
            throw new StatementError(action, "'tcp-check " + action.text() + "' expects "
                    + (binary ? "a hex string, e.g. 50494e470d0a" : "a string, e.g. PING\\r\\n"));
        }
        Word data = line.word(2);
        if (binary) {
            try {
                TcpCheckRule.hexBytes(data.text());
            } catch (IllegalArgumentException e) {
                throw new StatementError(data, "tcp-check send-binary: " + e.getMessage());
            }
        } else if (logFormat) {
            plainText(data, "tcp-check send-lf");
        }
        String comment = null;
        for (int i = 3; i < line.size(); i++) {
            Word key = line.word(i);
            if (!key.text().equals("comment")) {
                throw new StatementError(key, "unexpected '" + key.text() + "' after tcp-check " + action.text()
                        + " DATA; expected comment TEXT");
            }
            comment = value(line.from(0), i++, "a text").text();
        }
        return new TcpCheckRule.Send(data.text(), binary, logFormat, comment);
    }

    private static TcpCheckRule.Expect expect(ConfigLine line) {
        List<Word> w = line.from(2);
        if (w.isEmpty()) {
            throw new StatementError(line.word(1), "tcp-check expect needs a match and a pattern, e.g. "
                    + "'tcp-check expect string +PONG'");
        }
        boolean negated = false;
        TcpCheckRule.Match match = null;
        String pattern = null;
        int minRecv = -1;
        String onSuccess = null;
        String onError = null;
        String okStatus = null;
        String errorStatus = null;
        String toutStatus = null;
        Integer statusCode = null;
        String comment = null;
        for (int i = 0; i < w.size(); i++) {
            Word key = w.get(i);
            String k = key.text();
            if (k.startsWith("!")) {
                while (k.startsWith("!")) {
                    negated = !negated;
                    k = k.substring(1);
                }
                if (k.isEmpty()) {
                    continue;
                }
            }
            switch (k) {
                case "string", "rstring", "binary", "rbinary" -> {
                    if (match != null) {
                        throw new StatementError(key, "tcp-check expect takes only one pattern");
                    }
                    match = TcpCheckRule.Match.valueOf(k.toUpperCase(Locale.ROOT));
                    Word p = value(w, i++, "a pattern");
                    pattern = p.text();
                    checkPattern(match, p);
                }
                case "string-lf", "binary-lf" -> throw new StatementError(key, "'tcp-check expect " + k
                        + "' (log-format patterns) is not supported yet; write string or binary");
                case "custom", "status", "rstatus", "hdr", "fhdr" -> throw new StatementError(key,
                        "'tcp-check expect " + k + "' is not a tcp-check match; use string, rstring, binary or rbinary");
                case "min-recv" -> {
                    Word v = value(w, i++, "-1 or an integer from 0");
                    try {
                        minRecv = Integer.parseInt(v.text());
                    } catch (NumberFormatException e) {
                        minRecv = -2;
                    }
                    if (minRecv < -1) {
                        throw new StatementError(v, "tcp-check expect min-recv expects -1 or an integer from 0, "
                                + "not '" + v.text() + "'");
                    }
                }
                case "comment" -> comment = value(w, i++, "a text").text();
                case "on-success" -> onSuccess = plainText(value(w, i++, "a text"), "tcp-check expect on-success");
                case "on-error" -> onError = plainText(value(w, i++, "a text"), "tcp-check expect on-error");
                case "ok-status" -> okStatus = status(value(w, i++, "a status"), OK_STATUSES, k);
                case "error-status" -> errorStatus = status(value(w, i++, "a status"), ERROR_STATUSES, k);
                case "tout-status" -> toutStatus = status(value(w, i++, "a status"), TIMEOUT_STATUSES, k);
                case "status-code" -> {
                    Word v = value(w, i++, "an expression");
                    Matcher m = INT_EXPR.matcher(v.text());
                    if (!m.matches()) {
                        throw new StatementError(v, "tcp-check expect status-code '" + v.text() + "': only a "
                                + "constant 'int(N)' is supported (no sample fetch runs on a check's answer yet)");
                    }
                    statusCode = Integer.parseInt(m.group(1));
                    if (statusCode < 0 || statusCode > 999) {
                        throw new StatementError(v, "tcp-check expect status-code must be from 0 to 999");
                    }
                }
                default -> throw new StatementError(key, "unexpected '" + key.text() + "' in tcp-check expect; "
                        + "expected min-recv, comment, ok-status, error-status, tout-status, on-success, "
                        + "on-error, status-code or [!] string|rstring|binary|rbinary PATTERN");
            }
        }
        if (match == null) {
            throw new StatementError(w.get(w.size() - 1), "tcp-check expect has no pattern; write "
                    + "[!] string|rstring|binary|rbinary PATTERN");
        }
        return new TcpCheckRule.Expect(negated, match, pattern, minRecv, onSuccess, onError, okStatus, errorStatus,
                toutStatus, statusCode, comment);
    }

    private static void checkPattern(TcpCheckRule.Match match, Word p) {
        if (p.text().isEmpty()) {
            throw new StatementError(p, "tcp-check expect " + match.keyword() + " needs a non-empty pattern");
        }
        if (match == TcpCheckRule.Match.BINARY) {
            try {
                TcpCheckRule.hexBytes(p.text());
            } catch (IllegalArgumentException e) {
                throw new StatementError(p, "tcp-check expect binary: " + e.getMessage());
            }
        } else if (match.isRegex()) {
            try {
                Pattern.compile(p.text());
            } catch (PatternSyntaxException e) {
                throw new StatementError(p, "tcp-check expect " + match.keyword() + ": invalid regular expression '"
                        + p.text() + "': " + e.getDescription() + " near index " + e.getIndex());
            }
        }
    }

    /** A log-format text without tags (HAProxy's {@code %%} is a plain {@code %}): the text it prints. */
    private static String plainText(Word w, String where) {
        String t = w.text();
        if (t.replace("%%", "").indexOf('%') >= 0) {
            throw new StatementError(w, where + " '" + t + "': log-format tags (%[...], %H, ...) are not "
                    + "supported yet; write plain text");
        }
        return t;
    }

    private static String status(Word v, List<String> allowed, String keyword) {
        String s = v.text().toUpperCase(Locale.ROOT);
        if (!allowed.contains(s)) {
            throw new StatementError(v, "tcp-check expect " + keyword + " supports " + String.join(", ", allowed)
                    + " (got '" + v.text() + "')");
        }
        return s;
    }

    private static Word value(List<Word> w, int i, String what) {
        if (i + 1 >= w.size()) {
            throw new StatementError(w.get(i), "'" + w.get(i).text() + "' needs " + what);
        }
        return w.get(i + 1);
    }
}
