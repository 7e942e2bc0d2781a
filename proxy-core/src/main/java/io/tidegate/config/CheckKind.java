package io.tidegate.config;

/**
 * What a health check sends: a plain TCP connect, an HTTP request, an SSL/TLS ClientHello, or the
 * opening exchange of a service protocol ({@code option redis-check | pgsql-check | mysql-check |
 * smtpchk | ldap-check}), or {@code option tcp-check}: the section's {@code tcp-check} rules (a plain
 * connect when there are none).
 */
public enum CheckKind {
    TCP, HTTP, SSL_HELLO, REDIS, PGSQL, MYSQL, SMTP, LDAP, TCP_CHECK
}
