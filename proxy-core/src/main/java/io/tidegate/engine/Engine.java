package io.tidegate.engine;

import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;

/**
 * The running proxy: event loops of its own (threads tidegate-io-N) that carry every client and
 * server connection, the listeners of every frontend and the runtime graph (frontends, backends,
 * servers) they use. Health checks run on a separate small XNIO worker (thread tidegate-check-N),
 * made when first asked for.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    private static final long SHUTDOWN_WAIT_MS = 5_000;
    static final int BUFFER_SIZE = 16 * 1024;

    private final io.tidegate.config.Config config;
    private final EnginePlan plan;
    private final EventLoopGroup loops;
    private XnioWorker checkWorker;
    private final List<RuntimeFrontend> frontends;
    private final List<RuntimeBackend> backends;
    private final List<Listener> listeners = new ArrayList<>();
    /**
     * 16 KiB direct buffers (a request head may use up to MessageHead.MAX_HEAD_SIZE plus the edits),
     * cached per IO thread, up to {@link #BUFFERS_KEPT_PER_THREAD} free ones each.
     */
    private final LoopBuffers[] buffers;
    static final int BUFFERS_KEPT_PER_THREAD = 1024;
    private final ConnectionLimit connectionLimit;
    private final List<ServerStateListener> stateListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private Engine(io.tidegate.config.Config config, EnginePlan plan, EventLoopGroup loops,
                   Map<String, LocalService> services) throws EngineException {
        this.config = config;
        this.plan = plan;
        this.loops = loops;
        this.buffers = new LoopBuffers[loops.size()];
        for (int i = 0; i < buffers.length; i++) buffers[i] = new LoopBuffers(BUFFER_SIZE, BUFFERS_KEPT_PER_THREAD);
        Map<String, RuntimeBackend> byName = new LinkedHashMap<>();
        int threads = loops.size();
        for (EnginePlan.Backend b : plan.backends()) {
            EnginePlan.Rules r = plan.rulesOf(b.name());
            byName.put(b.name(), new RuntimeBackend(b, threads, r.balance() == null ? null : r));
        }
        this.backends = List.copyOf(byName.values());
        // the rules of backend sections (run after use_backend chose them); a listen section's own run once
        Map<String, ProxyRules> backendRules = new LinkedHashMap<>();
        for (EnginePlan.Backend b : plan.backends()) {
            ProxyRules r = ProxyRules.compile(b.name(), plan.rulesOf(b.name()), byName::get, byName.get(b.name()), services);
            if (r != null) backendRules.put(b.name(), r);
            byName.get(b.name()).stickRules(StickRules.compile(plan.rulesOf(b.name()).statements(), byName::get,
                    byName.get(b.name())));
        }
        List<RuntimeFrontend> fs = new ArrayList<>();
        for (EnginePlan.Frontend f : plan.frontends()) {
            RuntimeBackend own = byName.get(f.name());
            RuntimeBackend def = f.backend() == null ? null : byName.get(f.backend());
            ProxyRules rules = own != null ? backendRules.get(f.name())
                    : ProxyRules.compile(f.name(), plan.rulesOf(f.name()), byName::get, null, services);
            RuntimeFrontend home = new RuntimeFrontend(f, def, null, rules,
                    def == null || def == own ? null : backendRules.get(def.plan().name()));
            if (rules != null) {
                RuntimeFrontend[] routes = new RuntimeFrontend[rules.switchingBackends.length];
                for (int i = 0; i < routes.length; i++) {
                    if (rules.switchingBackends[i] == null) continue;       // dynamic name: routesByName
                    RuntimeBackend to = byName.get(rules.switchingBackends[i]);
                    if (to == null) throw new EngineException("proxy " + f.name() + ": use_backend "
                            + rules.switchingBackends[i] + ": no such backend");
                    routes[i] = new RuntimeFrontend(home, to, to == own ? null : backendRules.get(to.plan().name()));
                }
                home.routes(routes);
                if (rules.hasDynamicNames()) {
                    Map<String, RuntimeFrontend> byBackend = new LinkedHashMap<>();
                    for (RuntimeBackend to : byName.values()) {
                        byBackend.put(to.plan().name(), new RuntimeFrontend(home, to,
                                to == own ? null : backendRules.get(to.plan().name())));
                    }
                    home.routesByName(byBackend);
                }
            }
            fs.add(home);
        }
        this.frontends = List.copyOf(fs);
        this.connectionLimit = new ConnectionLimit(plan.maxConnections());
    }

    /**
     * Starts an engine for a validated configuration: {@code global nbthread} IO threads (default one
     * per available processor), every listener bound, {@code global maxconn} enforced. If a bind fails, everything opened is closed and the exception names proxy and
     * address.
     */
    public static Engine start(io.tidegate.config.Config config) throws EngineException {
        return start(config, Map.of());
    }

    /**
     * As {@link #start(io.tidegate.config.Config)}, with the local services that
     * {@code http-request use-service NAME} may name (e.g. {@code prometheus-exporter}).
     */
    public static Engine start(io.tidegate.config.Config config, Map<String, LocalService> services)
            throws EngineException {
        Integer nbthread = config.global().nbthread();
        return start(config, PlanBuilder.from(config), nbthread != null && nbthread > 0 ? nbthread : defaultIoThreads(),
                services);
    }

    /** Starts an engine for a plan (tests and tools that build plans directly). */
    public static Engine start(EnginePlan plan) throws EngineException {
        return start(null, plan, defaultIoThreads());
    }

    public static Engine start(EnginePlan plan, int ioThreads) throws EngineException {
        return start(null, plan, ioThreads);
    }

    private static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts an engine: creates its worker, builds the runtime graph and binds every listener. If a
     * bind fails, everything opened so far is closed and the exception names proxy and address.
     */
    static Engine start(io.tidegate.config.Config config, EnginePlan plan, int ioThreads) throws EngineException {
        return start(config, plan, ioThreads, Map.of());
    }

    static Engine start(io.tidegate.config.Config config, EnginePlan plan, int ioThreads,
                        Map<String, LocalService> services) throws EngineException {
        EventLoopGroup loops;
        try {
            loops = new EventLoopGroup("tidegate-io", ioThreads, spinNanos());
        } catch (IOException e) {
            throw new EngineException("cannot create the IO threads: " + e.getMessage(), e);
        }
        Engine engine;
        try {
            engine = new Engine(config, plan, loops, services);
        } catch (EngineException | RuntimeException e) {
            loops.shutdown(SHUTDOWN_WAIT_MS);
            throw e;
        }
        for (RuntimeFrontend f : engine.frontends) {
            for (InetSocketAddress a : f.plan().binds()) {
                Listener l = new Listener(a, f, engine.buffers, engine.connectionLimit);
                engine.connectionLimit.register(l);
                f.connectionLimit().register(l);
                try {
                    l.open(loops);
                } catch (IOException e) {
                    engine.close();
                    throw new EngineException("proxy " + f.name() + ": cannot bind " + Listener.format(a)
                            + ": " + e.getMessage(), e);
                }
                engine.listeners.add(l);
            }
        }
        return engine;
    }

    /** The runtime backends, in configuration order (tests). */
    List<RuntimeBackend> backendsForTest() {
        return backends;
    }

    /** Default of {@link #spinNanos()}: long enough to catch the next event of a busy connection. */
    static final long DEFAULT_SPIN_MICROS = 20;

    /**
     * How long an IO thread keeps polling after its last event before it sleeps in select (system
     * property {@code tidegate.io.spin-micros}; 0 = sleep at once). Measured (issue 6): waking a
     * sleeping thread costs the waking side, on a busy machine the clients and servers, a few
     * microseconds per wake-up; 20 µs of polling removed almost all wake-ups under load and lifted
     * keep-alive throughput by 5-8 %, for at most 20 µs of CPU each time the thread goes idle.
     */
    static long spinNanos() {
        long micros = Long.getLong("tidegate.io.spin-micros", DEFAULT_SPIN_MICROS);
        return TimeUnit.MICROSECONDS.toNanos(Math.max(0, Math.min(micros, 10_000)));
    }

    private static XnioWorker createCheckWorker(int ioThreads) throws EngineException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        ClassLoader xnioLoader = Xnio.class.getClassLoader();
        t.setContextClassLoader(xnioLoader);
        try {
            Xnio xnio = Xnio.getInstance(xnioLoader);
            XnioWorker worker = xnio.createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, "tidegate-check")
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 1)
                    .set(Options.THREAD_DAEMON, true)
                    .getMap());
            nameThreads(worker);
            return worker;
        } catch (IOException | RuntimeException e) {
            throw new EngineException("cannot create the IO worker: " + e.getMessage(), e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Names the check threads tidegate-check-N so they are easy to find in thread dumps. */
    private static void nameThreads(XnioWorker worker) {
        CountDownLatch named = new CountDownLatch(worker.getIoThreadCount());
        for (int i = 0; i < worker.getIoThreadCount(); i++) {
            final int n = i;
            worker.getIoThread(i).execute(() -> {
                Thread.currentThread().setName("tidegate-check-" + n);
                named.countDown();
            });
        }
        awaitQuietly(named, 1_000);
    }

    /** The configuration this engine runs (null when it was started from a plan directly). */
    public io.tidegate.config.Config config() {
        return config;
    }

    public EnginePlan plan() {
        return plan;
    }

    /** The addresses actually bound, per frontend name (real ports when the plan used port 0). */
    public Map<String, List<InetSocketAddress>> boundAddresses() {
        Map<String, List<InetSocketAddress>> m = new LinkedHashMap<>();
        for (Listener l : listeners) {
            m.computeIfAbsent(l.frontend().name(), k -> new ArrayList<>()).add(l.boundAddress());
        }
        return m;
    }

    /** The XNIO worker that runs health checks (one IO thread), made on first use and stopped with the engine. */
    public synchronized XnioWorker worker() {
        if (checkWorker == null) {
            if (closed) throw new IllegalStateException("the engine is stopped");
            try {
                checkWorker = createCheckWorker(1);
            } catch (EngineException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return checkWorker;
    }

    /** The number of IO threads carrying connections. */
    public int ioThreadCount() {
        return loops.size();
    }

    /**
     * Marks a server healthy or not (health checks): a server that is down gets no new traffic,
     * persistent clients included unless the backend has {@code option persist}; exchanges in flight
     * finish. Takes effect at once. While an operator has disabled the server's health checks the
     * report is kept but the server counts as up.
     *
     * @throws IllegalArgumentException when the backend has no such server
     */
    public void setServerUp(String backend, String server, boolean up) {
        RuntimeServer s = requireServer(backend, server);
        boolean before;
        synchronized (s) {
            before = s.healthy();
            s.setUp(up);
        }
        changed(s, ServerStateChange.Aspect.HEALTH, health(before), health(s.healthy()));
    }

    /** Overrides a server's weight (0..256, 0 = no new load-balanced traffic). Takes effect at once. */
    public void setServerWeight(String backend, String server, int weight) {
        if (weight < 0 || weight > 256) throw new IllegalArgumentException("weight must be 0..256: " + weight);
        RuntimeServer s = requireServer(backend, server);
        int before;
        synchronized (s) {
            before = s.weight();
            s.setWeight(weight);
        }
        changed(s, ServerStateChange.Aspect.WEIGHT, Integer.toString(before), Integer.toString(weight));
    }

    /**
     * Sets a server's administrative state (HAProxy's {@code set server B/S state}): READY takes
     * traffic; DRAIN takes no new load-balanced sessions but still serves clients holding its
     * persistence cookie; MAINT takes nothing. Exchanges in flight finish. Takes effect at once.
     */
    public void setServerAdminState(String backend, String server, AdminState state) {
        if (state == null) throw new IllegalArgumentException("state must be READY, DRAIN or MAINT");
        RuntimeServer s = requireServer(backend, server);
        AdminState before;
        synchronized (s) {
            before = s.adminState();
            s.setAdminState(state);
        }
        changed(s, ServerStateChange.Aspect.ADMIN_STATE, before.name(), state.name());
    }

    /**
     * Enables or disables a server's health checks (HAProxy's {@code enable/disable health}). While
     * disabled, the last verdict is ignored and the server counts as up; the check scheduler consults
     * {@link #healthCheckWanted} and skips it.
     */
    public void setServerHealthChecks(String backend, String server, boolean enabled) {
        RuntimeServer s = requireServer(backend, server);
        boolean before;
        boolean healthyBefore;
        synchronized (s) {
            before = s.healthChecksEnabled();
            healthyBefore = s.healthy();
            s.setHealthChecksEnabled(enabled);
        }
        changed(s, ServerStateChange.Aspect.HEALTH_CHECKS, before ? "enabled" : "disabled", enabled ? "enabled" : "disabled");
        changed(s, ServerStateChange.Aspect.HEALTH, health(healthyBefore), health(s.healthy()));
    }

    /**
     * Whether the health-check scheduler should run this server's check now: its checks are enabled
     * and it is not in maintenance (HAProxy does not check a server in MAINT). False for unknown servers.
     */
    public boolean healthCheckWanted(String backend, String server) {
        RuntimeServer s = runtimeServer(backend, server);
        return s != null && s.wantsHealthChecks();
    }

    /**
     * Records the outcome of a server's last health check for the status (JMX, admin page), e.g.
     * {@code "L7OK 200 OK"}; it does not change the server's health (see {@link #setServerUp}).
     */
    public void recordHealthCheck(String backend, String server, String result, long durationMillis) {
        requireServer(backend, server).recordCheck(result == null ? "" : result, durationMillis);
    }

    /** Registers a listener told about every later change of a server's health, admin state, weight or checks switch. */
    public void addServerStateListener(ServerStateListener listener) {
        stateListeners.add(java.util.Objects.requireNonNull(listener));
    }

    public void removeServerStateListener(ServerStateListener listener) {
        stateListeners.remove(listener);
    }

    private void changed(RuntimeServer s, ServerStateChange.Aspect aspect, String before, String after) {
        s.backend().dispatcher().serversChanged();    // queued requests follow: a server came back, or one went away
        if (before.equals(after) || stateListeners.isEmpty()) return;
        ServerStateChange change = new ServerStateChange(s.backend().plan().name(), s.name(), aspect, before, after);
        for (ServerStateListener l : stateListeners) {
            try {
                l.serverStateChanged(change);
            } catch (RuntimeException e) {
                LOG.warnf(e, "server state listener failed on %s", change);
            }
        }
    }

    private static String health(boolean up) {
        return up ? "UP" : "DOWN";
    }

    /** Client connections open now, over all listeners. */
    public int currentConnections() {
        return connectionLimit.current();
    }

    /** Usable servers of a backend: {@code backup} false counts normal servers, true backup servers. */
    public int usableServers(String backend, boolean backup) {
        int n = 0;
        for (RuntimeBackend b : backends) {
            if (!b.plan().name().equals(backend)) continue;
            for (RuntimeServer s : b.servers()) if (s.plan().backup() == backup && s.acceptsNewTraffic()) n++;
        }
        return n;
    }

    private RuntimeServer requireServer(String backend, String server) {
        RuntimeServer s = runtimeServer(backend, server);
        if (s == null) throw new IllegalArgumentException("no server " + backend + "/" + server);
        return s;
    }

    /** The live server (for runtime state changes: health, weight); null when unknown. */
    RuntimeServer runtimeServer(String backend, String server) {
        for (RuntimeBackend b : backends) {
            if (!b.plan().name().equals(backend)) continue;
            for (RuntimeServer s : b.servers()) if (s.name().equals(server)) return s;
        }
        return null;
    }

    /** An immutable snapshot of frontends, backends and servers with their counters. */
    public EngineStatus status() {
        List<FrontendStatus> fs = new ArrayList<>();
        Map<String, List<InetSocketAddress>> bound = boundAddresses();
        for (RuntimeFrontend f : frontends) fs.add(f.status(bound.getOrDefault(f.name(), f.plan().binds())));
        List<BackendStatus> bs = new ArrayList<>();
        for (RuntimeBackend b : backends) bs.add(b.status());
        return new EngineStatus(fs, bs);
    }

    /** Stops accepting, closes all connections and shuts the worker down (bounded wait). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Listener l : listeners) l.close();
        // idle server connections live per IO thread: close them there
        CountDownLatch drained = new CountDownLatch(loops.size());
        for (EventLoop loop : loops.loops()) {
            loop.execute(() -> {
                for (RuntimeBackend b : backends) for (RuntimeServer s : b.servers()) s.closeIdle(loop);
                drained.countDown();
            });
        }
        awaitQuietly(drained, SHUTDOWN_WAIT_MS);
        // each loop closes what is still registered with it (sessions in flight) as it stops
        if (!loops.shutdown(SHUTDOWN_WAIT_MS)) LOG.warnf("IO threads did not stop within %d ms", SHUTDOWN_WAIT_MS);
        XnioWorker checks;
        synchronized (this) {
            checks = checkWorker;
        }
        if (checks != null) stopCheckWorker(checks);
        LOG.debugf("engine stopped");
    }

    private static void stopCheckWorker(XnioWorker worker) {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
                worker.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long ms) {
        try {
            latch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
