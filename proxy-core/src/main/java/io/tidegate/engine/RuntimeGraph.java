package io.tidegate.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runtime objects of one configuration: frontends with their backends and servers. A reload
 * builds a new graph beside the running one; servers that stay (same backend, name and address)
 * take over their predecessors' state and counters, frontends that stay their connection limits.
 * Exchanges keep the graph they started on until they end.
 */
final class RuntimeGraph {
    private final io.tidegate.config.Config config;
    private final EnginePlan plan;
    private final List<RuntimeFrontend> frontends;
    private final List<RuntimeBackend> backends;
    private final Map<String, RuntimeFrontend> frontendsByName;
    private final Map<String, RuntimeBackend> backendsByName;
    private final List<StickTable> stickTables;
    /** The stick tables by section: of backend and listen sections, and of frontends (a listen section's under both). */
    private final Map<String, StickTable> backendTables;
    private final Map<String, StickTable> frontendTables;
    /** What a reload did with the stick tables of the replaced graph, for the reload's log line. */
    private final List<String> tableNotes;

    /**
     * @param previous the graph this one replaces (a reload), or null
     * @param services what {@code http-request use-service NAME} may name
     * @throws EngineException a rule names a backend or service that does not exist
     */
    RuntimeGraph(io.tidegate.config.Config config, EnginePlan plan, int ioThreads, RuntimeGraph previous,
                 Map<String, LocalService> services) throws EngineException {
        this(config, plan, ioThreads, previous, services, StickTable.MONOTONIC_MILLIS);
    }

