package io.tidegate.control;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.control.event.EngineReloaded;
import io.tidegate.control.event.EngineStarted;
import io.tidegate.control.event.EngineStopping;
import io.tidegate.control.state.SavedServerState;
import io.tidegate.control.state.ServerStateFile;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ServerStatus;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 */
@ApplicationScoped
public class ServerManagement {

    /** Observer priority: saved state is applied before other observers (MBeans, timers) see the engine. */
    public static final int APPLY_STATE_PRIORITY = jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE;

    private static final Logger LOG = Logger.getLogger("io.tidegate.management");

    private final Object lock = new Object();
    private ServerStateFile stateFile;
    /** What operators changed, by backend/server, as saved in the file. Guarded by lock. */
    private final Map<ServerKey, SavedServerState> saved = new LinkedHashMap<>();
    private final Set<ServerKey> checksDisabled = new HashSet<>();
    private boolean loaded;
    private volatile Engine engine;

    /** For CDI: the state file lives beside the configuration ({@link ConfigLocation#resolve()}). */
    public ServerManagement() {
    }

    /** With an explicit state file (tests, tools). */
    public ServerManagement(ServerStateFile stateFile) {
        this.stateFile = stateFile;
    }

    private record ServerKey(String backend, String server) {
    }

    /** Applies the saved state to a new engine and makes it the one managed. */
    public void onEngineStarted(@Observes @Priority(APPLY_STATE_PRIORITY) EngineStarted event) {
        attach(event.engine());
    }

    /**
     * A seamless reload: the engine carried the runtime state of servers that stay; the saved state
     * is applied again and forgotten for servers that left or moved, as at a start.
     */
    public void onEngineReloaded(@Observes @Priority(APPLY_STATE_PRIORITY) EngineReloaded event) {
        attach(event.engine());
    }

    /** Forgets an engine about to close (if it is the managed one; a seamless reload may have replaced it already). */
    public void onEngineStopping(@Observes EngineStopping event) {
        detach(event.engine());
    }

    /** See {@link #onEngineStarted}. */
    public void attach(Engine started) {
        synchronized (lock) {
            loadOnce();
            boolean forgotten = false;
            Map<ServerKey, ServerStatus> servers = serversByKey(started.status());
            for (var it = saved.values().iterator(); it.hasNext(); ) {
                SavedServerState s = it.next();
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
                    if (s.weight() != null) started.setServerWeight(s.backend(), s.server(), s.weight());
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

    /** See {@link #onEngineStopping}. */
    public void detach(Engine stopping) {
        synchronized (lock) {
            if (engine == stopping) engine = null;
        }
    }

    /** The live status, empty while Tidegate serves nothing. */
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

    /**
     * Sets a server's weight (0..256) now and for every later engine.
     *
     * @throws IllegalArgumentException for an unknown server or a weight outside 0..256
     * @throws IllegalStateException    when Tidegate serves nothing
     */
    public void setWeight(String backend, String server, int weight) {
        synchronized (lock) {
            Engine e = requireEngine();
            e.setServerWeight(backend, server, weight);
            remember(e, backend, server, weight, null);
            LOG.infof("%s/%s weight set to %d", backend, server, weight);
        }
    }

    /** Sets a server's admin state now and for every later engine; exceptions as {@link #setWeight}. */
    public void setAdminState(String backend, String server, AdminState state) {
        synchronized (lock) {
            Engine e = requireEngine();
            e.setServerAdminState(backend, server, state);
            remember(e, backend, server, null, state);
            LOG.infof("%s/%s is now %s", backend, server, state);
        }
    }

    /** Switches a server's health checks on or off (off: it counts as up); kept across reloads. */
    public void setHealthChecks(String backend, String server, boolean enabled) {
        synchronized (lock) {
            requireEngine().setServerHealthChecks(backend, server, enabled);
            ServerKey k = new ServerKey(backend, server);
            if (enabled) checksDisabled.remove(k);
            else checksDisabled.add(k);
            LOG.infof("%s/%s health checks %s", backend, server, enabled ? "enabled" : "disabled");
        }
    }

    /** The state file in use (beside the configuration unless given). */
    public ServerStateFile stateFile() {
        synchronized (lock) {
            if (stateFile == null) stateFile = ServerStateFile.besideConfig(ConfigLocation.resolve());
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
