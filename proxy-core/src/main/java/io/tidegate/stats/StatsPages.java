package io.tidegate.stats;

import io.tidegate.config.Config;
import io.tidegate.config.ProxySection;
import io.tidegate.engine.Engine;
import java.util.Optional;
import java.util.function.Supplier;

/** Installs the statistics page of every frontend or listen section that has one ({@code stats ...}, own or from its defaults). */
public final class StatsPages {
    private StatsPages() {
    }

    /** @return how many frontends serve a statistics page */
    public static int install(Engine engine, Supplier<Optional<StatsSnapshot>> snapshots) {
        Config c = engine.config();
        if (c == null) return 0;
        int n = 0;
        for (var section : c.sections()) {
            if (section instanceof ProxySection p && c.effectiveStatsPage(p) != null) {
                var page = c.effectiveStatsPage(p);
                engine.serveLocally(p.name(), page.uri(), new StatsPageService(page, snapshots));
                n++;
            }
        }
        return n;
    }
}