    /** As above; {@code clock} is the time of the stick tables (ms, monotonic), a fake one in tests. */
    RuntimeGraph(io.tidegate.config.Config config, EnginePlan plan, int ioThreads, RuntimeGraph previous,
                 Map<String, LocalService> services, java.util.function.LongSupplier clock) throws EngineException {
        this.config = config;
        this.plan = plan;
        // one checker per userlist, shared by the proxies whose rules name it (one cache of verified passwords)
        Map<String, UserlistAuth> userlists = new LinkedHashMap<>();
        if (config != null) {
            for (io.tidegate.config.Userlist u : config.userlists()) userlists.put(u.name(), new UserlistAuth(u));
        }
        // the stick tables of backend (and listen) sections and of frontends; a listen section has one
        Map<String, StickTable> backendTables = new LinkedHashMap<>();
        Map<String, StickTable> frontendTables = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (EnginePlan.Backend b : plan.backends()) {
            StickTable t = StickTable.of(b.name(), plan.backendRulesOf(b.name()).statements(), clock);
            if (t != null) backendTables.put(b.name(), carriedOver(t, previous == null ? null : previous.backendTables.get(b.name()), notes));
        }
        for (EnginePlan.Frontend f : plan.frontends()) {
            StickTable t = f.listen() ? backendTables.get(f.name())
                    : StickTable.of(f.name(), plan.frontendRulesOf(f.name()).statements(), clock);
            if (t != null && !f.listen()) t = carriedOver(t, previous == null ? null : previous.frontendTables.get(f.name()), notes);
            if (t != null) frontendTables.put(f.name(), t);
        }
        this.backendTables = Map.copyOf(backendTables);
        this.frontendTables = Map.copyOf(frontendTables);
        this.tableNotes = List.copyOf(notes);
        List<StickTable> all = new ArrayList<>();
        for (EnginePlan.Frontend f : plan.frontends()) if (!f.listen() && frontendTables.containsKey(f.name())) all.add(frontendTables.get(f.name()));
        all.addAll(backendTables.values());
        this.stickTables = List.copyOf(all);
        // `table NAME` names a backend's table first (the usual holder), else a frontend's
        java.util.function.Function<String, StickTable> tableByName = n -> backendTables.getOrDefault(n, frontendTables.get(n));
        Map<String, RuntimeBackend> bs = new LinkedHashMap<>();
        for (EnginePlan.Backend b : plan.backends()) {
            EnginePlan.Rules r = plan.backendRulesOf(b.name());
            bs.put(b.name(), new RuntimeBackend(b, ioThreads, r.balance() == null ? null : r,
                    previous == null ? null : previous.backend(b.name())));
        }
        // the rules of backend sections (run after use_backend chose them); a listen section's own run once
        Map<String, ProxyRules> backendRules = new LinkedHashMap<>();
        for (EnginePlan.Backend b : plan.backends()) {
            RuleScope scope = RuleScope.of(userlists::get, tableByName, backendTables.get(b.name()));
            ProxyRules r = ProxyRules.compile(b.name(), plan.backendRulesOf(b.name()), bs::get, bs.get(b.name()), services,
                    scope);
            if (r != null) backendRules.put(b.name(), r);
            bs.get(b.name()).stickRules(StickRules.compile(plan.backendRulesOf(b.name()).statements(),
                    backendTables.get(b.name()), bs::get, bs.get(b.name()), scope));
            bs.get(b.name()).serverTcpKeepAlive = plan.backendRulesOf(b.name()).flags().serverTcpKeepAlive();
        }
        Map<String, RuntimeFrontend> fs = new LinkedHashMap<>();
        for (EnginePlan.Frontend f : plan.frontends()) {
            RuntimeBackend own = f.listen() ? bs.get(f.name()) : null;     // a frontend may share its name with a backend
            RuntimeBackend def = f.backend() == null ? null : bs.get(f.backend());
            ProxyRules rules = own != null ? backendRules.get(f.name())
                    : ProxyRules.compile(f.name(), plan.frontendRulesOf(f.name()), bs::get, null, services,
                    RuleScope.of(userlists::get, tableByName, frontendTables.get(f.name())));
            RuntimeFrontend home = new RuntimeFrontend(f, def, previous == null ? null : previous.frontend(f.name()), null,
                    rules, def == null || def == own ? null : backendRules.get(def.plan().name()));
            boolean frontendWaits = buffersRequests(plan.frontendRulesOf(f.name()));
            home.waitForBody(frontendWaits, def != null && buffersRequests(plan.backendRulesOf(def.plan().name())));
            io.tidegate.config.Compression frontendCompression = plan.frontendRulesOf(f.name()).compression();
            home.compression(CompressionPolicy.of(frontendCompression, def == null ? io.tidegate.config.Compression.NONE
                    : plan.backendRulesOf(def.plan().name()).compression()));
            if (rules != null) {
                RuntimeFrontend[] routes = new RuntimeFrontend[rules.switchingBackends.length];
                for (int i = 0; i < routes.length; i++) {
                    if (rules.switchingBackends[i] == null) continue;       // dynamic name: routesByName
                    RuntimeBackend to = bs.get(rules.switchingBackends[i]);
                    if (to == null) throw new EngineException("proxy " + f.name() + ": use_backend "
                            + rules.switchingBackends[i] + ": no such backend");
                    routes[i] = new RuntimeFrontend(home, to, to == own ? null : backendRules.get(to.plan().name()));
                    routes[i].waitForBody(frontendWaits, buffersRequests(plan.backendRulesOf(to.plan().name())));
                    routes[i].compression(CompressionPolicy.of(frontendCompression, plan.backendRulesOf(to.plan().name()).compression()));
                }
                home.routes(routes);
                if (rules.hasDynamicNames()) {
                    Map<String, RuntimeFrontend> byBackend = new LinkedHashMap<>();
                    for (RuntimeBackend to : bs.values()) {
                        RuntimeFrontend route = new RuntimeFrontend(home, to,
                                to == own ? null : backendRules.get(to.plan().name()));
                        route.waitForBody(frontendWaits, buffersRequests(plan.backendRulesOf(to.plan().name())));
                        route.compression(CompressionPolicy.of(frontendCompression, plan.backendRulesOf(to.plan().name()).compression()));
                        byBackend.put(to.plan().name(), route);
                    }
                    home.routesByName(byBackend);
                }
            }
            home.clientTcpKeepAlive = plan.frontendRulesOf(f.name()).flags().clientTcpKeepAlive();
            fs.put(f.name(), home);
        }
        this.backendsByName = Collections.unmodifiableMap(bs);
        this.frontendsByName = Collections.unmodifiableMap(fs);
        this.backends = List.copyOf(bs.values());
        this.frontends = List.copyOf(fs.values());
    }

    /**
     * The table a reload puts in place of {@code previous} (the replaced graph's table of the same
     * section, or null): {@code previous} itself when the definition did not change (old and new
     * configuration then count into one table); else {@code fresh} with the entries of
     * {@code previous} when the keys are compatible ({@link StickTable#takeOver}); else {@code fresh},
     * empty, with a note saying why.
     */
    private static StickTable carriedOver(StickTable fresh, StickTable previous, List<String> notes) {
        if (previous == null) return fresh;
        String why = fresh.cannotTakeOver(previous);
        if (why != null) {
            notes.add("stick-table " + fresh.name + " starts empty (" + why + "; " + previous.used() + " entries not kept)");
            return fresh;
        }
        if (fresh.sameDefinitionAs(previous)) return previous;
        int dropped = fresh.takeOver(previous);
        notes.add("stick-table " + fresh.name + " redefined: " + fresh.used() + " entries kept"
                + (dropped > 0 ? ", " + dropped + " least recently used dropped for its size " + fresh.size : ""));
        return fresh;
    }

    /** What the reload that built this graph did with the stick tables it replaced (one note per changed table). */
    List<String> tableNotes() {
        return tableNotes;
    }

