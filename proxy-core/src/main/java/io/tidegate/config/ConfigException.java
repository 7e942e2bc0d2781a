package io.tidegate.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration could not be loaded. Carries every problem found (errors and the warnings seen
 * alongside them), in file order; the message is those problems, one per line.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    /** All problems, errors and warnings, in the order they were found. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Only the errors. */
    public List<ConfigProblem> errors() {
        return problems.stream().filter(ConfigProblem::isError).toList();
    }

    private static String render(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
