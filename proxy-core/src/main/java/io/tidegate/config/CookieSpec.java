package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code cookie NAME [insert|prefix|rewrite] [indirect] [nocache] [preserve] [httponly] [secure]
 * [domain D]* [maxidle T] [maxlife T] [postonly] [attr A]*}: cookie-based server persistence.
 */
@RecordBuilder
public record CookieSpec(String name, CookieMode mode, boolean indirect, boolean nocache, boolean preserve,
                         boolean httponly, boolean secure, List<String> domains, Duration maxidle,
                         Duration maxlife, boolean postonly, List<String> attrs) implements CookieSpecBuilder.With {

    public CookieSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        domains = List.copyOf(domains);
        attrs = List.copyOf(attrs);
    }

    /** A cookie with only a name and a mode. */
    public static CookieSpec of(String name, CookieMode mode) {
        return CookieSpecBuilder.builder()
                .name(name)
                .mode(mode)
                .domains(List.of())
                .attrs(List.of())
                .build();
    }
}
