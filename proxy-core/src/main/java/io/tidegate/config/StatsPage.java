package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

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
 * @param scopes        {@code stats scope NAME|.}: the proxies shown (empty = all; {@code .} = the page's own proxy)
 * @param node          {@code stats show-node [NAME]}: the node name shown, "" = the host's name, null = none
 * @param description   {@code stats show-desc [TEXT]}: the description shown, null = none
 * @param admins        {@code stats admin if|unless COND} lines, in file order: the page shows its
 *                      admin form, and takes its POSTs, when one of them applies; empty = read only
 */
@RecordBuilder
public record StatsPage(String uri, String realm, List<String> auths, long refreshSeconds, boolean hideVersion,
                        List<String> scopes, String node, String description, List<Admin> admins, SourcePos pos)
        implements StatsPageBuilder.With {
    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    public StatsPage {
        if (uri == null) uri = DEFAULT_URI;
        auths = auths == null ? List.of() : List.copyOf(auths);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        admins = admins == null ? List.of() : List.copyOf(admins);
        pos = SourcePos.orUnknown(pos);
    }

    /** {@code stats enable} alone: the defaults. */
    public static StatsPage enabled(SourcePos pos) {
        return StatsPageBuilder.builder().auths(List.of()).scopes(List.of()).admins(List.of()).pos(pos).build();
    }

    public String effectiveRealm() {
        return realm == null ? DEFAULT_REALM : realm;
    }

    public StatsPage withAuth(String userColonPassword) {
        if (auths.contains(userColonPassword)) return this;
        List<String> l = new java.util.ArrayList<>(auths);
        l.add(userColonPassword);
        return withAuths(l);
    }

    public StatsPage withScope(String proxy) {
        if (scopes.contains(proxy)) return this;
        List<String> l = new java.util.ArrayList<>(scopes);
        l.add(proxy);
        return withScopes(l);
    }

    public StatsPage withAdmin(Admin rule) {
        List<Admin> l = new java.util.ArrayList<>(admins);
        l.add(rule);
        return withAdmins(l);
    }

    /**
     * One {@code stats admin if|unless COND} line (HAProxy's admin rule of the stats page).
     *
     * @param condition the condition, evaluated on the request for the page
     * @param words     the line as written, for {@link ConfigWriter}
     */
    public record Admin(Condition condition, List<String> words, SourcePos pos) {
        public Admin {
            java.util.Objects.requireNonNull(condition);
            words = List.copyOf(words);
            pos = SourcePos.orUnknown(pos);
        }
    }
}
