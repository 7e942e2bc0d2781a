package io.tidegate.config;

import java.util.Objects;

/**
 * One thing wrong (or worth a warning) in a configuration, with where it was written.
 * {@link #toString()} gives the HAProxy/compiler-like line {@code file:line:column: error: message}.
 * Unlike model records, two problems are equal only at the same location (compared with
 * {@link SourcePos#sameLocation}), since where a problem is is part of what it says.
 */
public record ConfigProblem(SourcePos pos, Severity severity, String message) {

    public ConfigProblem {
        pos = SourcePos.orUnknown(pos);
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static ConfigProblem error(SourcePos pos, String message) {
        return new ConfigProblem(pos, Severity.ERROR, message);
    }

    public static ConfigProblem warning(SourcePos pos, String message) {
        return new ConfigProblem(pos, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigProblem p && pos.sameLocation(p.pos) && severity == p.severity
                && message.equals(p.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pos.source(), pos.line(), pos.column(), severity, message);
    }

    @Override
    public String toString() {
        return pos.source() + ":" + pos.line() + ":" + pos.column() + ": " + severity.label() + ": " + message;
    }
}
