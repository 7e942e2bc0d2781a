package io.tidegate.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;
import org.jboss.logging.Logger;

/**
 * Runs the health checks of registered servers and keeps their health. A scheduler (the EJB timers of
 * {@code ejb-control}) calls {@link #check(ServerKey)} for a server whenever its time has come and
 * {@link #nextInterval(ServerKey)} to know when that is; the check runs without blocking on the
 * server's IO thread (one of the engine's event loops, which also carry the traffic) and feeds HAProxy's rise/fall state machine. When a server goes down or
 * comes up, the {@link HealthListener} is told first and then the transition is logged once, in
 * HAProxy's words, in category {@code io.tidegate.health}.
 *
 * <p>Each server is bound to one IO thread of the group (spread round-robin at registration), so its
 * checks and state changes are serialized; at most one check per server is in progress: asking for
 * another returns the running one. Thread-safe.
 */
public final class HealthCheckService {

    /** The log category of health transitions. */
    public static final String LOG_CATEGORY = "io.tidegate.health";
    private static final Logger LOG = Logger.getLogger(LOG_CATEGORY);

    private final EventLoopGroup loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final HealthListener listener;
    private final ServerCountsSource counts;
    private final Clock clock;
    private final ConcurrentHashMap<ServerKey, Entry> servers = new ConcurrentHashMap<>();

    private static final class Entry {
        final ServerCheck check;
        final EventLoop loop;
        final AtomicReference<HealthState> state;
        final AtomicReference<CompletableFuture<CheckOutcome>> inFlight = new AtomicReference<>();

        Entry(ServerCheck check, EventLoop loop, HealthState state) {
            this.check = check;
            this.loop = loop;
            this.state = new AtomicReference<>(state);
        }
    }

    /**
     * @param loops    the IO threads that run the checks
     * @param listener told of every transition
     * @param counts   the server counts of the log line; {@code null} = count the registered servers of the
     *                 backend that are up (without session figures)
     * @param clock    the time of transitions (for {@link HealthState#lastChange()} and slow start)
     */
    public HealthCheckService(EventLoopGroup loops, HealthListener listener, ServerCountsSource counts, Clock clock) {
        this.loops = Objects.requireNonNull(loops, "loops");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.counts = counts != null ? counts : this::countRegistered;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public HealthCheckService(EventLoopGroup loops, HealthListener listener) {
        this(loops, listener, null, Clock.systemUTC());
    }

    /** Registers (or replaces) a server; it starts with the health its {@link ServerCheck#initial()} says. */
    public void register(ServerCheck check) {
        register(check, null);
    }

    /**
     * Registers (or replaces) a server keeping the health it had before a reload: {@code previous} is kept
     * as is when rise and fall did not change, else only its up/down side is kept.
     */
    public void register(ServerCheck check, HealthState previous) {
        HealthState start;
        if (previous == null) {
            start = HealthState.initial(check.rise(), check.fall(), check.initial());
        } else if (previous.rise() == check.rise() && previous.fall() == check.fall()) {
            start = previous;
        } else {
            start = HealthState.initial(check.rise(), check.fall(),
                    previous.isUp() ? InitialState.FULLY_UP : InitialState.FULLY_DOWN);
        }
        EventLoop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
        servers.put(check.server(), new Entry(check, loop, start));
    }

    /** Forgets a server; a check in progress completes but changes nothing any more. */
    public void unregister(ServerKey server) {
        servers.remove(server);
    }

    /** The registered servers. */
    public List<ServerKey> servers() {
        return List.copyOf(servers.keySet());
    }

    /** The current health of a server. */
    /**
     * An operator forced the server's health ({@link HealthState#forced}): its checks count from
     * there. The engine already knows, so no transition is reported. Nothing when it is not checked.
     */
    public void force(ServerKey server, boolean up) {
        Entry e = servers.get(server);
        if (e == null) return;
        Instant now = clock.instant();
        HealthState before;
        do {
            before = e.state.get();
        } while (!e.state.compareAndSet(before, before.forced(up, now)));
    }

    public Optional<HealthState> state(ServerKey server) {
        Entry e = servers.get(server);
        return e == null ? Optional.empty() : Optional.of(e.state.get());
    }

    /** How long after a check of {@code server} the next one is due, for its current health. */
    public Duration nextInterval(ServerKey server) {
        Entry e = entry(server);
        return e.check.intervals().next(e.state.get());
    }

    /**
     * Starts one check of {@code server} (or returns the one in progress) and returns its outcome once
     * the health was updated, the listener told and the transition logged. Never blocks.
     *
     * @throws IllegalArgumentException if the server is not registered
     */
    public CompletableFuture<CheckOutcome> check(ServerKey server) {
        Entry e = entry(server);
        CompletableFuture<CheckOutcome> mine = new CompletableFuture<>();
        CompletableFuture<CheckOutcome> running = e.inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        ServerCheck c = e.check;
        c.probe().run(e.loop, c.source(), c.target(), c.timeouts()).whenComplete((result, failure) -> {
            CheckResult r = failure == null ? result : CheckResult.of(CheckStatus.SOCKERR, String.valueOf(failure));
            CheckOutcome outcome;
            try {
                outcome = apply(e, r);
            } catch (RuntimeException | Error t) {
                e.inFlight.set(null);
                mine.completeExceptionally(t);
                return;
            }
            e.inFlight.set(null);
            mine.complete(outcome);
        });
        return mine;
    }

    private CheckOutcome apply(Entry e, CheckResult result) {
        Instant now = clock.instant();
        HealthState before;
        HealthState after;
        do {
            before = e.state.get();
            after = before.after(result, now);
        } while (!e.state.compareAndSet(before, after));
        ServerCheck c = e.check;
        if (c.logChecks() && servers.get(c.server()) == e && (before.health() != after.health()
                || before.lastResult() == null || before.lastResult().status() != result.status())) {
            LOG.warn(TransitionMessage.checkLine(c.server(), c.backup(), result, after));
        }
        if (before.changesUpDown(after) && servers.get(c.server()) == e) {
            HealthTransition t = new HealthTransition(c.server(), c.backup(), before, after, result);
            try {
                listener.onTransition(t);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "health listener failed on %s", c.server());
            }
            log(t);
        }
        CheckOutcome outcome = new CheckOutcome(c.server(), result, before, after, c.intervals().next(after));
        if (servers.get(c.server()) == e) {
            try {
                listener.onCheck(outcome);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "health listener failed on %s", c.server());
            }
        }
        return outcome;
    }

    private void log(HealthTransition t) {
        ServerCounts n;
        try {
            n = counts.countsAfter(t);
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "server counts unavailable for %s", t.server());
            n = countRegistered(t);
        }
        String line = TransitionMessage.of(t, n);
        if (t.wentDown()) {
            LOG.warn(line);
            if (n.activeServers() == 0 && n.backupServers() == 0) {
                LOG.error(TransitionMessage.noServerAvailable(t.server().backend()));
            }
        } else {
            LOG.info(line);
        }
    }

    /** Counts the registered servers of the transition's backend that are up now. */
    private ServerCounts countRegistered(HealthTransition t) {
        int active = 0;
        int backup = 0;
        for (Entry e : servers.values()) {
            if (e.check.server().backend().equals(t.server().backend()) && e.state.get().isUp()) {
                if (e.check.backup()) {
                    backup++;
                } else {
                    active++;
                }
            }
        }
        return ServerCounts.servers(active, backup);
    }

    private Entry entry(ServerKey server) {
        Entry e = servers.get(server);
        if (e == null) {
            throw new IllegalArgumentException("no health check registered for " + server);
        }
        return e;
    }
}
