package io.tidegate.control.runtimeapi;

import io.tidegate.stats.StatsPages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Serves the statistics page ({@code stats enable|uri|...}) of each frontend of every engine that starts. */
@ApplicationScoped
public class StatsPagePublisher {
    private static final Logger LOG = Logger.getLogger("io.tidegate.stats");

    @Inject
    OperationsSnapshots snapshots;

    /**
     * Gives each frontend of the engine's configuration its page; called at start and after a
     * seamless reload (a frontend that stays keeps its page from the moment of the switch; this
     * brings changed stats settings in).
     */
    public void publish(io.tidegate.engine.Engine engine) {
        int n = StatsPages.install(engine, () -> Optional.of(snapshots.of(engine)));
        if (n > 0) LOG.infof("Statistics page served by %d frontend(s)", n);
    }
}
