package io.tidegate.health;

import io.tidegate.config.CheckKind;
import io.tidegate.config.HealthCheck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The request of {@code option httpchk [METHOD] [URI] [VERSION]}. As in HAProxy, header lines may follow
 * the version, separated by CRLF ({@code option httpchk OPTIONS * HTTP/1.1\r\nHost:\ www}); they are
 * sent as written. Nothing else is added to the request.
 */
public record HttpCheckRequest(String method, String uri, String version, List<String> headerLines) {

    public HttpCheckRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(version, "version");
        headerLines = headerLines == null ? List.of() : List.copyOf(headerLines);
        for (String s : new String[] {method, uri, version}) {
            if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("invalid request line part: '" + s + "'");
            }
        }
        for (String h : headerLines) {
            if (h.indexOf('\r') >= 0 || h.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header line contains CR or LF: '" + h + "'");
            }
        }
    }

    /** The request of an HTTP {@link HealthCheck}: its version word is split into version and header lines. */
    public static HttpCheckRequest of(HealthCheck check) {
        if (check.kind() != CheckKind.HTTP) {
            throw new IllegalArgumentException("not an HTTP check: " + check.kind());
        }
        String[] parts = check.version().split("\r?\n");
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String h = parts[i].endsWith("\r") ? parts[i].substring(0, parts[i].length() - 1) : parts[i];
            if (!h.isEmpty()) {
                headers.add(h);
            }
        }
        return new HttpCheckRequest(check.method(), check.uri(), parts[0], headers);
    }

    /** True for a HEAD request (its answer has no body). */
    public boolean isHead() {
        return method.equalsIgnoreCase("HEAD");
    }

    /** The bytes sent on the wire. */
    public byte[] toBytes() {
        StringBuilder b = new StringBuilder(64).append(method).append(' ').append(uri).append(' ').append(version)
                .append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
