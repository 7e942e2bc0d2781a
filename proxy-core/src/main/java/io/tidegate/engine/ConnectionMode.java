package io.tidegate.engine;

/** How connections are kept between exchanges (HAProxy's http-keep-alive / http-server-close / httpclose). */
public enum ConnectionMode {
    /** Keep-alive on both sides (the default). */
    KEEP_ALIVE,
    /** Close the server connection after each response, keep the client connection. */
    SERVER_CLOSE,
    /** Close both sides after each exchange. */
    CLOSE;

    /** The stricter of two modes (options may be set on frontend and backend). */
    public ConnectionMode strictest(ConnectionMode other) {
        return ordinal() >= other.ordinal() ? this : other;
    }
}
