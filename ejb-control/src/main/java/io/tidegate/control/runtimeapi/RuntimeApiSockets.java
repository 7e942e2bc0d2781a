package io.tidegate.control.runtimeapi;

import io.tidegate.cli.CliCommands;
import io.tidegate.cli.CliSocketServer;
import io.tidegate.config.Config;
import io.tidegate.config.StatsSettings;
import io.tidegate.config.StatsSocket;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.TidegateRuntime;
import io.tidegate.stats.StatsSnapshot;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Opens the {@code stats socket}s of the running configuration (HAProxy's runtime API) and keeps
 * them across reloads: a socket whose line did not change stays open (its clients keep their
 * connection), a new one opens, a removed one closes. All close at undeploy. Commands run on the
 * sockets' own threads and reach Tidegate through {@link ManagementOperations}.
 */
@ApplicationScoped
public class RuntimeApiSockets {
    private static final Logger LOG = Logger.getLogger("io.tidegate.cli");

    @Inject
    ServerManagement management;
    @Inject
    Instance<TidegateRuntime> runtime;
    @Inject
    OperationsSnapshots snapshots;

    /** One open socket with the settings it was opened with. */
    private record Key(StatsSocket socket, long timeoutMs, int maxconn) {
    }

    private final Object lock = new Object();
    private final Map<Key, CliSocketServer> open = new LinkedHashMap<>();
    /**
     * Opens the sockets of a configuration now served, at start and after a seamless reload: sockets
     * that stay are kept open, added ones open, removed ones close.
     */
    public void follow(Config config) {
        reconcile(config == null ? StatsSettings.NONE : config.global().stats());
    }

    @PreDestroy
    void closeAll() {
        synchronized (lock) {
            open.values().forEach(CliSocketServer::close);
            open.clear();
        }
    }

    /** The sockets open now (for tests and the status page). */
    public java.util.List<StatsSocket> sockets() {
        synchronized (lock) {
            return open.keySet().stream().map(Key::socket).toList();
        }
    }

    private void reconcile(StatsSettings settings) {
        synchronized (lock) {
            Map<Key, Boolean> wanted = new HashMap<>();
            for (StatsSocket s : settings.sockets()) wanted.put(new Key(s, settings.effectiveTimeoutMs(), settings.effectiveMaxconn()), true);
            for (Iterator<Map.Entry<Key, CliSocketServer>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, CliSocketServer> e = it.next();
                if (!wanted.containsKey(e.getKey())) {
                    e.getValue().close();
                    it.remove();
                }
            }
            for (Key k : wanted.keySet()) {
                if (open.containsKey(k)) continue;
                StatsSocket s = k.socket();
                ManagementOperations ops = new ManagementOperations(management, this::snapshot,
                        ManagementOperations.actorFor(s));
                try {
                    open.put(k, CliSocketServer.open(s, new CliCommands(ops), k.timeoutMs(), k.maxconn()));
                } catch (IOException | RuntimeException e) {
                    LOG.errorf("%s: cannot open the stats socket %s: %s", s.pos(), s.path(), e.getMessage());
                }
            }
        }
    }

    private Optional<StatsSnapshot> snapshot() {
        return snapshots.current();
    }

}
