package io.tidegate.config;

/** How bad a {@link ConfigProblem} is: an error rejects the configuration, a warning does not. */
public enum Severity {
    ERROR, WARNING;

    /** The lower-case word used in messages ({@code error}, {@code warning}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
