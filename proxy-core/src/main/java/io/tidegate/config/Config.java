package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole configuration file, immutable. Sections keep file order. Equality compares content only:
 * source positions are ignored (see {@link SourcePos}); {@link #source()} (the file name) counts.
 *
 * @param source   the file (or other source) name
 * @param global   the {@code global} section, {@link GlobalSection#EMPTY} when there is none
 * @param sections {@code defaults}, {@code listen}, {@code frontend} and {@code backend} sections in file order
 * @param userlists the {@code userlist} sections in file order
 */
public record Config(String source, GlobalSection global, List<Section> sections, List<Userlist> userlists) {

    public Config {
        Objects.requireNonNull(source, "source");
        global = global == null ? GlobalSection.EMPTY : global;
        sections = List.copyOf(sections);
        userlists = userlists == null ? List.of() : List.copyOf(userlists);
    }

    /** Without userlists. */
    public Config(String source, GlobalSection global, List<Section> sections) {
        this(source, global, sections, List.of());
    }

    /** The userlist named {@code name}. */
    public Optional<Userlist> userlist(String name) {
        return userlists.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** Every listen, frontend and backend, in file order. */
    public List<ProxySection> proxies() {
        return sections.stream().filter(ProxySection.class::isInstance).map(ProxySection.class::cast).toList();
    }

    /**
     * The first proxy of that name in file order. A frontend and a backend may share a name (as in
     * HAProxy); where the side matters, {@link #frontend(String)} and {@link #backend(String)} say
     * which one is meant.
     */
    public Optional<ProxySection> proxy(String name) {
        return proxies().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The frontend named {@code name} (a listen or frontend section). */
    public Optional<ProxySection> frontend(String name) {
        return frontends().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The proxies that accept traffic: kind LISTEN or FRONTEND. */
    public List<ProxySection> frontends() {
        return proxies().stream().filter(p -> p.kind().acceptsTraffic()).toList();
    }

    /** The proxies that hold servers: kind LISTEN or BACKEND. */
    public List<ProxySection> backends() {
        return proxies().stream().filter(p -> p.kind().holdsServers()).toList();
    }

    /** The backend named {@code name} (a listen or backend section). */
    public Optional<ProxySection> backend(String name) {
        return backends().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The {@code defaults} section that precedes {@code section}, if any. */
    public Optional<DefaultsSection> defaultsOf(Section section) {
        DefaultsSection last = null;
        for (Section s : sections) {
            if (s == section || s.equals(section) && s.pos().sameLocation(section.pos())) {
                return Optional.ofNullable(last);
            }
            if (s instanceof DefaultsSection d) {
                last = d;
            }
        }
        throw new IllegalArgumentException("section is not part of this configuration");
    }

    /**
     * Where a proxy that accepts traffic sends requests that no {@code use_backend} rule took:
     * a listen section serves itself; a frontend goes to its {@code default_backend} (its own, else
     * the one of its {@code defaults} section). Empty for a backend, or when none is set.
     */
    public Optional<ProxySection> backendOf(ProxySection frontend) {
        if (frontend.kind() == ProxyKind.LISTEN) {
            return Optional.of(frontend);
        }
        if (frontend.kind() == ProxyKind.BACKEND) {
            return Optional.empty();
        }
        return defaultBackendName(frontend).flatMap(this::backend);
    }

    /** The backends a frontend may send traffic to: its {@code use_backend} targets, then its default backend. */
    public List<ProxySection> backendsUsedBy(ProxySection frontend) {
        List<ProxySection> result = new ArrayList<>();
        if (frontend.kind() == ProxyKind.BACKEND) {
            return result;
        }
        for (String name : frontend.conditionalBackends()) {
            backend(name).filter(b -> !result.contains(b)).ifPresent(result::add);
        }
        for (String name : frontend.useBackends()) {
            backend(name).filter(b -> !result.contains(b)).ifPresent(result::add);
        }
        backendOf(frontend).filter(b -> !result.contains(b)).ifPresent(result::add);
        return result;
    }

    /**
     * The statistics page of a frontend or listen section: its own {@code stats} lines (which start
     * from its defaults section's, as HAProxy copies them), else its defaults section's; null for a
     * backend or when none is configured.
     */
    public StatsPage effectiveStatsPage(ProxySection p) {
        if (p.kind() == ProxyKind.BACKEND) return null;
        if (p.statsPage() != null) return p.statsPage();
        return defaultsOf(p).map(DefaultsSection::statsPage).orElse(null);
    }

    /**
     * The settings in force for {@code p}: its own settings over those of the {@code defaults}
     * section that precedes it over {@link ProxySettings#BUILT_IN}, with derived timeouts filled
     * ({@link Timeouts#withDerivedDefaults()}) and, for a proxy holding servers, {@code fullconn}
     * computed as HAProxy does when unset: 10% of the summed maxconn of the proxies that may send
     * traffic to it, rounded up (at least 1).
     */
    public ProxySettings effective(ProxySection p) {
        ProxySettings merged = layered(p);
        if (merged.fullconn() == null && p.kind().holdsServers()) {
            long sum = 0;
            for (ProxySection f : frontends()) {
                if (backendsUsedBy(f).contains(p)) {
                    sum += layered(f).maxconn();
                }
            }
            merged = merged.withFullconn((int) Math.max(1, Math.min(Integer.MAX_VALUE, (sum + 9) / 10)));
        }
        return merged;
    }

    /**
     * The options in force for server {@code s} of {@code p}: the server line over {@code p}'s
     * {@code default-server} over the one of its defaults section. Use the {@code effective*} getters
     * of the result for HAProxy's built-in values.
     */
    public ServerOptions effectiveServer(ProxySection p, Server s) {
        return s.options().over(layered(p).defaultServer());
    }

    /**
     * Own settings over defaults over built-in values. A proxy without {@code maxconn} (nor one in
     * its defaults) takes the global {@code maxconn} as HAProxy 2.x does ("when this value is set to
     * zero, which is the default, the global maxconn value is used"), else HAProxy 1.x's 2000.
     */
    private ProxySettings layered(ProxySection p) {
        ProxySettings base = defaultsOf(p).map(DefaultsSection::settings).orElse(ProxySettings.NONE);
        ProxySettings written = p.settings().over(base);
        if (written.maxconn() == null && global.maxconn() != null) {
            written = written.withMaxconn(global.maxconn());
        }
        ProxySettings merged = written.over(ProxySettings.BUILT_IN);
        return merged.withTimeouts(merged.timeouts().withDerivedDefaults());
    }

    private Optional<String> defaultBackendName(ProxySection frontend) {
        if (frontend.defaultBackend() != null) {
            return Optional.of(frontend.defaultBackend());
        }
        return defaultsOf(frontend).map(DefaultsSection::defaultBackend);
    }
}
