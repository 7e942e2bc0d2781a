package io.tidegate.config;

import java.util.List;
import java.util.Objects;

/** A configuration that parsed and validated without error, with the warnings seen on the way. */
public record LoadedConfig(Config config, List<ConfigProblem> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
