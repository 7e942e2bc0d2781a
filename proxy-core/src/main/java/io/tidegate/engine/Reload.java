package io.tidegate.engine;

import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One seamless reload of a running {@link Engine} (SPEC S10), in this order:
 * <ol>
 * <li>bind every address the new configuration adds (accepts suspended); if one fails, close those
 * and report: the running configuration is untouched;</li>
 * <li>build the new runtime graph beside the running one, on the same IO threads; servers that stay
 * (same backend, name, address) take over health, admin state, weight set at run time, counters;</li>
 * <li>switch: publish the graph, point every kept listener (same address: its socket stays open and
 * keeps its backlog) at its new frontend, start accepting on the new ones;</li>
 * <li>removed listeners accept what waits in their backlog and close; their sessions drain;</li>
 * <li>idle keep-alive client sessions move to the new graph on their IO threads, busy ones when their
 * exchange ends; idle server connections of servers that stay move to the new pools, those of
 * removed servers close;</li>
 * <li>the old graph retires when its last exchange ends, bounded by {@code grace} and
 * {@code hard-stop-after} ({@link GraphRetirement}).</li>
 * </ol>
 * Runs under the engine's monitor (one reload at a time).
 */
final class Reload {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");

    private final Engine engine;
    private final io.tidegate.config.Config config;
    private final EnginePlan next;
    private final ReloadLimits limits;

    Reload(Engine engine, io.tidegate.config.Config config, EnginePlan next, ReloadLimits limits) {
        this.engine = engine;
        this.config = config;
        this.next = next;
        this.limits = limits;
    }

    ReloadOutcome run() throws EngineException {
        long start = System.nanoTime();
        EventLoopGroup loops = engine.loops();
        RuntimeGraph old = engine.graph();
        List<Listener> current = engine.listeners();
        List<Listener> remaining = new ArrayList<>(current);

        // 1. new addresses first; a failure leaves everything as it was
        record Wanted(String frontend, Listener listener, boolean fresh) {
        }
        List<Wanted> wanted = new ArrayList<>();
        List<Listener> opened = new ArrayList<>();
        for (EnginePlan.Frontend f : next.frontends()) {
            for (InetSocketAddress a : f.binds()) {
                Listener kept = kept(remaining, f.name(), a);
                if (kept != null) {
                    wanted.add(new Wanted(f.name(), kept, false));
                    continue;
                }
                Listener l = new Listener(a, null, engine.buffers(), engine.connectionLimit());
                try {
                    l.bind(loops);
                } catch (IOException e) {
                    for (Listener o : opened) o.close();
                    throw new EngineException("proxy " + f.name() + ": cannot bind " + Listener.format(a) + ": "
                            + e.getMessage() + " (nothing changed, the running configuration stays)", e);
                }
                opened.add(l);
                wanted.add(new Wanted(f.name(), l, true));
            }
        }

        // 2. the new graph beside the running one
        RuntimeGraph g;
        try {
            g = new RuntimeGraph(config, next, loops.size(), old, engine.services());
            engine.useLogging(g);
        } catch (EngineException | RuntimeException e) {
            for (Listener o : opened) o.close();
            throw e;
        }
        String changes = g.changesSince(old);
        for (String note : g.tableNotes()) {
            changes += "; " + note;
            if (note.contains("starts empty")) LOG.warn("Reload: " + note);
        }

        // 3. switch
        long switchStart = System.nanoTime();
        engine.graph(g);
        engine.connectionLimit().setMax(next.maxConnections());
        List<Listener> active = new ArrayList<>();
        for (Wanted w : wanted) {
            RuntimeFrontend f = g.frontend(w.frontend());
            if (w.fresh()) engine.connectionLimit().register(w.listener());
            w.listener().switchTo(f);
            if (w.fresh()) w.listener().startAccepting();
            active.add(w.listener());
        }
        engine.listeners(active);
        long switchMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - switchStart);

        // 4. removed addresses close; their sessions drain (or follow a frontend of the same name)
        List<Listener> removed = remaining;
        for (Listener l : removed) {
            RuntimeFrontend was = l.frontend();
            l.stopAccepting(loops, was == null ? null : g.frontend(was.name()));
        }

        // 5. idle server connections: to the successor's pool, or closed
        Map<RuntimeServer, RuntimeServer> successors = successors(old, g);
        for (EventLoop loop : loops.loops()) {
            runQuietly(loop, () -> {
                for (RuntimeBackend b : old.backends()) {
                    for (RuntimeServer s : b.servers()) s.handIdleTo(successors.get(s), loop);
                }
            });
        }
        awaitLoops(loops);     // the idle sessions told above have moved by now

        long left = old.sessions();
        engine.retirement().retire(old, limits, removed);
        ReloadOutcome outcome = new ReloadOutcome(changes, wanted.size() - opened.size(), opened.size(),
                removed.size(), left, switchMicros, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        LOG.info(outcome.describe());
        return outcome;
    }

    /**
     * The running listener the new bind {@code a} of {@code frontend} keeps (taken out of
     * {@code remaining}), or null: the same configured address; for port 0 (any free port, tests)
     * the same host in a frontend of the same name, else a new port would be chosen at every reload.
     */
    private static Listener kept(List<Listener> remaining, String frontend, InetSocketAddress a) {
        for (var it = remaining.iterator(); it.hasNext(); ) {
            Listener l = it.next();
            if (!l.configuredAddress().equals(a)) continue;
            RuntimeFrontend f = l.frontend();
            if (a.getPort() == 0 && (f == null || !f.name().equals(frontend))) continue;
            it.remove();
            return l;
        }
        return null;
    }

    private static Map<RuntimeServer, RuntimeServer> successors(RuntimeGraph old, RuntimeGraph g) {
        Map<RuntimeServer, RuntimeServer> m = new IdentityHashMap<>();
        for (RuntimeBackend b : old.backends()) {
            RuntimeBackend nb = g.backend(b.plan().name());
            if (nb == null) continue;
            for (RuntimeServer s : b.servers()) {
                for (RuntimeServer n : nb.servers()) {
                    if (s.sameServerAs(n.plan())) {
                        m.put(s, n);
                        break;
                    }
                }
            }
        }
        return m;
    }

    private static void runQuietly(EventLoop loop, Runnable r) {
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Waits (up to 2 s) until every loop has run what was handed to it before. */
    private static void awaitLoops(EventLoopGroup loops) {
        CountDownLatch done = new CountDownLatch(loops.size());
        for (EventLoop loop : loops.loops()) {
            try {
                loop.execute(done::countDown);
            } catch (RejectedExecutionException e) {
                done.countDown();
            }
        }
        try {
            done.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
