package io.tidegate.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A complete response Tidegate answers by itself, without a server: the fixed error answers
 * below, and answers built with {@link #of} by whatever serves a request locally (rules such as
 * {@code http-request return|deny|redirect}, {@code monitor-uri}, the stats page, the Prometheus
 * exporter). The bytes are built once. As in HAProxy, the answer to a rule, the monitor URI or
 * the stats page keeps an HTTP/1.1 client connection alive when the whole request has arrived
 * (the connection then goes on without the {@code Connection: close} line); otherwise, and for the
 * engine's own errors, it closes the connection.
 */
public final class LocalResponse {
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1);
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
    /** The answer as sent on a connection that closes after it. */
    final byte[] bytes;
    /** Where {@code bytes} hold the {@code Connection: close} line a kept-alive connection leaves out, or -1. */
    final int connectionCloseAt;
    /** The answer may leave the connection open (an errorfile with its own Connection header may not). */
    final boolean mayKeepAlive;
    /** A redirect: HAProxy closes after it when the request had a body, even a body it received whole. */
    final boolean closesAfterRequestBody;

    private LocalResponse(int status, byte[] bytes, int connectionCloseAt, boolean mayKeepAlive, boolean closesAfterRequestBody) {
        this.status = status;
        this.bytes = bytes;
        this.connectionCloseAt = connectionCloseAt;
        this.mayKeepAlive = mayKeepAlive;
        this.closesAfterRequestBody = closesAfterRequestBody;
    }

    /**
     * A complete response as bytes (an errorfile): it may keep the connection alive when its body
     * has a Content-Length and it carries no Connection or Transfer-Encoding header of its own.
     */
    private LocalResponse(int status, byte[] bytes) {
        this(status, bytes, -1, framedByLength(bytes), false);
    }

    private static boolean framedByLength(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\n\r\n");
        if (headEnd < 0) headEnd = text.indexOf("\n\n");
        String head = (headEnd < 0 ? text : text.substring(0, headEnd + 1)).toLowerCase(java.util.Locale.ROOT);
        return head.contains("\ncontent-length:") && !head.contains("\nconnection:") && !head.contains("\ntransfer-encoding:");
    }

    private static final byte[] CONNECTION_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * The answer may keep a connection of this HTTP/1.x minor version open: an HTTP/1.0 client is
     * told so in a {@code Connection: keep-alive} line, which only the answers built here have room for.
     */
    boolean mayKeepAlive(int minorVersion) {
        return mayKeepAlive && (minorVersion == 1 || connectionCloseAt >= 0);
    }

    /** Length of the answer on a connection that stays open. */
    int keepAliveLength(int minorVersion) {
        if (connectionCloseAt < 0) return bytes.length;
        return bytes.length - CONNECTION_CLOSE.length + (minorVersion == 1 ? 0 : CONNECTION_KEEP_ALIVE.length);
    }

    /** The answer on a connection that stays open, into {@code out} (which has {@link #keepAliveLength} bytes of room). */
    void putKeepAlive(java.nio.ByteBuffer out, int minorVersion) {
        if (connectionCloseAt < 0) {
            out.put(bytes);
            return;
        }
        out.put(bytes, 0, connectionCloseAt);
        if (minorVersion != 1) out.put(CONNECTION_KEEP_ALIVE);
        int rest = connectionCloseAt + CONNECTION_CLOSE.length;
        out.put(bytes, rest, bytes.length - rest);
    }

    /**
     * A response with the given status line, headers (name to value, in iteration order; do not
     * pass Content-Length or Connection, they are added) and body.
     */
    public static LocalResponse of(int status, String reason, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return built(status, head, body, false);
    }

    /** The answer of a redirect rule ({@code http-request redirect}, {@code redirect}): no body. */
    static LocalResponse redirect(int status, String location) {
        StringBuilder head = new StringBuilder(64 + location.length()).append("HTTP/1.1 ").append(status).append(' ')
                .append(Statuses.reason(status)).append("\r\nLocation: ").append(location).append("\r\n");
        return built(status, head, new byte[0], true);
    }

    private static LocalResponse built(int status, StringBuilder head, byte[] body, boolean redirect) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
        int closeAt = head.length();      // ASCII status line and names: one byte a char up to here
        head.append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return new LocalResponse(status, all, closeAt == h.length - CONNECTION_CLOSE.length - 2 ? closeAt : -1, true, redirect);
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
