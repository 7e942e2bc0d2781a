package io.tidegate.control.runtimeapi;

import io.tidegate.control.event.EngineReloaded;
import io.tidegate.control.event.EngineStarted;
import io.tidegate.stats.StatsPages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Serves the statistics page ({@code stats enable|uri|...}) of each frontend of every engine that starts. */
@ApplicationScoped
public class StatsPagePublisher {
    private static final Logger LOG = Logger.getLogger("io.tidegate.stats");

    @Inject
    OperationsSnapshots snapshots;

    void onEngineStarted(@Observes EngineStarted event) {
        var engine = event.engine();
        int n = StatsPages.install(engine, () -> Optional.of(snapshots.of(engine)));
        if (n > 0) LOG.infof("Statistics page served by %d frontend(s)", n);
    }

    /**
     * A seamless reload: the new configuration's frontends get their pages (a frontend that stays
     * keeps its page from the moment of the switch; this brings changed stats settings in).
     */
    void onEngineReloaded(@Observes EngineReloaded event) {
        var engine = event.engine();
        int n = StatsPages.install(engine, () -> Optional.of(snapshots.of(engine)));
        if (n > 0) LOG.infof("Statistics page served by %d frontend(s)", n);
    }
}
