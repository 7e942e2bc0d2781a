package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;

/** Collects what parsing finds besides the model: problems, and the features the file uses. */
final class ParseContext {

    /** Environment variables for addresses ({@code null} result = unset). */
    final java.util.function.UnaryOperator<String> environment;

    ParseContext() {
        this(System::getenv);
    }

    ParseContext(java.util.function.UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /**
     * Parses an address after expanding its environment variables ({@link AddressVariables}); an
     * invalid result that used an unset variable says so.
     */
    HostPort address(String text, boolean portRequired) {
        AddressVariables.Expanded e = AddressVariables.expand(text, environment);
        try {
            return Addresses.parse(e.text(), portRequired);
        } catch (IllegalArgumentException ex) {
            if (e.unset() == null) throw ex;
            throw new IllegalArgumentException(ex.getMessage() + " (environment variable " + e.unset()
                    + " in '" + text + "' is not set; HAProxy expands an unset variable to nothing)");
        }
    }

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<FeatureUse> features = new ArrayList<>();

    void error(SourcePos pos, String message) {
        problems.add(ConfigProblem.error(pos, message));
    }

    void error(Word at, String message) {
        error(at.pos(), message);
    }

    void warning(SourcePos pos, String message) {
        problems.add(ConfigProblem.warning(pos, message));
    }

    void add(ConfigProblem problem) {
        problems.add(problem);
    }

    /** Records that the feature was used at {@code pos}. */
    void use(String feature, SourcePos pos) {
        features.add(new FeatureUse(feature, feature, pos));
    }

    /** Records that the feature was used, written differently ({@code contimeout} for {@code timeout connect}). */
    void use(String feature, String written, SourcePos pos) {
        features.add(new FeatureUse(feature, written, pos));
    }

    List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    List<FeatureUse> features() {
        return List.copyOf(features);
    }
}
