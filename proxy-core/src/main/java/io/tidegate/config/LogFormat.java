package io.tidegate.config;

import java.util.Objects;

/**
 * What one log line of a proxy says: {@code option httplog}, {@code option tcplog} or
 * {@code log-format STRING}; the last one written wins, as in HAProxy.
 */
public final class LogFormat {
    /** HAProxy 2.x's {@code option httplog}. */
    public static final LogFormat HTTP = new LogFormat("httplog", "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC "
            + "%CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r");
    /** HAProxy 2.x's {@code option tcplog}. */
    public static final LogFormat TCP = new LogFormat("tcplog", "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts "
            + "%ac/%fc/%bc/%sc/%rc %sq/%bq");

    private final String option;
    private final String format;

    private LogFormat(String option, String format) {
        this.option = option;
        this.format = format;
    }

    /** {@code log-format STRING}. */
    public static LogFormat custom(String format) {
        return new LogFormat(null, Objects.requireNonNull(format, "format"));
    }

    /** {@code httplog} or {@code tcplog}; null for {@code log-format}. */
    public String option() {
        return option;
    }

    /** The {@code %} format string this line follows. */
    public String format() {
        return format;
    }

    public boolean isCustom() {
        return option == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogFormat f && Objects.equals(option, f.option) && format.equals(f.format);
    }

    @Override
    public int hashCode() {
        return Objects.hash(option, format);
    }

    @Override
    public String toString() {
        return option != null ? "option " + option : "log-format " + format;
    }
}
