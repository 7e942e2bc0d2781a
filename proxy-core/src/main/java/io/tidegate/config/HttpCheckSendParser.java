package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code http-check send [meth M] [uri U] [ver V] [hdr NAME VALUE]... [body TEXT]} (HAProxy 2.2+). */
final class HttpCheckSendParser {

    private HttpCheckSendParser() {
    }

    static HttpCheckSend parse(ConfigLine line) {
        String method = null;
        String uri = null;
        String version = null;
        String body = null;
        List<String> headers = new ArrayList<>();
        List<Word> w = line.from(2);
        if (w.isEmpty()) {
            throw new StatementError(line.word(1), "http-check send needs at least one of meth, uri, ver, hdr, body");
        }
        for (int i = 0; i < w.size(); i++) {
            Word key = w.get(i);
            switch (key.text()) {
                case "meth" -> method = token(value(w, i++), "method");
                case "uri" -> uri = token(value(w, i++), "uri");
                case "ver" -> version = token(value(w, i++), "version");
                case "hdr" -> {
                    Word name = value(w, i++);
                    Word v = value(w, i++);
                    if (!name.text().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                        throw new StatementError(name, "invalid header name '" + name.text() + "'");
                    }
                    if (v.text().indexOf('\r') >= 0 || v.text().indexOf('\n') >= 0) {
                        throw new StatementError(v, "a header value may not contain CR or LF");
                    }
                    headers.add(name.text() + ": " + v.text());
                }
                case "body" -> body = value(w, i++).text();
                case "uri-lf", "body-lf" -> throw new StatementError(key, "http-check send " + key.text()
                        + " (log-format values) is not supported yet; write uri or body with a plain text");
                default -> throw new StatementError(key, "unknown http-check send argument '" + key.text()
                        + "'; expected meth, uri, ver, hdr or body");
            }
        }
        return new HttpCheckSend(method, uri, version, headers, body);
    }

    private static Word value(List<Word> w, int i) {
        if (i + 1 >= w.size()) {
            throw new StatementError(w.get(i), "'" + w.get(i).text() + "' needs a value");
        }
        return w.get(i + 1);
    }

    private static String token(Word w, String what) {
        String t = w.text();
        if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new StatementError(w, "invalid " + what + " '" + t + "': no spaces or control characters");
        }
        return t;
    }
}