    /** The stick tables of this configuration: frontends' then backends' (listen sections among them). */
    List<StickTable> stickTables() {
        return stickTables;
    }

    /** The stick table named {@code name} (a backend's first), or null. */
    StickTable stickTable(String name) {
        for (StickTable t : stickTables) if (t.name.equals(name) && backendNamed(name)) return t;
        for (StickTable t : stickTables) if (t.name.equals(name)) return t;
        return null;
    }

    private boolean backendNamed(String name) {
        return backendsByName.containsKey(name);
    }

    /** option http-buffer-request in force in the proxy of {@code rules}. */
    private static boolean buffersRequests(EnginePlan.Rules rules) {
        return rules.flags().isOn(io.tidegate.config.ProxyFlag.HTTP_BUFFER_REQUEST);
    }

    io.tidegate.config.Config config() { return config; }
    EnginePlan plan() { return plan; }
    List<RuntimeFrontend> frontends() { return frontends; }
    List<RuntimeBackend> backends() { return backends; }

    RuntimeFrontend frontend(String name) {
        return frontendsByName.get(name);
    }

    RuntimeBackend backend(String name) {
        return backendsByName.get(name);
    }

    /** Client sessions whose exchanges still run on this graph. */
    long sessions() {
        long n = 0;
        for (RuntimeFrontend f : frontends) n += f.currentSessions();
        return n;
    }

    /** The frontends, compared by identity (what a session checks to know it is on this graph). */
    Set<RuntimeFrontend> frontendSet() {
        Set<RuntimeFrontend> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(frontends);
        return s;
    }

    /** This graph is gone: its servers stop serving their successors' queues. */
    void untwin() {
        for (RuntimeBackend b : backends) for (RuntimeServer s : b.servers()) s.untwin();
    }

    /**
     * What changed from {@code before} to this graph, for the reload's log line: proxies and
     * servers added, removed and changed (a server changed when its line's effect did).
     */
    String changesSince(RuntimeGraph before) {
        List<String> parts = new ArrayList<>();
        diff(parts, "frontends", names(before.plan.frontends()), names(plan.frontends()),
                n -> !before.frontend(n).plan().equals(frontend(n).plan()));
        diff(parts, "backends", namesB(before.plan.backends()), namesB(plan.backends()),
                n -> !sameBackendSettings(before.backend(n).plan(), backend(n).plan()));
        List<String> sAdded = new ArrayList<>();
        List<String> sRemoved = new ArrayList<>();
        List<String> sChanged = new ArrayList<>();
        for (RuntimeBackend b : backends) {
            RuntimeBackend old = before.backend(b.plan().name());
            for (EnginePlan.Server s : b.plan().servers()) {
                EnginePlan.Server o = old == null ? null : find(old.plan(), s.name());
                if (o == null) sAdded.add(b.plan().name() + "/" + s.name());
                else if (!o.equals(s)) sChanged.add(b.plan().name() + "/" + s.name());
            }
        }
        for (RuntimeBackend old : before.backends) {
            RuntimeBackend b = backend(old.plan().name());
            for (EnginePlan.Server s : old.plan().servers()) {
                if (b == null || find(b.plan(), s.name()) == null) sRemoved.add(old.plan().name() + "/" + s.name());
            }
        }
        list(parts, "servers added", sAdded);
        list(parts, "servers removed", sRemoved);
        list(parts, "servers changed", sChanged);
        return parts.isEmpty() ? "nothing changed" : String.join("; ", parts);
    }

    private static boolean sameBackendSettings(EnginePlan.Backend a, EnginePlan.Backend b) {
        return a.withServers(List.of()).equals(b.withServers(List.of()));
    }

    private static EnginePlan.Server find(EnginePlan.Backend b, String name) {
        for (EnginePlan.Server s : b.servers()) if (s.name().equals(name)) return s;
        return null;
    }

    private static List<String> names(List<EnginePlan.Frontend> l) {
        List<String> n = new ArrayList<>();
        for (EnginePlan.Frontend f : l) n.add(f.name());
        return n;
    }

    private static List<String> namesB(List<EnginePlan.Backend> l) {
        List<String> n = new ArrayList<>();
        for (EnginePlan.Backend b : l) n.add(b.name());
        return n;
    }

    private static void diff(List<String> parts, String what, List<String> before, List<String> after,
                             java.util.function.Predicate<String> changed) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (String n : after) {
            if (!before.contains(n)) added.add(n);
            else if (changed.test(n)) modified.add(n);
        }
        for (String n : before) if (!after.contains(n)) removed.add(n);
        list(parts, what + " added", added);
        list(parts, what + " removed", removed);
        list(parts, what + " changed", modified);
    }

    private static void list(List<String> parts, String label, List<String> names) {
        if (!names.isEmpty()) parts.add(label + " " + String.join(",", names));
    }
}
