package io.tidegate.config;

/** {@code mode http} or {@code mode tcp}. HAProxy's default is TCP. */
public enum Mode {
    HTTP, TCP;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
