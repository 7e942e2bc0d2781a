package io.tidegate.config;

import java.util.Objects;

/**
 * {@code http-check expect [!] MATCH PATTERN} where MATCH is {@code status}, {@code rstatus},
 * {@code string} or {@code rstring}. Without it, a 2xx or 3xx status means "up".
 */
public record HttpCheckExpect(boolean negated, String match, String pattern) {

    public HttpCheckExpect {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(pattern, "pattern");
    }
}
