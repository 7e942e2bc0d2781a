package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code listen}, {@code frontend} or {@code backend} section. Equality ignores every
 * {@link SourcePos} (see there).
 *
 * @param binds          listening addresses, in order (listen/frontend only)
 * @param settings       settings written in this section only; see {@link Config#effective(ProxySection)}
 * @param defaultBackend {@code default_backend NAME}, null when not written (listen/frontend only)
 * @param useBackends    plain {@code use_backend NAME} lines (without condition), in order
 * @param servers        {@code server} lines (and the server a 1.4 {@code dispatch} stands for), in order
 * @param statsPage      the statistics page ({@code stats enable|uri|...}), null when none (listen/frontend only)
 * @param rules          {@code acl}, {@code use_backend ... if}, {@code http-request}, {@code http-response},
 *                       {@code redirect}, {@code tcp-request} and 1.x header rules, in file order
 */
@RecordBuilder
public record ProxySection(ProxyKind kind, String name, List<Bind> binds, ProxySettings settings,
                           String defaultBackend, List<String> useBackends, List<Server> servers, SourcePos pos,
                           StatsPage statsPage, List<ProxyRule> rules)
        implements Section, ProxySectionBuilder.With {

    public ProxySection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        binds = List.copyOf(binds);
        settings = settings == null ? ProxySettings.NONE : settings;
        useBackends = useBackends == null ? List.of() : List.copyOf(useBackends);
        servers = List.copyOf(servers);
        pos = SourcePos.orUnknown(pos);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** The rules of one phase, in file order. */
    public List<ProxyRule> rules(ProxyRule.Phase phase) {
        return rules.stream().filter(r -> r.phase() == phase).toList();
    }

    /** The backends named by conditional {@code use_backend} rules, in order. */
    public List<String> conditionalBackends() {
        return rules(ProxyRule.Phase.SWITCHING).stream().map(r -> r.param("backend"))
                .filter(java.util.Objects::nonNull).toList();
    }

    public Optional<Server> server(String serverName) {
        return servers.stream().filter(s -> s.name().equals(serverName)).findFirst();
    }
}
