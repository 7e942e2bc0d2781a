package io.tidegate.engine;

import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The graphs reloads replaced while exchanges still run on them, and the listeners reloads removed
 * while their sessions drain. Looks every {@link #POLL_MS} ms (on the first IO thread): a graph
 * without sessions is retired (its idle server connections close); past a frontend's
 * {@code grace} its sessions end politely; past {@code hard-stop-after} what is left is closed and
 * logged with counts.
 */
final class GraphRetirement {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    static final long POLL_MS = 50;

    private final EventLoopGroup loops;
    private final Supplier<List<Listener>> activeListeners;
    private final List<Retiring> graphs = new ArrayList<>();
    private final List<Listener> draining = new ArrayList<>();
    /** A poll is due. */
    private boolean polling;
    /** How many times a frontend's grace ran out with sessions left (tests, status). */
    private int graceOver;
    private boolean stopped;

    private static final class Retiring {
        final RuntimeGraph graph;
        final ReloadLimits limits;
        final long since = System.nanoTime();
        final Set<RuntimeFrontend> frontends;
        /** Frontends whose grace has run out and whose sessions were asked to end. */
        final Set<String> graceOver = new java.util.HashSet<>();

        Retiring(RuntimeGraph graph, ReloadLimits limits) {
            this.graph = graph;
            this.limits = limits;
            this.frontends = graph.frontendSet();
        }

        long ageMs() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        }
    }

    GraphRetirement(EventLoopGroup loops, Supplier<List<Listener>> activeListeners) {
        this.loops = loops;
        this.activeListeners = activeListeners;
    }

    /** {@code old} was replaced; {@code removed} listeners stopped accepting. */
    synchronized void retire(RuntimeGraph old, ReloadLimits limits, List<Listener> removed) {
        if (stopped) return;
        graphs.add(new Retiring(old, limits));
        draining.addAll(removed);
        if (!polling) schedule();
    }

    /** Graphs still draining (tests, status). */
    synchronized int graphsDraining() {
        return graphs.size();
    }

    synchronized int graceOverCount() {
        return graceOver;
    }

    /** Removed listeners whose sessions still drain. */
    synchronized List<Listener> drainingListeners() {
        return List.copyOf(draining);
    }

    /** The engine stops: forgets everything and returns the graphs still draining (their idle connections close with the engine's). */
    synchronized List<RuntimeGraph> stop() {
        stopped = true;       // a poll still due finds it and does nothing
        List<RuntimeGraph> left = new ArrayList<>();
        for (Retiring r : graphs) left.add(r.graph);
        graphs.clear();
        for (Listener l : draining) l.close();
        draining.clear();
        return left;
    }

    /** Holds the monitor; the poll is set up on the first IO thread (timers belong to their loop). */
    private void schedule() {
        EventLoop loop = loops.get(0);
        polling = true;
        try {
            if (loop.inLoop()) {
                loop.schedule(this::check, POLL_MS, TimeUnit.MILLISECONDS);
            } else {
                loop.execute(() -> loop.schedule(this::check, POLL_MS, TimeUnit.MILLISECONDS));
            }
        } catch (RejectedExecutionException e) {
            polling = false;
        }
    }

    private synchronized void check() {
        polling = false;
        if (stopped) return;
        for (var it = graphs.iterator(); it.hasNext(); ) {
            Retiring r = it.next();
            long left = r.graph.sessions();
            long age = r.ageMs();
            if (left == 0) {
                it.remove();
                closeIdleServerConnections(r.graph);
                r.graph.untwin();
                LOG.infof("Previous configuration retired after %d ms: its last exchange ended", age);
                continue;
            }
            if (r.limits.hardStopAfterMs() > 0 && age >= r.limits.hardStopAfterMs()) {
                int asked = endSessions(r.frontends, true);
                it.remove();
                closeIdleServerConnections(r.graph);
                r.graph.untwin();
                LOG.warnf("hard-stop-after %d ms: closed %d sessions still on the previous configuration "
                        + "(%d connections looked at)", r.limits.hardStopAfterMs(), left, asked);
                continue;
            }
            for (RuntimeFrontend f : r.graph.frontends()) {
                long grace = r.limits.graceMs(f.name());
                if (grace > 0 && age >= grace && f.currentSessions() > 0 && r.graceOver.add(f.name())) {
                    long n = f.currentSessions();
                    graceOver++;
                    endSessions(Set.of(f), false);
                    LOG.infof("Proxy %s: grace %d ms over, %d sessions of the previous configuration end after "
                            + "their exchange", f.name(), grace, n);
                }
            }
        }
        draining.removeIf(l -> l.sessionCount() == 0);
        if (!graphs.isEmpty() || !draining.isEmpty()) schedule();
    }

    private int endSessions(Set<RuntimeFrontend> frontends, boolean force) {
        Set<RuntimeFrontend> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(frontends);
        int n = 0;
        for (Listener l : activeListeners.get()) n += l.endSessionsOn(set, force);
        for (Listener l : draining) n += l.endSessionsOn(set, force);
        return n;
    }

    private void closeIdleServerConnections(RuntimeGraph g) {
        for (EventLoop loop : loops.loops()) {
            try {
                loop.execute(() -> {
                    for (RuntimeBackend b : g.backends()) for (RuntimeServer s : b.servers()) s.closeIdle(loop);
                });
            } catch (RejectedExecutionException e) {
                // stopping: the loop closes what it holds
            }
        }
    }
}
