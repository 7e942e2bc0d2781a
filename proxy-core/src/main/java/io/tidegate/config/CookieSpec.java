package io.tidegate.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code cookie NAME [insert|prefix|rewrite] [indirect] [nocache] [preserve] [httponly] [secure]
 * [domain D]* [maxidle T] [maxlife T] [postonly] [attr A]*}: cookie-based server persistence.
 */
public record CookieSpec(String name, CookieMode mode, boolean indirect, boolean nocache, boolean preserve,
                         boolean httponly, boolean secure, List<String> domains, Duration maxidle,
                         Duration maxlife, boolean postonly, List<String> attrs) {

    public CookieSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        domains = List.copyOf(domains);
        attrs = List.copyOf(attrs);
    }

    /** A cookie with only a name and a mode. */
    public static CookieSpec of(String name, CookieMode mode) {
        return new CookieSpec(name, mode, false, false, false, false, false, List.of(), null, null, false, List.of());
    }

    public CookieSpec withMode(CookieMode v) {
        return new CookieSpec(name, v, indirect, nocache, preserve, httponly, secure, domains, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withIndirect(boolean v) {
        return new CookieSpec(name, mode, v, nocache, preserve, httponly, secure, domains, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withNocache(boolean v) {
        return new CookieSpec(name, mode, indirect, v, preserve, httponly, secure, domains, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withPreserve(boolean v) {
        return new CookieSpec(name, mode, indirect, nocache, v, httponly, secure, domains, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withHttponly(boolean v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, v, secure, domains, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withSecure(boolean v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, httponly, v, domains, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withDomains(List<String> v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, httponly, secure, v, maxidle, maxlife, postonly, attrs);
    }

    public CookieSpec withMaxidle(Duration v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, httponly, secure, domains, v, maxlife, postonly, attrs);
    }

    public CookieSpec withMaxlife(Duration v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, httponly, secure, domains, maxidle, v, postonly, attrs);
    }

    public CookieSpec withPostonly(boolean v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, httponly, secure, domains, maxidle, maxlife, v, attrs);
    }

    public CookieSpec withAttrs(List<String> v) {
        return new CookieSpec(name, mode, indirect, nocache, preserve, httponly, secure, domains, maxidle, maxlife, postonly, v);
    }
}
