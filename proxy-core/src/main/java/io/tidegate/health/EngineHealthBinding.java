package io.tidegate.health;

import io.tidegate.engine.Engine;
import io.tidegate.engine.EnginePlan;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.ServerStatus;
import java.time.Clock;
import java.util.Objects;

/**
 * Connects health checks to one running {@link Engine}: a server that goes down stops getting new
 * traffic and one that comes up gets it again ({@link Engine#setServerUp}); the counts of HAProxy's log
 * line are the engine's usable servers and the server's requests in progress.
 */
public final class EngineHealthBinding implements HealthListener, ServerCountsSource {

    private final Engine engine;

    public EngineHealthBinding(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** The service that checks this engine's servers on its IO threads, told of transitions by this binding. */
    public HealthCheckService newService() {
        return new HealthCheckService(engine.loops(), this, this, Clock.systemUTC());
    }

    /** True when the engine runs {@code server} (a {@code disabled} server is not run, so not checked). */
    public boolean runs(ServerKey server) {
        for (EnginePlan.Backend b : engine.plan().backends()) {
            if (b.name().equals(server.backend())) {
                for (EnginePlan.Server s : b.servers()) {
                    if (s.name().equals(server.server())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Applies a health the server starts with (kept across a reload, or the initial one): a new engine
     * takes every server as up, so one that starts down is marked so before its first check.
     */
    public void apply(ServerKey server, HealthState state) {
        engine.setServerUp(server.backend(), server.server(), state.isUp());
    }

    /** Every check's result and duration, for the Server MBean's last-check attributes. */
    @Override
    public void onCheck(CheckOutcome outcome) {
        ServerKey s = outcome.server();
        engine.recordHealthCheck(s.backend(), s.server(), outcome.result().describe(),
                outcome.result().duration().toMillis());
        engine.setServerSoftStopped(s.backend(), s.server(),
                outcome.result().status() == CheckStatus.L7OKC && outcome.after().isUp());
    }

    @Override
    public void onTransition(HealthTransition transition) {
        ServerKey s = transition.server();
        engine.setServerUp(s.backend(), s.server(), transition.after().isUp());
    }

    @Override
    public ServerCounts countsAfter(HealthTransition transition) {
        ServerKey s = transition.server();
        int active = engine.usableServers(s.backend(), false);
        int backup = engine.usableServers(s.backend(), true);
        return new ServerCounts(active, backup, requestsInProgress(s), 0, 0);
    }

    private long requestsInProgress(ServerKey server) {
        for (BackendStatus b : engine.status().backends()) {
            if (b.name().equals(server.backend())) {
                for (ServerStatus s : b.servers()) {
                    if (s.name().equals(server.server())) {
                        return s.currentRequests();
                    }
                }
            }
        }
        return 0;
    }
}
