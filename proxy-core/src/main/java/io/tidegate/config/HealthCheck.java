package io.tidegate.config;

import java.util.List;
import java.util.Objects;

/**
 * The kind of health check of a proxy: {@code option httpchk [METHOD] [URI] [VERSION]},
 * {@code option ssl-hello-chk}, or a plain TCP connect (HAProxy's default). The options exclude
 * each other; the last one written wins. For HTTP checks the method, URI and version are always
 * filled with HAProxy's defaults ({@code OPTIONS / HTTP/1.0}) where not written.
 */
public record HealthCheck(CheckKind kind, String method, String uri, String version, List<String> arguments) {

    public static final String DEFAULT_METHOD = "OPTIONS";
    public static final String DEFAULT_URI = "/";
    public static final String DEFAULT_VERSION = "HTTP/1.0";

    public static final HealthCheck TCP = new HealthCheck(CheckKind.TCP, null, null, null);
    public static final HealthCheck SSL_HELLO = new HealthCheck(CheckKind.SSL_HELLO, null, null, null);
    /** {@code option tcp-check}: runs the section's {@code tcp-check} rules. */
    public static final HealthCheck TCP_CHECK = new HealthCheck(CheckKind.TCP_CHECK, null, null, null);

    public HealthCheck(CheckKind kind, String method, String uri, String version) {
        this(kind, method, uri, version, List.of());
    }

    /** A service check ({@code option redis-check} ...) with the words written after the option. */
    public static HealthCheck service(CheckKind kind, List<String> arguments) {
        return new HealthCheck(kind, null, null, null, arguments);
    }

    /** The option that states this check, e.g. {@code pgsql-check}; null for a plain TCP check. */
    public String option() {
        return switch (kind) {
            case TCP -> null;
            case HTTP -> "httpchk";
            case SSL_HELLO -> "ssl-hello-chk";
            case REDIS -> "redis-check";
            case PGSQL -> "pgsql-check";
            case MYSQL -> "mysql-check";
            case SMTP -> "smtpchk";
            case LDAP -> "ldap-check";
            case TCP_CHECK -> "tcp-check";
        };
    }

    public HealthCheck {
        Objects.requireNonNull(kind, "kind");
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        if (kind == CheckKind.HTTP) {
            method = method == null ? DEFAULT_METHOD : method;
            uri = uri == null ? DEFAULT_URI : uri;
            version = version == null ? DEFAULT_VERSION : version;
        } else if (method != null || uri != null || version != null) {
            throw new IllegalArgumentException("only HTTP checks have a method, URI and version");
        }
    }

    public static HealthCheck http(String method, String uri, String version) {
        return new HealthCheck(CheckKind.HTTP, method, uri, version);
    }
}
