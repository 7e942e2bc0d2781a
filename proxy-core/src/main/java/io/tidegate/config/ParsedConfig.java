package io.tidegate.config;

import java.util.List;

/**
 * What {@link ConfigParser} produced: the model (as far as it could be built), the syntax and
 * consistency problems, and the features the text uses (checked by {@link ConfigValidator}).
 */
public record ParsedConfig(Config config, List<ConfigProblem> problems, List<FeatureUse> features) {

    public ParsedConfig {
        problems = List.copyOf(problems);
        features = List.copyOf(features);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(ConfigProblem::isError);
    }
}
