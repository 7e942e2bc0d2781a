package io.tidegate.config;

import java.util.Objects;

/**
 * A feature a configuration asks for, found while parsing: checked against {@link SupportedFeatures}.
 *
 * @param feature the feature's canonical name, e.g. {@code option httpchk}, {@code server check},
 *                {@code timeout connect}
 * @param written how the file wrote it when that differs (e.g. {@code contimeout}), else the feature name
 * @param pos     where it was written (part of equality, unlike in model records)
 */
public record FeatureUse(String feature, String written, SourcePos pos) {

    public FeatureUse {
        Objects.requireNonNull(feature, "feature");
        written = written == null ? feature : written;
        pos = SourcePos.orUnknown(pos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureUse f && feature.equals(f.feature) && written.equals(f.written)
                && pos.sameLocation(f.pos);
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, written, pos.source(), pos.line(), pos.column());
    }

    /** {@code 'contimeout' (timeout connect)} or {@code 'option httpchk'}. */
    public String describe() {
        return written.equals(feature) ? "'" + feature + "'" : "'" + written + "' (" + feature + ")";
    }
}
