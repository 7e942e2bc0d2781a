package io.tidegate.config;

import java.util.Objects;

/** Configuration text and the name its positions are reported under (usually the file path). */
public record ConfigSource(String name, String text) {

    public ConfigSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
