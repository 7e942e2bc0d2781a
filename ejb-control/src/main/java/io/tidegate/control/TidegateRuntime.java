package io.tidegate.control;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tidegate.config.ConfigException;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigProblem;
import io.tidegate.config.LoadedConfig;
import io.tidegate.engine.Engine;
import io.tidegate.engine.EngineException;
import io.tidegate.engine.ReloadLimits;
import io.tidegate.engine.ReloadOutcome;
import io.tidegate.net.ListenerParking;
import io.tidegate.engine.status.EngineStatus;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The lifecycle of Tidegate inside WildFly: loads the configuration at deployment start, runs the
 * engine, reloads on request, stops the engine at undeploy. The MBeans and the admin pages call this
 * bean for the configuration and {@link ServerManagement} for servers' runtime state (weight, admin
 * state, health checks), which {@link EngineFollowers} keeps in step with the engine.
 *
 * <p>A configuration or bind failure at start is logged and kept as {@link #problem()}; the
 * deployment (and so the admin app) stays up so the operator can see and fix it.
 */
@Singleton
@Startup
@DependsOn("HealthCheckScheduler")   // alive until this bean's @PreDestroy has told it to cancel its timers
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TidegateRuntime {

    private static final Logger LOG = Logger.getLogger("io.tidegate");

    /** What follows the engine's start, reloads and stop, in the one order written there. */
    @Inject
    private EngineFollowers followers;

    /** The statistics the Prometheus exporter serves (health-aware), looked up when a scrape arrives. */
    @Inject
    private jakarta.enterprise.inject.Instance<io.tidegate.control.runtimeapi.OperationsSnapshots> snapshots;

    private final Object lock = new Object();
    private volatile Engine engine;
    private volatile String problem;
    private volatile Path configPath;
    private volatile Instant startedAt;
    private volatile Instant lastLoadAt;

    @PostConstruct
    void start() {
        startedAt = Instant.now();
        configPath = ConfigLocation.resolve();
        ConfigLocation.writeDefaultIfMissing(configPath);
        synchronized (lock) {
            Optional<String> failure = loadAndStart();
            failure.ifPresent(f -> LOG.errorf("Tidegate is not serving traffic: %s", f));
        }
    }

    @PreDestroy
    void stop() {
        synchronized (lock) {
            Engine running = engine;
            engine = null;
            if (running != null) {
                followers.stopping(running);
                // an upgrade (redeploy) or a WildFly stop: the listening sockets stay open for the next
                // deployment, exchanges in flight finish within grace
                io.tidegate.config.Config config = running.config();
                long drainMs = config == null ? ReloadLimits.DEFAULT_DRAIN_MS : ReloadLimits.of(config).drainMs();
                running.closeForUpgrade(drainMs, ListenerParking.DEFAULT_TIMEOUT_MS);
                LOG.infof("Tidegate stopped (configuration %s)", configPath);
            }
        }
    }

    /**
     * Re-reads the configuration file. An invalid file is rejected with its problems
     * (file:line:column) and the running engine keeps serving. A valid one is switched to without
     * stopping ({@link Engine#reload}): listening sockets that stay are kept, keep-alive clients stay
     * connected, exchanges in flight finish. A new address that cannot be bound rejects the reload,
     * the running configuration untouched. When nothing runs (the last start failed) the engine starts.
     *
     * @return the problem, or empty when the new configuration is running
     */
    public Optional<String> reload() {
        synchronized (lock) {
            LoadedConfig next;
            try {
                next = ConfigLoader.load(configPath);
            } catch (ConfigException e) {
                String text = describe(e.problems());
                LOG.errorf("Reload rejected, the running configuration stays: %s", text);
                return Optional.of(text);
            }
            Engine running = engine;
            if (running == null) {
                return startEngine(next);
            }
            next.warnings().forEach(w -> LOG.warn(w.toString()));
            try {
                ReloadOutcome outcome = running.reload(next.config());
                lastLoadAt = Instant.now();
                problem = null;
                followers.reloaded(running);
                return Optional.empty();
            } catch (EngineException e) {
                LOG.errorf("Reload rejected, the running configuration stays: %s", e.getMessage());
                return Optional.of(e.getMessage());
            }
        }
    }

    /** Checks a configuration text without applying it; returns its problems (empty when valid). */
    public List<ConfigProblem> check(String text) {
        try {
            return ConfigLoader.load(configPath.toString(), text).warnings();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    public Optional<EngineStatus> status() {
        Engine running = engine;
        return running == null ? Optional.empty() : Optional.of(running.status());
    }

    /** A server's latency histograms (for the status page's percentiles); empty when unknown or not serving. */
    public Optional<io.tidegate.engine.status.ServerLatency> serverLatency(String backend, String server) {
        Engine running = engine;
        return running == null ? Optional.empty() : running.serverLatency(backend, server);
    }

    /** Why Tidegate is not serving (bad configuration, bind failure), or empty when it is. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public Path configPath() {
        return configPath;
    }

    public Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }

    public Instant lastLoadAt() {
        return lastLoadAt;
    }

    public String version() {
        String v = TidegateRuntime.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    private Optional<String> loadAndStart() {
        try {
            return startEngine(ConfigLoader.load(configPath));
        } catch (ConfigException e) {
            problem = "invalid configuration " + configPath + ":\n" + describe(e.problems());
            return Optional.of(problem);
        }
    }

    private Optional<String> startEngine(LoadedConfig loaded) {
        loaded.warnings().forEach(w -> LOG.warn(w.toString()));
        try {
            engine = Engine.start(loaded.config(), localServices());
            followers.started(engine);
            problem = null;
            lastLoadAt = Instant.now();
            LOG.infof("Tidegate %s serving configuration %s", version(), configPath);
            return Optional.empty();
        } catch (EngineException e) {
            problem = e.getMessage();
            return Optional.of(problem);
        }
    }

    /**
     * What {@code http-request use-service NAME} may name: HAProxy's {@code prometheus-exporter},
     * answering from the running engine's statistics and latency histograms.
     */
    private java.util.Map<String, io.tidegate.engine.LocalService> localServices() {
        return java.util.Map.of(io.tidegate.stats.PrometheusExporter.SERVICE_NAME,
                io.tidegate.stats.PrometheusExporter.service(() -> snapshots.get().current(), (backend, server) -> {
                    Engine running = engine;
                    return running == null ? Optional.empty() : running.serverLatency(backend, server);
                }));
    }

    private static String describe(List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
