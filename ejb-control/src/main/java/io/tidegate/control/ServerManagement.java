package io.tidegate.control;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.config.ConfigException;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigProblem;
import io.tidegate.config.CookieSpec;
import io.tidegate.control.audit.AccessRefused;
import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.AuditEntry;
import io.tidegate.control.audit.AuditLog;
import io.tidegate.control.audit.Role;
import io.tidegate.control.config.ConfigDiff;
import io.tidegate.control.config.ConfigStore;
import io.tidegate.control.config.ConfigVersion;
import io.tidegate.control.config.InvalidConfiguration;
import io.tidegate.control.config.PersistenceEdit;
import io.tidegate.control.config.SavedVersion;
import io.tidegate.control.config.StaleConfiguration;
import io.tidegate.control.state.SavedServerState;
import io.tidegate.control.state.ServerStateFile;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ServerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The one place that changes a server's runtime state (weight, admin state READY / DRAIN / MAINT,
 * health checks on/off) and reads live status; the MBeans and the admin pages both call it.
 * Changes apply to the running engine at once and are saved in the state file beside the
 * configuration ({@link ServerStateFile}), from where they are applied again to every engine that
 * starts: after a reload, a redeploy or a WildFly restart. A server whose configured address changed
 * (or that left the configuration) loses its saved state. A damaged state file is logged and its
 * unreadable lines ignored.
 *
 * <p>Switching health checks off is kept across reloads while deployed, not in the file.
 *
 * <p>Every change names its {@link Actor} and is checked against the actor's {@link Role} here, on
 * the server, whoever calls (admin pages, MBeans, other APIs): viewers read; operators also set
 * weights, server states and health checks; admins also edit persistence and the configuration.
 * Each change, and each refusal, is appended to the {@link AuditLog} beside the configuration
 * ({@code CONFIG.audit}) with who, when, what, before and after. Configuration saves go through
 * {@link ConfigStore} (version stamp, kept versions, atomic write) and are applied by
 * {@link TidegateRuntime#reload()}.
 */
@ApplicationScoped
public class ServerManagement {

    private static final Logger LOG = Logger.getLogger("io.tidegate.management");

    private final Object lock = new Object();
    /**
     * Serializes configuration saves. Separate from {@link #lock}: a save reloads, and the reload
     * calls {@link #attach} (which takes {@code lock}) while holding the runtime's own lock.
     */
    private final Object configLock = new Object();
    private ServerStateFile stateFile;
    /** What operators changed, by backend/server, as saved in the file. Guarded by lock. */
    private final Map<ServerKey, SavedServerState> saved = new LinkedHashMap<>();
    private final Set<ServerKey> checksDisabled = new HashSet<>();
    private boolean loaded;
    private volatile Engine engine;
    private Path configFile;
    private AuditLog audit;
    private ConfigStore store;
    private Reloader reloader;

    @Inject
    private Instance<TidegateRuntime> runtime;

    /** Applies the configuration file to the running Tidegate: empty when it runs, else the problem. */
    @FunctionalInterface
    public interface Reloader {
        Optional<String> reload();
    }

    /** For CDI: the state file, audit log and versions live beside the configuration ({@link ConfigLocation#resolve()}). */
    public ServerManagement() {
    }

    /** With an explicit state file (tests, tools); no configuration editing. */
    public ServerManagement(ServerStateFile stateFile) {
        this.stateFile = stateFile;
        String name = stateFile.path().getFileName().toString();
        this.configFile = stateFile.path().resolveSibling(name.endsWith(".state") ? name.substring(0, name.length() - 6) : name);
    }

    /** Everything beside {@code configFile}, reloading through {@code reloader} (tests, tools). */
    public ServerManagement(Path configFile, Reloader reloader) {
        this.configFile = configFile;
        this.stateFile = ServerStateFile.besideConfig(configFile);
        this.reloader = reloader;
    }

    private record ServerKey(String backend, String server) {
    }

    /**
     * Applies the saved state to an engine that starts and makes it the one managed. After a
     * seamless reload the engine carried the runtime state of servers that stay; the saved state
     * is applied again and forgotten for servers that left or moved, as at a start. Called first by
     * {@link EngineFollowers}, before anyone else sees the engine.
     */
    public void attach(Engine started) {
        synchronized (lock) {
            loadOnce();
            boolean forgotten = false;
            Map<ServerKey, ServerStatus> servers = serversByKey(started.status());
            for (var it = saved.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                SavedServerState s = entry.getValue();
                ServerStatus live = servers.get(new ServerKey(s.backend(), s.server()));
                if (live == null) {
                    LOG.infof("%s/%s is no longer configured: its saved state (%s) is forgotten", s.backend(), s.server(), describe(s));
                    it.remove();
                    forgotten = true;
                } else if (!live.address().equals(s.address())) {
                    LOG.infof("%s/%s moved from %s to %s: its saved state (%s) is reset", s.backend(), s.server(),
                            s.address(), live.address(), describe(s));
                    it.remove();
                    forgotten = true;
                } else {
                    if (s.weight() != null) {
                        try {
                            started.setServerWeight(s.backend(), s.server(), s.weight());
                        } catch (IllegalArgumentException refused) {
                            // e.g. the backend now balances with a static algorithm (static-rr, map-based hash)
                            LOG.infof("%s/%s: saved weight %d not applied: %s", s.backend(), s.server(), s.weight(),
                                    refused.getMessage());
                            s = new SavedServerState(s.backend(), s.server(), s.address(), null, s.adminState());
                            entry.setValue(s);
                            forgotten = true;
                        }
                    }
                    started.setServerAdminState(s.backend(), s.server(), s.adminState());
                    LOG.infof("%s/%s: saved state applied (%s)", s.backend(), s.server(), describe(s));
                }
            }
            checksDisabled.removeIf(k -> !servers.containsKey(k));
            for (ServerKey k : checksDisabled) started.setServerHealthChecks(k.backend(), k.server(), false);
            engine = started;
            if (forgotten) save();
        }
    }

    /** Forgets an engine about to close (if it is the managed one; a seamless reload may have replaced it already). */
    public void detach(Engine stopping) {
        synchronized (lock) {
            if (engine == stopping) engine = null;
        }
    }

    /**
     * The live status for a caller that must hold at least the viewer role (e.g. a runtime API
     * client); a refusal is audited.
     *
     * @throws AccessRefused without a Tidegate role
     */
    public Optional<EngineStatus> status(Actor actor) {
        require(actor, Role.VIEWER, "read the status", "status");
        return status();
    }

    /** The live status, empty while Tidegate serves nothing (for callers already authorized: MBeans, signed-in pages). */
    public Optional<EngineStatus> status() {
        Engine e = engine;
        return e == null ? Optional.empty() : Optional.of(e.status());
    }

    public Optional<FrontendStatus> frontend(String name) {
        return status().flatMap(s -> s.frontends().stream().filter(f -> f.name().equals(name)).findFirst());
    }

    public Optional<BackendStatus> backend(String name) {
        return status().flatMap(s -> s.backends().stream().filter(b -> b.name().equals(name)).findFirst());
    }

    public Optional<ServerStatus> server(String backend, String server) {
        return backend(backend).flatMap(b -> b.servers().stream().filter(s -> s.name().equals(server)).findFirst());
    }

    /** A server's latency histograms (queue, connect, response, total time) since its engine started; empty when unknown. */
    public Optional<io.tidegate.engine.status.ServerLatency> latency(String backend, String server) {
        Engine e = engine;
        return e == null ? Optional.empty() : e.serverLatency(backend, server);
    }

    /** A backend's latency histograms: the sum of its servers'; empty when unknown. */
    public Optional<io.tidegate.engine.status.ServerLatency> backendLatency(String backend) {
        return backend(backend).flatMap(b -> b.servers().stream().map(s -> latency(backend, s.name()))
                .flatMap(Optional::stream).reduce(io.tidegate.engine.status.ServerLatency::plus));
    }

    /**
     * Sets a server's weight (0..256) now and for every later engine.
     *
     * @throws IllegalArgumentException for an unknown server or a weight outside 0..256
     * @throws IllegalStateException    when Tidegate serves nothing
     */
    public void setWeight(Actor actor, String backend, String server, int weight) {
        String target = backend + "/" + server;
        require(actor, Role.OPERATOR, "set weight", target);
        synchronized (lock) {
            String before = server(backend, server).map(s -> Integer.toString(s.weight())).orElse("");
            try {
                Engine e = requireEngine();
                e.setServerWeight(backend, server, weight);
                remember(e, backend, server, weight, null);
            } catch (RuntimeException ex) {
                record(actor, "set weight", target, before, Integer.toString(weight), AuditEntry.Outcome.FAILED, ex.getMessage());
                throw ex;
            }
            record(actor, "set weight", target, before, Integer.toString(weight), AuditEntry.Outcome.DONE, "");
            LOG.infof("%s/%s weight set to %d by %s", backend, server, weight, actor.name());
        }
    }

    /**
     * Sets a server's admin state now and for every later engine; exceptions as {@link #setWeight}.
     *
     * @throws AccessRefused without the operator role
     */
    public void setAdminState(Actor actor, String backend, String server, AdminState state) {
        String target = backend + "/" + server;
        require(actor, Role.OPERATOR, "set state", target);
        synchronized (lock) {
            String before = server(backend, server).map(s -> s.adminState().name()).orElse("");
            try {
                Engine e = requireEngine();
                e.setServerAdminState(backend, server, state);
                remember(e, backend, server, null, state);
            } catch (RuntimeException ex) {
                record(actor, "set state", target, before, state.name(), AuditEntry.Outcome.FAILED, ex.getMessage());
                throw ex;
            }
            record(actor, "set state", target, before, state.name(), AuditEntry.Outcome.DONE, "");
            LOG.infof("%s/%s is now %s (by %s)", backend, server, state, actor.name());
        }
    }

    /** Switches a server's health checks on or off (off: it counts as up); kept across reloads. Operator role. */
    public void setHealthChecks(Actor actor, String backend, String server, boolean enabled) {
        String target = backend + "/" + server;
        String after = enabled ? "checks on" : "checks off";
        require(actor, Role.OPERATOR, "switch health checks", target);
        synchronized (lock) {
            String before = server(backend, server).map(s -> s.healthChecksEnabled() ? "checks on" : "checks off").orElse("");
            try {
                requireEngine().setServerHealthChecks(backend, server, enabled);
            } catch (RuntimeException ex) {
                record(actor, "switch health checks", target, before, after, AuditEntry.Outcome.FAILED, ex.getMessage());
                throw ex;
            }
            ServerKey k = new ServerKey(backend, server);
            if (enabled) checksDisabled.remove(k);
            else checksDisabled.add(k);
            record(actor, "switch health checks", target, before, after, AuditEntry.Outcome.DONE, "");
            LOG.infof("%s/%s health checks %s by %s", backend, server, enabled ? "enabled" : "disabled", actor.name());
        }
    }

    /**
     * Sets a server's health verdict now (HAProxy's {@code set server B/S health up|stopping|down})
     * until its next health check says otherwise; {@code STOPPING} is HAProxy's NOLB (up, no new
     * load-balanced traffic, cookie holders still served). Not saved (health is not operator
     * state). Operator role; audited. Exceptions as {@link #setWeight}.
     */
    public void setHealth(Actor actor, String backend, String server, io.tidegate.engine.ForcedHealth health) {
        String target = backend + "/" + server;
        String after = health.statusWord();
        require(actor, Role.OPERATOR, "force health", target);
        synchronized (lock) {
            String before = server(backend, server).map(s -> String.valueOf(s.health())).orElse("");
            try {
                requireEngine().forceServerHealth(backend, server, health);
            } catch (RuntimeException ex) {
                record(actor, "force health", target, before, after, AuditEntry.Outcome.FAILED, ex.getMessage());
                throw ex;
            }
            record(actor, "force health", target, before, after, AuditEntry.Outcome.DONE, "");
            LOG.infof("%s/%s health forced %s by %s", backend, server, after, actor.name());
        }
    }

    /** The client sessions open now (the runtime API's {@code show sess}); empty while nothing is served. */
    public List<io.tidegate.engine.SessionView> sessions() {
        Engine e = engine;
        return e == null ? List.of() : new io.tidegate.engine.SessionTable(e).list();
    }

    /** The last invalid request of each frontend and response of each backend (runtime API {@code show errors}). */
    public List<io.tidegate.engine.ErrorCapture> errorCaptures() {
        Engine e = engine;
        return e == null ? List.of() : io.tidegate.engine.ErrorCaptures.of(e);
    }

    /**
     * Closes one client session at once (the runtime API's {@code shutdown session}). Operator role;
     * audited. False when no such session is open.
     */
    public boolean shutdownSession(Actor actor, long id) {
        String target = "session 0x" + Long.toHexString(id);
        require(actor, Role.OPERATOR, "shutdown session", target);
        boolean closed = new io.tidegate.engine.SessionTable(requireEngine()).shutdown(id);
        record(actor, "shutdown session", target, closed ? "open" : "", closed ? "closed" : "",
                closed ? AuditEntry.Outcome.DONE : AuditEntry.Outcome.FAILED, closed ? "" : "no such session");
        if (closed) LOG.infof("%s closed by %s", target, actor.name());
        return closed;
    }

    /**
     * Closes at once every client session whose exchange in progress is on {@code backend/server}
     * (the runtime API's {@code shutdown sessions server}). Operator role; audited with the count.
     *
     * @throws IllegalArgumentException for an unknown server
     */
    public int shutdownSessions(Actor actor, String backend, String server) {
        String target = backend + "/" + server;
        require(actor, Role.OPERATOR, "shutdown sessions", target);
        if (server(backend, server).isEmpty()) {
            record(actor, "shutdown sessions", target, "", "", AuditEntry.Outcome.FAILED, "no such server");
            throw new IllegalArgumentException("No such server.");
        }
        int n = new io.tidegate.engine.SessionTable(requireEngine()).shutdownServer(backend, server);
        record(actor, "shutdown sessions", target, "", n + " closed", AuditEntry.Outcome.DONE, "");
        LOG.infof("%s: %d sessions closed by %s", target, n, actor.name());
        return n;
    }

    /** The stick tables now (the runtime API's {@code show table}), the entries of {@code withRowsOf} only. */
    public List<io.tidegate.engine.StickTableView> stickTables(String withRowsOf) {
        Engine e = engine;
        return e == null ? List.of() : e.stickTables(withRowsOf);
    }

    /**
     * Removes the entries of stick table {@code table} that no connection tracks, or only the entry of
     * {@code key} (the runtime API's {@code clear table}). Operator role, as HAProxy's; audited with the count.
     *
     * @throws IllegalArgumentException for an unknown table
     */
    public int clearStickTable(Actor actor, String table, String key) {
        String target = "table " + table + (key == null ? "" : " key " + key);
        require(actor, Role.OPERATOR, "clear table", target);
        int n = requireEngine().clearStickTable(table, key);
        if (n < 0) {
            record(actor, "clear table", target, "", "", AuditEntry.Outcome.FAILED, "no such table");
            throw new IllegalArgumentException("No such table");
        }
        record(actor, "clear table", target, "", n + " removed", AuditEntry.Outcome.DONE, "");
        LOG.infof("%s: %d entries removed by %s", target, n, actor.name());
        return n;
    }

    // ---- configuration: persistence and the whole file (admin role) --------------------------------

    /** The configuration file's text and version stamp. */
    public ConfigVersion configuration() {
        return store().current();
    }

    /** Checks a configuration text without applying it: its errors and warnings with line and column. */
    public List<ConfigProblem> checkConfiguration(String text) {
        try {
            return ConfigLoader.load(configFile().toString(), text).warnings();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** The unified diff from the file as it is now to {@code text}. */
    public List<String> diffAgainstCurrent(String text) {
        String name = configFile().getFileName().toString();
        return ConfigDiff.unified(name + " (running)", configuration().text(), name + " (edited)", text);
    }

    /**
     * The configuration text with one backend's persistence changed (nothing saved): see {@link PersistenceEdit}.
     *
     * @param cookie        null for no persistence
     * @param serverCookies cookie value by server ("" = none)
     */
    public String withPersistence(String text, String backend, CookieSpec cookie, Map<String, String> serverCookies) {
        return PersistenceEdit.apply(configFile().toString(), text, backend, cookie, serverCookies);
    }

    /**
     * Saves a new configuration text and applies it by reload. Admin role. The text must pass the
     * check (else {@link InvalidConfiguration}, nothing written) and the file must still have
     * {@code expectedStamp} (else {@link StaleConfiguration}). The replaced text is kept as a
     * version. If the new configuration then fails to start, the previous file is put back.
     *
     * @param what what the change is, for the audit log ("edit configuration", "persistence of farm")
     * @return the new version stamp
     */
    public String saveConfiguration(Actor actor, String what, String text, String expectedStamp) {
        String target = configFile().getFileName().toString();
        require(actor, Role.ADMIN, what, target);
        synchronized (configLock) {
            return save(actor, what, target, text, expectedStamp);
        }
    }

    /** Saves {@link #withPersistence} of the current file as {@link #saveConfiguration} does. Admin role. */
    public String savePersistence(Actor actor, String backend, CookieSpec cookie, Map<String, String> serverCookies,
                                  String expectedStamp) {
        String what = "change persistence of " + backend;
        require(actor, Role.ADMIN, what, configFile().getFileName().toString());
        synchronized (configLock) {
            ConfigVersion now = configuration();
            if (!now.stamp().equals(expectedStamp)) {
                StaleConfiguration stale = new StaleConfiguration(expectedStamp, now.stamp());
                record(actor, what, configFile().getFileName().toString(), expectedStamp, "", AuditEntry.Outcome.FAILED,
                        stale.getMessage());
                throw stale;
            }
            String text = withPersistence(now.text(), backend, cookie, serverCookies);
            return save(actor, what, configFile().getFileName().toString(), text, expectedStamp);
        }
    }

    /** Puts a kept version back as the configuration and reloads (undo). Admin role; audited. */
    public String restoreVersion(Actor actor, String versionId, String expectedStamp) {
        String what = "restore version " + versionId;
        String target = configFile().getFileName().toString();
        require(actor, Role.ADMIN, what, target);
        synchronized (configLock) {
            SavedVersion v = store().version(versionId)
                    .orElseThrow(() -> new IllegalArgumentException("no kept version " + versionId));
            return save(actor, what, target, store().text(v), expectedStamp);
        }
    }

    /** The kept configuration versions, newest first. */
    public List<SavedVersion> versions() {
        return store().versions();
    }

    /** A kept version's text. */
    public String versionText(String versionId) {
        return store().version(versionId).map(store()::text)
                .orElseThrow(() -> new IllegalArgumentException("no kept version " + versionId));
    }

    /** The configuration file this service edits. */
    public Path configPath() {
        return configFile();
    }

    /** Where the audit log is kept. */
    public Path auditLogPath() {
        return audit().path();
    }

    /** The audit log, newest first. */
    public List<AuditEntry> history() {
        return audit().entries();
    }

    /**
     * Reloads the configuration file as it is (JMX {@code reload}); operator role, audited.
     *
     * @return empty when the file runs, else the problem
     */
    public Optional<String> reload(Actor actor) {
        String target = configFile().getFileName().toString();
        require(actor, Role.OPERATOR, "reload", target);
        Optional<String> problem = reloader().reload();
        record(actor, "reload", target, "", configuration().stamp(),
                problem.isPresent() ? AuditEntry.Outcome.FAILED : AuditEntry.Outcome.DONE, problem.orElse(""));
        return problem;
    }

    /**
     * Audits and refuses a request the caller's role does not allow, when the refusal happens
     * before this service is asked (e.g. a page's own check). Always throws.
     */
    public void refuse(Actor actor, Role needed, String action, String target) {
        AccessRefused refused = new AccessRefused(actor, needed, action);
        record(actor, action, target, "", "", AuditEntry.Outcome.REFUSED, refused.getMessage());
        LOG.warnf("Refused: %s", refused.getMessage());
        throw refused;
    }

    private String save(Actor actor, String what, String target, String text, String expectedStamp) {
        List<ConfigProblem> problems = checkConfiguration(text);
        if (problems.stream().anyMatch(ConfigProblem::isError)) {
            InvalidConfiguration invalid = new InvalidConfiguration(problems);
            record(actor, what, target, expectedStamp, ConfigStore.stamp(text), AuditEntry.Outcome.FAILED, invalid.getMessage());
            throw invalid;
        }
        SavedVersion previous;
        try {
            previous = store().write(text, expectedStamp);
        } catch (StaleConfiguration stale) {
            record(actor, what, target, expectedStamp, ConfigStore.stamp(text), AuditEntry.Outcome.FAILED, stale.getMessage());
            throw stale;
        }
        String stamp = ConfigStore.stamp(text);
        Optional<String> problem = reloader().reload();
        if (problem.isPresent()) {
            store().write(store().text(previous), stamp);
            reloader().reload();
            record(actor, what, target, "version " + previous.id(), "stamp " + stamp, AuditEntry.Outcome.FAILED,
                    "the new configuration did not start, the previous file is back: " + problem.get());
            throw new IllegalStateException("The new configuration did not start (" + problem.get()
                    + "); the previous file is back in place and running.");
        }
        String after = store().versions().get(0).id();
        record(actor, what, target, "version " + previous.id(), "version " + after, AuditEntry.Outcome.DONE, "");
        LOG.infof("%s: %s saved %s (was %s) and reloaded", target, actor.name(), after, previous.id());
        return stamp;
    }

    private void require(Actor actor, Role needed, String action, String target) {
        if (!actor.may(needed)) {
            refuse(actor, needed, action, target);
        }
    }

    private void record(Actor actor, String action, String target, String before, String after,
                        AuditEntry.Outcome outcome, String detail) {
        try {
            audit().append(new AuditEntry(Instant.now(), actor.name(), action, target, before, after, outcome, detail));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot write the audit log %s", audit().path());
        }
    }

    private synchronized Path configFile() {
        if (configFile == null) configFile = ConfigLocation.resolve();
        return configFile;
    }

    private synchronized AuditLog audit() {
        if (audit == null) audit = AuditLog.besideConfig(configFile());
        return audit;
    }

    private synchronized ConfigStore store() {
        if (store == null) store = new ConfigStore(configFile());
        return store;
    }

    private synchronized Reloader reloader() {
        if (reloader == null) {
            if (runtime == null || runtime.isUnsatisfied()) {
                throw new IllegalStateException("no runtime to reload the configuration");
            }
            TidegateRuntime r = runtime.get();
            reloader = r::reload;
        }
        return reloader;
    }

    /** The state file in use (beside the configuration unless given). */
    public ServerStateFile stateFile() {
        synchronized (lock) {
            if (stateFile == null) stateFile = ServerStateFile.besideConfig(configFile());
            return stateFile;
        }
    }

    private Engine requireEngine() {
        Engine e = engine;
        if (e == null) throw new IllegalStateException("Tidegate is not serving a configuration");
        return e;
    }

    /** Records a change (weight or state, the other kept) under the server's current address, and saves. */
    private void remember(Engine e, String backend, String server, Integer weight, AdminState state) {
        ServerStatus live = e.status().backends().stream().filter(b -> b.name().equals(backend))
                .flatMap(b -> b.servers().stream()).filter(s -> s.name().equals(server)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server " + backend + "/" + server));
        ServerKey k = new ServerKey(backend, server);
        SavedServerState before = saved.get(k);
        Integer w = weight != null ? weight : before == null ? null : before.weight();
        AdminState a = state != null ? state : before == null ? AdminState.READY : before.adminState();
        saved.put(k, new SavedServerState(backend, server, live.address(), w, a));
        save();
    }

    private void loadOnce() {
        if (loaded) return;
        loaded = true;
        ServerStateFile file = stateFile();
        ServerStateFile.Loaded content = file.load();
        content.problems().forEach(p -> LOG.warnf("Runtime state file: %s", p));
        for (SavedServerState s : content.states()) saved.put(new ServerKey(s.backend(), s.server()), s);
        if (!content.states().isEmpty()) LOG.infof("Read the runtime state of %d servers from %s", content.states().size(), file.path());
    }

    private void save() {
        ServerStateFile file = stateFile();
        try {
            file.save(saved.values());
        } catch (IOException e) {
            LOG.errorf(e, "Cannot save the runtime state to %s: the change applies now but not after a restart", file.path());
        }
    }

    private static Map<ServerKey, ServerStatus> serversByKey(EngineStatus status) {
        Map<ServerKey, ServerStatus> m = new LinkedHashMap<>();
        for (BackendStatus b : status.backends()) for (ServerStatus s : b.servers()) m.put(new ServerKey(b.name(), s.name()), s);
        return m;
    }

    private static String describe(SavedServerState s) {
        return (s.weight() == null ? "configured weight" : "weight " + s.weight()) + ", " + s.adminState();
    }
}
