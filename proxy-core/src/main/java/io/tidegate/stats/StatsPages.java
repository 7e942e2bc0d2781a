package io.tidegate.stats;

import io.tidegate.config.Config;
import io.tidegate.config.ProxySection;
import io.tidegate.engine.Engine;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Installs the statistics page of every frontend or listen section that has one ({@code stats ...}, own
 * or from its defaults), and removes it from those that have none (after a reload).
 */
public final class StatsPages {
    private StatsPages() {
    }

    /** @return how many frontends serve a statistics page */
    public static int install(Engine engine, Supplier<Optional<StatsSnapshot>> snapshots) {
        return install(engine, snapshots, null, null);
    }

    /**
     * As {@link #install(Engine, Supplier)}, with where the admin forms' changes go ({@code stats admin
     * if|unless COND}) and the thread they run on; null actions = every page read only.
     */
    public static int install(Engine engine, Supplier<Optional<StatsSnapshot>> snapshots, StatsAdminActions actions,
                              java.util.concurrent.Executor actionRunner) {
        Config c = engine.config();
        if (c == null) return 0;
        int n = 0;
        for (var section : c.sections()) {
            if (!(section instanceof ProxySection p) || !p.kind().acceptsTraffic()) continue;
            var page = c.effectiveStatsPage(p);
            if (page != null) {
                engine.serveLocally(p.name(), page.uri(), new StatsPageService(page, p.name(), snapshots, actions, actionRunner),
                        page.admins().stream().map(io.tidegate.config.StatsPage.Admin::condition).toList());
                n++;
            } else {
                engine.serveLocally(p.name(), null, null);      // none (any more, after a reload)
            }
        }
        return n;
    }
}
