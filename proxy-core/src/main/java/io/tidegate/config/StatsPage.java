package io.tidegate.config;

import java.util.List;

/**
 * HAProxy's statistics page on a frontend or listen section: {@code stats enable}, {@code stats uri},
 * {@code stats realm}, {@code stats auth}, {@code stats refresh}, {@code stats hide-version}. Every
 * {@code stats} keyword implies {@code stats enable}, as in HAProxy. Equality ignores {@link #pos()}.
 *
 * @param uri           the URI prefix the page answers (HAProxy's default {@code /haproxy?stats})
 * @param realm         the HTTP Basic realm (default {@code HAProxy Statistics})
 * @param auths         {@code user:password} pairs allowed to see the page; empty = no sign-in
 * @param refreshSeconds the page's automatic refresh, 0 = none
 * @param hideVersion   {@code stats hide-version}
 */
public record StatsPage(String uri, String realm, List<String> auths, long refreshSeconds, boolean hideVersion, SourcePos pos) {
    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    public StatsPage {
        if (uri == null) uri = DEFAULT_URI;
        auths = auths == null ? List.of() : List.copyOf(auths);
        pos = SourcePos.orUnknown(pos);
    }

    /** {@code stats enable} alone: the defaults. */
    public static StatsPage enabled(SourcePos pos) {
        return new StatsPage(null, null, List.of(), 0, false, pos);
    }

    public String effectiveRealm() {
        return realm == null ? DEFAULT_REALM : realm;
    }

    public StatsPage withUri(String v) {
        return new StatsPage(v, realm, auths, refreshSeconds, hideVersion, pos);
    }

    public StatsPage withRealm(String v) {
        return new StatsPage(uri, v, auths, refreshSeconds, hideVersion, pos);
    }

    public StatsPage withAuth(String userColonPassword) {
        if (auths.contains(userColonPassword)) return this;
        List<String> l = new java.util.ArrayList<>(auths);
        l.add(userColonPassword);
        return new StatsPage(uri, realm, l, refreshSeconds, hideVersion, pos);
    }

    public StatsPage withRefreshSeconds(long v) {
        return new StatsPage(uri, realm, auths, v, hideVersion, pos);
    }

    public StatsPage withHideVersion(boolean v) {
        return new StatsPage(uri, realm, auths, refreshSeconds, v, pos);
    }
}
