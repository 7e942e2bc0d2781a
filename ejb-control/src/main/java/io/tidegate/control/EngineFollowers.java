package io.tidegate.control;

import io.tidegate.control.health.HealthCheckScheduler;
import io.tidegate.control.jmx.ProxyMBeans;
import io.tidegate.control.runtimeapi.OperationsSnapshots;
import io.tidegate.control.runtimeapi.RuntimeApiSockets;
import io.tidegate.control.runtimeapi.StatsPagePublisher;
import io.tidegate.engine.Engine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one place that says what follows the engine's life and in which order. {@link TidegateRuntime}
 * calls it (under its lock) when an engine starts, after a seamless reload, and before an engine
 * stops; each step is a plain method call, so the order reads top to bottom here instead of being
 * decided by observer priorities spread over several classes.
 *
 * <p>Start and reload, in order:
 * <ol>
 *   <li>{@link ServerManagement}: the saved weights, admin states and disabled checks are applied
 *       before anyone else sees the engine;</li>
 *   <li>{@link ProxyMBeans}: the MBeans appear after that, so restoring the saved state sends no
 *       JMX notifications;</li>
 *   <li>{@link HealthCheckScheduler}: the EJB timers of the health checks (on a reload only those
 *       whose check changed are rebuilt);</li>
 *   <li>{@link OperationsSnapshots}: the statistics the stats page, runtime API and exporter read;</li>
 *   <li>{@link StatsPagePublisher}: the {@code stats uri} pages of the frontends;</li>
 *   <li>{@link RuntimeApiSockets}: the {@code stats socket}s (kept open across reloads).</li>
 * </ol>
 * Stop runs the reverse: what reads the engine lets go of it first, the saved state last.
 */
@ApplicationScoped
public class EngineFollowers {

    @Inject
    ServerManagement management;
    @Inject
    ProxyMBeans mbeans;
    @Inject
    HealthCheckScheduler healthChecks;
    @Inject
    OperationsSnapshots snapshots;
    @Inject
    StatsPagePublisher statsPages;
    @Inject
    RuntimeApiSockets runtimeApi;

    /** A new engine serves. */
    void started(Engine engine) {
        management.attach(engine);
        mbeans.publish(engine);
        healthChecks.engineStarted(engine);
        snapshots.engineStarted(engine);
        statsPages.publish(engine);
        runtimeApi.follow(engine.config());
    }

    /** The running engine switched to a new configuration without stopping. */
    void reloaded(Engine engine) {
        management.attach(engine);
        mbeans.publish(engine);
        healthChecks.engineReloaded(engine);
        statsPages.publish(engine);
        runtimeApi.follow(engine.config());
    }

    /** The engine is about to close (undeploy, WildFly stop, a restart after a failed start). */
    void stopping(Engine engine) {
        snapshots.engineStopping(engine);
        healthChecks.engineStopping(engine);
        mbeans.stopListening(engine);
        management.detach(engine);
    }
}
