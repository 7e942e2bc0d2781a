package io.tidegate.health;

/**
 * The outcome class of one health check, named and described as HAProxy names them (the short name
 * appears in statistics, the description in the {@code reason:} part of the log line).
 */
public enum CheckStatus {
    /** The TCP connection was established (plain connect check). */
    L4OK("Layer4 check passed", true),
    /** The TCP connection was not established within the connect timeout. */
    L4TOUT("Layer4 timeout", false),
    /** The TCP connection was refused or failed. */
    L4CON("Layer4 connection problem", false),
    /** The server answered the SSL/TLS hello with an SSL/TLS record. */
    L6OK("Layer6 check passed", true),
    /** No answer to the SSL/TLS hello in time. */
    L6TOUT("Layer6 timeout", false),
    /** The answer to the SSL/TLS hello is not an SSL/TLS record. */
    L6RSP("Layer6 invalid response", false),
    /** No complete HTTP answer in time. */
    L7TOUT("Layer7 timeout", false),
    /** The answer is not valid HTTP, or the content did not match {@code http-check expect}. */
    L7RSP("Layer7 invalid response", false),
    /** The HTTP status (and content) is the expected one. */
    L7OK("Layer7 check passed", true),
    /**
     * Conditionally passed: the server answered 404 under {@code http-check disable-on-404}; a running
     * server stays up but takes no new load-balanced traffic (HAProxy's NOLB), a stopped one stays down.
     */
    L7OKC("Layer7 check conditionally passed", true),
    /** The HTTP status is not the expected one. */
    L7STS("Layer7 wrong status", false),
    /** The connection failed after it was established, before a verdict. */
    SOCKERR("Socket error", false);

    private final String description;
    private final boolean passed;

    CheckStatus(String description, boolean passed) {
        this.description = description;
        this.passed = passed;
    }

    /** HAProxy's long description, e.g. {@code Layer7 wrong status}. */
    public String description() {
        return description;
    }

    /** True when this outcome counts as a successful check. */
    public boolean passed() {
        return passed;
    }

    /** True when the outcome carries an HTTP status code worth reporting (HAProxy prints {@code code: N}). */
    public boolean reportsCode() {
        return this == L7OK || this == L7OKC || this == L7STS;
    }
}
