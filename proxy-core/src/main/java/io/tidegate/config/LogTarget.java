package io.tidegate.config;

import java.util.Objects;

/**
 * {@code log ADDRESS FACILITY [LEVEL [MINLEVEL]]} or {@code log global} (address {@code "global"},
 * the other fields null): where log lines go.
 */
public record LogTarget(String address, String facility, String level, String minLevel) {

    public static final LogTarget GLOBAL = new LogTarget("global", null, null, null);

    public LogTarget {
        Objects.requireNonNull(address, "address");
    }

    public boolean isGlobal() {
        return "global".equals(address) && facility == null;
    }
}
