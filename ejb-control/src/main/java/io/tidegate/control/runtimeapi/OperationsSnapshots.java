package io.tidegate.control.runtimeapi;

import io.tidegate.config.Config;
import io.tidegate.control.TidegateRuntime;
import io.tidegate.control.health.HealthCheckScheduler;
import io.tidegate.engine.Engine;
import io.tidegate.stats.StatsSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * The statistics of the running engine as the runtime API, the stats page and the exporter read
 * them: the engine's status with the health checks' state and the process facts of
 * {@code show info}. Reads only.
 */
@ApplicationScoped
public class OperationsSnapshots {
    @Inject
    Instance<TidegateRuntime> runtime;
    @Inject
    Instance<HealthCheckScheduler> health;

    private final Instant processStarted = Instant.now();
    private final String node = hostName();
    private volatile Engine engine;
    private volatile Instant engineStarted = Instant.now();

    /** The engine whose statistics are served from now on. */
    public void engineStarted(Engine started) {
        engine = started;
        engineStarted = Instant.now();
    }

    /** An engine about to close: its statistics are no longer served. */
    public void engineStopping(Engine stopping) {
        if (engine == stopping) engine = null;
    }

    /** The running engine's statistics now, empty while nothing is served. */
    public Optional<StatsSnapshot> current() {
        Engine e = engine;
        return e == null ? Optional.empty() : Optional.of(of(e));
    }

    /** The statistics of a given engine now. */
    public StatsSnapshot of(Engine e) {
        Config c = e.config();
        int maxconn = c == null || c.global().maxconn() == null ? 0 : c.global().maxconn();
        StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", runtime.get().version(), processStarted,
                e.ioThreadCount(), maxconn, node);
        HealthCheckScheduler checks = health.get();
        return StatsSnapshot.of(e, checks::health, process, e == engine ? engineStarted : Instant.now());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
