package io.tidegate.config;

import java.util.Objects;

/**
 * {@code capture cookie NAME len LENGTH}: the first request cookie and the first response
 * Set-Cookie whose name starts with NAME (write {@code NAME=} for an exact name) appear in the
 * httplog line as {@code %CC} and {@code %CS}, "name=value" cut to LENGTH characters.
 */
public record CookieCapture(String name, int length) {
    public CookieCapture {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) throw new IllegalArgumentException("capture cookie needs a name");
        if (length < 1 || length > 1024) throw new IllegalArgumentException("capture cookie len must be 1..1024");
    }
}
