package io.tidegate.control.config;

import java.util.List;
import java.util.stream.Collectors;

import io.tidegate.config.ConfigProblem;

/** A save refused because the new text does not pass the configuration check; nothing was written. */
public class InvalidConfiguration extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public InvalidConfiguration(List<ConfigProblem> problems) {
        super(problems.stream().map(Object::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
