package io.tidegate.config;

/** What a health check sends: a plain TCP connect, an HTTP request, or an SSL/TLS ClientHello. */
public enum CheckKind {
    TCP, HTTP, SSL_HELLO
}
