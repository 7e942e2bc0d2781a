package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;

/** The section being parsed: a mutable builder that becomes a {@link ProxySection} or {@link DefaultsSection}. */
final class ProxyDraft {

    final SectionType type;
    final String name;
    final SourcePos pos;
    /** The binds of a 1.4 header {@code listen NAME ADDR:PORT[,ADDR:PORT]}. */
    final List<Bind> headerBinds = new ArrayList<>();
    /**
     * The bind a 1.4 unnamed header {@code listen ADDR:PORT} implies. It applies only when the section
     * has no {@code bind} line of its own: with bind lines, the header is just a name (that is how
     * {@link ConfigWriter} writes such a section, so an edited bind never brings the old address back).
     */
    Bind nameBind;
    final List<Bind> binds = new ArrayList<>();
    final List<Server> servers = new ArrayList<>();
    final List<Word> useBackends = new ArrayList<>();
    /** The backends named by {@code %[nbsrv(NAME)]} in log-format (checked once all sections are read). */
    final List<Word> logFormatBackends = new ArrayList<>();
    /** ACLs declared so far, by name (a condition may only use ACLs declared above it). */
    final java.util.Map<String, List<AclDef>> acls = new java.util.HashMap<>();
    final List<ProxyRule> rules = new ArrayList<>();
    /** ACL names whose (last) definition had an error. */
    final java.util.Set<String> failedAcls = new java.util.HashSet<>();
    /** {@code errorfile CODE FILE} lines. */
    final java.util.Map<Integer, String> errorfiles = new java.util.HashMap<>();
    ProxySettings settings = ProxySettings.NONE;
    Word defaultBackend;
    /** {@code stats ...} lines: the statistics page (defaults/frontend/listen). */
    StatsPage statsPage;
    /** The statistics page of the defaults section in force: a proxy's own stats lines start from it (HAProxy copies it). */
    StatsPage inheritedStatsPage;

    ProxyDraft(SectionType type, String name, SourcePos pos) {
        this.type = type;
        this.name = name;
        this.pos = pos;
    }

    /** Every address this section will listen on. */
    boolean hasBinds() {
        return !headerBinds.isEmpty() || nameBind != null || !binds.isEmpty();
    }

    String describe() {
        return name == null ? type.keyword() + " section" : type.keyword() + " '" + name + "'";
    }

    /** The use_backend lines without condition ({@link #useBackends} has every use_backend target, for checks). */
    final List<String> plainUseBackends = new ArrayList<>();

    Section build() {
        String backend = defaultBackend == null ? null : defaultBackend.text();
        if (!errorfiles.isEmpty()) {
            settings = settings.withErrorfiles(errorfiles);
        }
        if (type == SectionType.DEFAULTS) {
            return new DefaultsSection(name, settings, backend, pos, statsPage);
        }
        ProxyKind kind = switch (type) {
            case LISTEN -> ProxyKind.LISTEN;
            case FRONTEND -> ProxyKind.FRONTEND;
            case BACKEND -> ProxyKind.BACKEND;
            default -> throw new IllegalStateException(type.toString());
        };
        List<Bind> all = new ArrayList<>(headerBinds);
        if (nameBind != null && binds.isEmpty()) {
            all.add(nameBind);
        }
        all.addAll(binds);
        return ProxySectionBuilder.builder()
                .kind(kind)
                .name(name)
                .binds(all)
                .settings(settings)
                .defaultBackend(backend)
                .useBackends(plainUseBackends)
                .servers(servers)
                .pos(pos)
                .statsPage(statsPage)
                .rules(rules)
                .build();
    }
}
