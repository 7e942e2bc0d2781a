package io.tidegate.engine;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.List;
import java.util.Objects;

/**
 * {@code cookie NAME [insert|prefix|rewrite] [indirect] [nocache] [postonly] [preserve] [httponly]
 * [secure] [domain D]* [maxidle T] [maxlife T] [attr A]*}, with HAProxy's meanings:
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
 * {@code maxIdleSeconds}/{@code maxLifeSeconds} (0 = unset): inserted cookies carry their dates
 * ({@link CookieDate}) and are ignored once idle or alive longer than that.
 */
@RecordBuilder
@RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
public record CookiePolicy(String name, Mode mode, boolean indirect, boolean nocache, boolean postonly,
                           boolean preserve, boolean httponly, boolean secure, List<String> domains,
                           long maxIdleSeconds, long maxLifeSeconds, List<String> attrs)
        implements CookiePolicyBuilder.With {
    public enum Mode { PASSIVE, INSERT, PREFIX, REWRITE }

    public CookiePolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        domains = List.copyOf(domains);
        attrs = List.copyOf(attrs);
        if (maxIdleSeconds < 0 || maxLifeSeconds < 0) throw new IllegalArgumentException("negative maxidle/maxlife");
    }

    /** A policy with only a name and a mode. */
    public static CookiePolicy of(String name, Mode mode) {
        return CookiePolicyBuilder.builder()
                .name(name)
                .mode(mode)
                .domains(List.of())
                .attrs(List.of())
                .build();
    }

    public static CookiePolicy insert(String name, boolean indirect, boolean nocache) {
        return of(name, Mode.INSERT).withIndirect(indirect).withNocache(nocache);
    }

    public static CookiePolicy prefix(String name) {
        return of(name, Mode.PREFIX);
    }

    /**
     * The policy in configuration syntax, e.g. {@code cookie SERVERID insert indirect nocache}
     * (times in seconds; a passive cookie is just {@code cookie NAME}).
     */
    public String configText() {
        StringBuilder sb = new StringBuilder("cookie ").append(name);
        if (mode != Mode.PASSIVE) sb.append(' ').append(mode.name().toLowerCase(java.util.Locale.ROOT));
        if (indirect) sb.append(" indirect");
        if (nocache) sb.append(" nocache");
        if (postonly) sb.append(" postonly");
        if (preserve) sb.append(" preserve");
        if (httponly) sb.append(" httponly");
        if (secure) sb.append(" secure");
        for (String d : domains) sb.append(" domain ").append(d);
        if (maxIdleSeconds > 0) sb.append(" maxidle ").append(maxIdleSeconds).append('s');
        if (maxLifeSeconds > 0) sb.append(" maxlife ").append(maxLifeSeconds).append('s');
        for (String a : attrs) sb.append(" attr \"").append(a).append('"');
        return sb.toString();
    }

    /** Inserted cookies carry dates. */
    boolean dated() {
        return maxIdleSeconds > 0 || maxLifeSeconds > 0;
    }
}
