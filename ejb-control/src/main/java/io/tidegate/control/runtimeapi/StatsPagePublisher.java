package io.tidegate.control.runtimeapi;

import io.tidegate.control.ServerManagement;
import io.tidegate.stats.StatsPages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Serves the statistics page ({@code stats enable|uri|...}) of each frontend of every engine that
 * starts; the changes of its admin form ({@code stats admin if ...}) go to {@link ServerManagement}
 * through {@link StatsPageActions}, on the container's managed executor.
 */
@ApplicationScoped
public class StatsPagePublisher {
    private static final Logger LOG = Logger.getLogger("io.tidegate.stats");

    @Inject
    OperationsSnapshots snapshots;
    @Inject
    ServerManagement management;
    /** The admin forms' changes run here, never on an IO thread (the container's default executor). */
    @jakarta.annotation.Resource
    jakarta.enterprise.concurrent.ManagedExecutorService actionRunner;

    /**
     * Gives each frontend of the engine's configuration its page; called at start and after a
     * seamless reload (a frontend that stays keeps its page from the moment of the switch; this
     * brings changed stats settings in).
     */
    public void publish(io.tidegate.engine.Engine engine) {
        int n = StatsPages.install(engine, () -> Optional.of(snapshots.of(engine)), new StatsPageActions(management), actionRunner);
        if (n > 0) LOG.infof("Statistics page served by %d frontend(s)", n);
    }
}
