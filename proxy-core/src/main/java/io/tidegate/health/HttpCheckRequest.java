package io.tidegate.health;

import io.tidegate.config.CheckKind;
import io.tidegate.config.HealthCheck;
import io.tidegate.config.HttpCheckSend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The request of {@code option httpchk [METHOD] [URI] [VERSION]}. As in HAProxy, header lines may follow
 * the version, separated by CRLF ({@code option httpchk OPTIONS * HTTP/1.1\r\nHost:\ www}); they are
 * sent as written. Nothing else is added to the request.
 */
public record HttpCheckRequest(String method, String uri, String version, List<String> headerLines, String body) {

    /** Without a body. */
    public HttpCheckRequest(String method, String uri, String version, List<String> headerLines) {
        this(method, uri, version, headerLines, null);
    }

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

    /**
     * The request of an HTTP check with {@code http-check send}: what the send line writes, else what
     * {@code option httpchk} says (its header lines first), then HAProxy's defaults.
     */
    public static HttpCheckRequest of(HealthCheck check, HttpCheckSend send) {
        HttpCheckRequest base = of(check);
        if (send == null) {
            return base;
        }
        List<String> headers = new ArrayList<>(base.headerLines);
        headers.addAll(send.headers());
        return new HttpCheckRequest(send.method() != null ? send.method() : base.method,
                send.uri() != null ? send.uri() : base.uri, send.version() != null ? send.version() : base.version,
                headers, send.body());
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
        if (body != null) {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            b.append("content-length: ").append(content.length).append("\r\n\r\n");
            byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = java.util.Arrays.copyOf(head, head.length + content.length);
            System.arraycopy(content, 0, all, head.length, content.length);
            return all;
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
