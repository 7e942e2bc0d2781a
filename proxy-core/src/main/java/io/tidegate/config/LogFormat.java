package io.tidegate.config;

/** {@code option httplog} or {@code option tcplog}; the last one written wins. */
public enum LogFormat {
    HTTP("httplog"), TCP("tcplog");

    private final String option;

    LogFormat(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }
}
