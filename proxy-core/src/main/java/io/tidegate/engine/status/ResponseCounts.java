package io.tidegate.engine.status;

/** HTTP responses counted by status class (other = anything outside 1xx..5xx). */
public record ResponseCounts(long informational, long success, long redirection, long clientError,
                             long serverError, long other) {

    /** From counts indexed 0 = other, 1..5 = 1xx..5xx. */
    public static ResponseCounts of(long[] byClass) {
        return new ResponseCounts(byClass[1], byClass[2], byClass[3], byClass[4], byClass[5], byClass[0]);
    }

    public long total() {
        return informational + success + redirection + clientError + serverError + other;
    }
}
