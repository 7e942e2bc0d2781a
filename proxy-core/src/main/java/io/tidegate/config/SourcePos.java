package io.tidegate.config;

import java.util.Objects;

/**
 * Where something was written: file (or other source name), 1-based line and 1-based column.
 *
 * <p><b>Equality.</b> A position is provenance, not content. Two configurations that say the same
 * thing are equal even if they were written differently (1.4 versus modern spelling, a file versus
 * the output of {@link ConfigWriter}). To get that without hand-written {@code equals} in every
 * record that carries a position, <em>every {@code SourcePos} equals every other {@code SourcePos}</em>
 * and all share one hash code. The relation is still reflexive, symmetric and transitive. Compare
 * positions themselves with {@link #sameLocation(SourcePos)}.
 *
 * <p>Records of the model never hold a {@code null} position; a model built in code uses
 * {@link #UNKNOWN}.
 */
public record SourcePos(String source, int line, int column) {

    /** Position of model elements that were not parsed from text. */
    public static final SourcePos UNKNOWN = new SourcePos("<model>", 0, 0);

    public SourcePos {
        Objects.requireNonNull(source, "source");
    }

    /** Replaces {@code null} with {@link #UNKNOWN}. */
    public static SourcePos orUnknown(SourcePos pos) {
        return pos == null ? UNKNOWN : pos;
    }

    /** True when both positions name the same source, line and column. */
    public boolean sameLocation(SourcePos other) {
        return other != null && source.equals(other.source) && line == other.line && column == other.column;
    }

    /** Always true for another {@code SourcePos}: positions never distinguish two models (see class doc). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SourcePos;
    }

    @Override
    public int hashCode() {
        return 0x5043;
    }

    /** {@code file:line:column}, the prefix of compiler-style messages. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
