package io.tidegate.control.health;

import io.tidegate.engine.Engine;
import io.tidegate.health.CheckIntervals;
import io.tidegate.health.EngineHealthChecks;
import io.tidegate.health.HealthSnapshot;
import io.tidegate.health.HealthState;
import io.tidegate.health.ServerKey;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.NoSuchObjectLocalException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Drives the health checks of the running engine with EJB timers (SPEC S4): one non-persistent
 * interval timer per checked server, the {@code i}-th of {@code n} first firing after
 * {@code CheckIntervals.firstDelay(interval, i, n)} so the checks spread over one interval. Each firing
 * starts the server's check on the engine's IO threads and returns at once; when the server's health
 * calls for another interval (fastinter / downinter), the timer is replaced by one at that interval.
 *
 * <p>Follows the engine's life through {@link io.tidegate.control.EngineFollowers}: a start creates the
 * timers, a stop cancels every one of them and keeps
 * the servers' health so the next engine (a reload) starts each unchanged check where it was.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)   // no transaction per firing: nothing here is transactional
public class HealthCheckScheduler {

    private static final Logger LOG = Logger.getLogger("io.tidegate.control.health");

    /** The checks of the engine being served and the generation its timers carry. */
    private record Active(Engine engine, long generation, EngineHealthChecks checks) {
    }

    @Resource
    private TimerService timerService;

    private final Object lock = new Object();
    private volatile Active active;
    private HealthSnapshot kept = HealthSnapshot.EMPTY;
    private long generation;

    /** Starts checking the servers of a newly started engine. */
    public void engineStarted(Engine engine) {
        synchronized (lock) {
            cancelTimers();
            EngineHealthChecks checks;
            try {
                checks = EngineHealthChecks.start(engine, kept);
            } catch (RuntimeException e) {
                // the engine serves on without checks rather than failing the deployment or the reload
                LOG.errorf(e, "Health checks could not be started; servers are not checked");
                active = null;
                return;
            }
            kept = HealthSnapshot.EMPTY;
            Active a = new Active(engine, ++generation, checks);
            active = a;
            List<ServerKey> servers = checks.servers();
            for (int i = 0; i < servers.size(); i++) {
                ServerKey key = servers.get(i);
                Duration interval = checks.nextInterval(key);
                schedule(CheckTimerInfo.of(a.generation(), key, interval),
                        CheckIntervals.firstDelay(interval, i, servers.size()));
            }
            if (!servers.isEmpty()) {
                LOG.infof("Health checks scheduled for %d servers", servers.size());
            }
        }
    }

    /**
     * The engine switched to a new configuration (a seamless reload): timers are rebuilt only for
     * servers whose check settings changed or that are new; removed servers' timers are cancelled;
     * every other timer goes on untouched, with the health its server had.
     */
    public void engineReloaded(Engine engine) {
        synchronized (lock) {
            Active a = active;
            if (a == null || a.engine() != engine) {
                engineStarted(engine);
                return;
            }
            EngineHealthChecks.Reloaded r;
            try {
                r = a.checks().reload();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Health checks could not follow the reload; servers are not checked");
                active = null;
                cancelTimers();
                return;
            }
            java.util.Set<ServerKey> replaced = new java.util.HashSet<>(r.started());
            replaced.addAll(r.removed());
            for (Timer t : timerService.getTimers()) {
                try {
                    if (t.getInfo() instanceof CheckTimerInfo info && replaced.contains(info.serverKey())) {
                        cancelQuietly(t);
                    }
                } catch (NoSuchObjectLocalException | IllegalStateException e) {
                    // gone meanwhile
                }
            }
            List<ServerKey> started = r.started();
            for (int i = 0; i < started.size(); i++) {
                ServerKey key = started.get(i);
                Duration interval = a.checks().nextInterval(key);
                schedule(CheckTimerInfo.of(a.generation(), key, interval),
                        CheckIntervals.firstDelay(interval, i, started.size()));
            }
            LOG.infof("Health checks after reload: %d kept, %d (re)started, %d removed", r.unchanged(),
                    started.size(), r.removed().size());
        }
    }

    /** Stops checking the servers of an engine about to close; keeps their health for the next one. */
    public void engineStopping(Engine engine) {
        synchronized (lock) {
            Active a = active;
            if (a != null && a.engine() == engine) {
                kept = a.checks().snapshot();
                active = null;
            }
            cancelTimers();
        }
    }

    @PreDestroy
    void stop() {
        synchronized (lock) {
            active = null;
            cancelTimers();
        }
    }

    /** The health of a checked server of the running engine; empty when it is not checked. */
    public Optional<HealthState> health(String backend, String server) {
        Active a = active;
        return a == null ? Optional.empty() : a.checks().state(new ServerKey(backend, server));
    }

    /** The number of health-check timers of this bean (one per checked server while an engine runs). */
    public int timerCount() {
        return timerService.getTimers().size();
    }

    @Timeout
    void fire(Timer timer) {
        try {
            CheckTimerInfo info = (CheckTimerInfo) timer.getInfo();
            Active a = active;
            ServerKey key = info.serverKey();
            if (a == null || a.generation() != info.generation() || !a.checks().isChecked(key)) {
                cancelQuietly(timer);      // a timer of an engine that is gone
                return;
            }
            if (a.engine().healthCheckWanted(key.backend(), key.server())) {
                a.checks().check(key);     // runs on an IO thread; returns at once
            }                              // else: checks disabled by an operator, or server in MAINT
            Duration next = a.checks().nextInterval(key);
            if (info.differsFrom(next)) {
                cancelQuietly(timer);
                schedule(info.withInterval(next), next);
            }
        } catch (NoSuchObjectLocalException e) {
            LOG.debugf("health-check timer gone while firing: %s", e.getMessage());
        } catch (RuntimeException e) {
            // never let the container retry a check: the next firing does it
            LOG.errorf(e, "health check could not be started");
        }
    }

    private void schedule(CheckTimerInfo info, Duration firstDelay) {
        long first = Math.max(1, firstDelay.toMillis());
        timerService.createIntervalTimer(first, info.intervalMs(), new TimerConfig(info, false));
    }

    private void cancelTimers() {
        for (Timer t : timerService.getTimers()) {
            cancelQuietly(t);
        }
    }

    private static void cancelQuietly(Timer timer) {
        try {
            timer.cancel();
        } catch (NoSuchObjectLocalException | IllegalStateException e) {
            // expired or cancelled meanwhile
        }
    }
}
