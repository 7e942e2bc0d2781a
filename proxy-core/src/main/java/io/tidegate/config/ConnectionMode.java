package io.tidegate.config;

/**
 * How HTTP connections are kept: {@code option http-keep-alive} (HAProxy's default),
 * {@code option http-server-close} or {@code option httpclose}. The three options exclude each
 * other; the last one written wins.
 */
public enum ConnectionMode {
    KEEP_ALIVE("http-keep-alive"),
    SERVER_CLOSE("http-server-close"),
    CLOSE("httpclose");

    private final String option;

    ConnectionMode(String option) {
        this.option = option;
    }

    /** The word written after {@code option}. */
    public String option() {
        return option;
    }
}
