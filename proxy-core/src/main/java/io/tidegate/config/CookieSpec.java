package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code cookie NAME [insert|prefix|rewrite] [indirect] [nocache] [preserve] [httponly] [secure]
 * [domain D]* [maxidle T] [maxlife T] [postonly] [attr A]*}: cookie-based server persistence. The
 * one model of the keyword: the parser fills it, {@link ConfigWriter} writes it, and the engine's
 * plan carries it as it is. HAProxy's meanings:
 * <ul>
 * <li>PASSIVE (no mode word): the application sets the cookie; requests carrying a server's value go
 *     to that server, nothing is rewritten.</li>
 * <li>INSERT: the proxy adds {@code Set-Cookie: NAME=VALUE; path=/} to a response unless the client
 *     already sent the value of the server that answered; a cookie of that name the server sets is
 *     removed unless {@code preserve} (and then nothing is inserted). {@code indirect}: the cookie is
 *     removed from requests. {@code nocache}: a response that gets the cookie is marked
 *     {@code Cache-Control: private}. {@code postonly}: insert only in answers to POST.</li>
 * <li>PREFIX: the server's own cookie is sent to the client as {@code VALUE~original}; the prefix
 *     is removed from requests.</li>
 * <li>REWRITE: the value of the server's own cookie is replaced by the server's value.</li>
 * </ul>
 * {@code maxidle}/{@code maxlife} ({@code null} = unset): inserted cookies carry their dates and are
 * ignored once idle or alive longer than that.
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
        if (isNegative(maxidle) || isNegative(maxlife)) throw new IllegalArgumentException("negative maxidle/maxlife");
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

    /** {@code cookie NAME insert [indirect] [nocache]}. */
    public static CookieSpec insert(String name, boolean indirect, boolean nocache) {
        return of(name, CookieMode.INSERT).withIndirect(indirect).withNocache(nocache);
    }

    /** {@code cookie NAME prefix}. */
    public static CookieSpec prefix(String name) {
        return of(name, CookieMode.PREFIX);
    }

    /** {@code maxidle} in whole seconds (the unit of the cookie's dates), at least 1; 0 = unset. */
    public long maxIdleSeconds() {
        return seconds(maxidle);
    }

    /** {@code maxlife} in whole seconds, at least 1; 0 = unset. */
    public long maxLifeSeconds() {
        return seconds(maxlife);
    }

    /** Inserted cookies carry dates ({@code maxidle} or {@code maxlife} set). */
    public boolean dated() {
        return maxIdleSeconds() > 0 || maxLifeSeconds() > 0;
    }

    /** The cookie line as the configuration writer writes it, e.g. {@code cookie SERVERID insert indirect nocache}. */
    public String configText() {
        return ConfigWriter.cookieLine(this);
    }

    private static long seconds(Duration d) {
        return d == null ? 0 : Math.max(1, d.toSeconds());
    }

    private static boolean isNegative(Duration d) {
        return d != null && d.isNegative();
    }
}
