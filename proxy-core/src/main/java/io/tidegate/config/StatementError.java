package io.tidegate.config;

/** Aborts the statement being parsed; the parser reports it as an error at {@link #at} and goes on. */
final class StatementError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final transient Word at;

    StatementError(Word at, String message) {
        super(message, null, false, false);
        this.at = at;
    }
}
