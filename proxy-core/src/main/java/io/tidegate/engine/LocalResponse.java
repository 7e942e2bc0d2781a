package io.tidegate.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A complete response Tidegate answers by itself, without a server: the fixed error answers
 * below, and answers built with {@link #of} by whatever serves a request locally (rules such as
 * {@code http-request return|deny|redirect}, {@code monitor-uri}, the stats page, the Prometheus
 * exporter). The bytes are built once; a local answer closes the client connection.
 */
public final class LocalResponse {
    public static final LocalResponse BAD_REQUEST = error(400, "Bad Request", "The request is malformed.");
    public static final LocalResponse METHOD_NOT_ALLOWED = error(405, "Method Not Allowed", "This method is not supported here.");
    public static final LocalResponse REQUEST_TIMEOUT = error(408, "Request Time-out", "The request did not arrive in time.");
    public static final LocalResponse HEADERS_TOO_LARGE = error(431, "Request Header Fields Too Large", "The request head is too large.");
    public static final LocalResponse BAD_GATEWAY = error(502, "Bad Gateway", "The server sent an invalid response.");
    public static final LocalResponse SERVICE_UNAVAILABLE = error(503, "Service Unavailable", "No server can take this request right now.");
    public static final LocalResponse GATEWAY_TIMEOUT = error(504, "Gateway Time-out", "The server did not answer in time.");
    public static final LocalResponse VERSION_NOT_SUPPORTED = error(505, "HTTP Version Not Supported", "Only HTTP/1.0 and HTTP/1.1 are supported.");

    private static final List<LocalResponse> ERRORS = List.of(BAD_REQUEST, METHOD_NOT_ALLOWED, REQUEST_TIMEOUT,
            HEADERS_TOO_LARGE, BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT, VERSION_NOT_SUPPORTED);

    final int status;
    final byte[] bytes;

    private LocalResponse(int status, byte[] bytes) {
        this.status = status;
        this.bytes = bytes;
    }

    /**
     * A response with the given status line, headers (name to value, in iteration order; do not
     * pass Content-Length or Connection, they are added) and body.
     */
    public static LocalResponse of(int status, String reason, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n")
            .append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return new LocalResponse(status, all);
    }

    /** A complete response as bytes (an {@code errorfile}: status line, headers, empty line, body). */
    static LocalResponse raw(int status, byte[] bytes) {
        return new LocalResponse(status, bytes.clone());
    }

    /** The answer of a rule that refuses a request or response ({@code deny}, {@code block}). */
    static LocalResponse denied(int status) {
        for (LocalResponse r : ERRORS) if (r.status == status) return r;
        String reason = Statuses.reason(status);
        String text = status == 403 ? "Request forbidden by administrative rules." : reason + ".";
        return error(status, reason, text);
    }

    /**
     * The answer of {@code http-request auth}: HAProxy's 401 page with
     * {@code WWW-Authenticate: Basic realm="REALM"} (a realm holds no double quote: the parser refuses it).
     */
    static LocalResponse unauthorized(String realm) {
        String body = "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n"
                + "</body></html>\n";
        return of(401, "Unauthorized", headersInOrder("Content-Type", "text/html", "Cache-Control", "no-cache",
                "WWW-Authenticate", "Basic realm=\"" + realm + "\""), body.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The answer of {@code http-request auth} when the proxy has an {@code errorfile 401}: that file
     * with its own WWW-Authenticate lines replaced by the realm's (as HAProxy builds it).
     */
    static LocalResponse unauthorized(String realm, LocalResponse errorfile) {
        if (errorfile == null) return unauthorized(realm);
        String all = new String(errorfile.bytes, StandardCharsets.ISO_8859_1);
        int firstLineEnd = all.indexOf('\n');
        int headEnd = all.indexOf("\n\r\n");
        if (headEnd < 0) headEnd = all.indexOf("\n\n");
        if (firstLineEnd < 0 || headEnd < firstLineEnd) return unauthorized(realm);
        String eol = firstLineEnd > 0 && all.charAt(firstLineEnd - 1) == '\r' ? "\r\n" : "\n";
        StringBuilder out = new StringBuilder(all.length() + 64).append(all, 0, firstLineEnd + 1)
                .append("WWW-Authenticate: Basic realm=\"").append(realm).append('"').append(eol);
        for (String line : all.substring(firstLineEnd + 1, headEnd + 1).split("(?<=\n)")) {
            if (!line.regionMatches(true, 0, "www-authenticate:", 0, 17)) out.append(line);
        }
        out.append(all, headEnd + 1, all.length());
        return new LocalResponse(401, out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static LocalResponse error(int status, String reason, String text) {
        String body = "<html><body><h1>" + status + " " + reason + "</h1>\n" + text + "\n</body></html>\n";
        return of(status, reason, headersInOrder("Content-Type", "text/html", "Cache-Control", "no-cache"),
                body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Map<String, String> headersInOrder(String... namesAndValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put(namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }

    /** One of the engine's own error answers (which an {@code errorfile} may replace). */
    boolean isBuiltInError() {
        return ERRORS.contains(this);
    }

    /** The status code this response carries. */
    public int status() {
        return status;
    }

    static LocalResponse forStatus(int status) {
        for (LocalResponse r : ERRORS) if (r.status == status) return r;
        return status >= 500 ? BAD_GATEWAY : BAD_REQUEST;
    }
}
