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
import io.tidegate.net.EventLoop;
import io.tidegate.net.EventLoopGroup;

/**
 * The running proxy: event loops of its own (threads tidegate-io-N) that carry every client and
 * server connection, the listeners of every frontend and the runtime graph (frontends, backends,
 * servers) they use. Health checks run on the same loops (one IO stack).
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("io.tidegate.engine");
    private static final long SHUTDOWN_WAIT_MS = 5_000;
    static final int BUFFER_SIZE = 16 * 1024;

    private final EventLoopGroup loops;
    /** What {@code http-request use-service NAME} may name, for this engine's configurations. */
    private final Map<String, LocalService> services;
    /** The graph new connections and new requests run on; replaced by {@link #reload}. */
    private volatile RuntimeGraph graph;
    /** The listening listeners, in configuration order; replaced (copy on write) by a reload. */
    private volatile List<Listener> listeners = List.of();
    /** Listeners a reload removed whose sessions still drain, and graphs a reload replaced that still carry exchanges. */
    private final GraphRetirement retirement;
    /**
     * 16 KiB direct buffers (a request head may use up to MessageHead.MAX_HEAD_SIZE plus the edits),
     * cached per IO thread, up to {@link #BUFFERS_KEPT_PER_THREAD} free ones each.
     */
    private final LoopBuffers[] buffers;
    static final int BUFFERS_KEPT_PER_THREAD = 1024;
    private final ConnectionLimit connectionLimit;
    private final LogSinks logSinks = new LogSinks();
    private final List<ServerStateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final List<ForcedHealthListener> forcedHealthListeners = new CopyOnWriteArrayList<>();
    /** Tunnels taken over from the previous deployment (EAR upgrade) that still relay. */
    private final java.util.Set<ResumedTunnel> resumedTunnels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Engine(io.tidegate.config.Config config, EnginePlan plan, EventLoopGroup loops,
                   Map<String, LocalService> services) throws EngineException {
        this.loops = loops;
        this.services = Map.copyOf(services);
        this.buffers = new LoopBuffers[loops.size()];
        for (int i = 0; i < buffers.length; i++) buffers[i] = new LoopBuffers(BUFFER_SIZE, BUFFERS_KEPT_PER_THREAD);
        this.connectionLimit = new ConnectionLimit(plan.maxConnections());
        RuntimeGraph first = new RuntimeGraph(config, plan, loops.size(), null, this.services);
        try {
            useLogging(first);
        } catch (EngineException | RuntimeException e) {
            logSinks.close();
            throw e;
        }
        this.graph = first;
        this.retirement = new GraphRetirement(loops, () -> listeners);
    }

    /**
     * The stick tables of the running configuration (the runtime API's {@code show table}), in
     * configuration order; with their entries only for the table named {@code withRowsOf} (null: none).
     */
    public List<StickTableView> stickTables(String withRowsOf) {
        List<StickTableView> out = new java.util.ArrayList<>();
        RuntimeGraph g = graph;
        StickTable named = withRowsOf == null ? null : g.stickTable(withRowsOf);
        for (StickTable t : g.stickTables()) out.add(t.view(t == named));
        return out;
    }

    /** Removes every untracked entry of table {@code name}, or only {@code key}; how many went, -1 without such a table. */
    public int clearStickTable(String name, String key) {
        StickTable t = graph.stickTable(name);
        if (t == null) return -1;
        if (key != null) return t.remove(key) ? 1 : 0;
        return t.clear();
    }

    /** Gives each frontend of {@code g} its access log (format and sinks, sinks shared across reloads). */
    void useLogging(RuntimeGraph g) throws EngineException {
        for (RuntimeFrontend f : g.frontends()) {
            EnginePlan.Frontend p = f.plan();
            AccessLog log;
            try {
                log = new AccessLog(p.log().formatFor(p.mode()), logSinks.sinksFor(p.log()), p.log().dontlognull(),
                        g::backend, f.backend());
            } catch (IllegalArgumentException e) {
                throw new EngineException("proxy '" + p.name() + "': " + e.getMessage(), e);
            }
            f.useLogging(log, connectionLimit);
        }
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
     * Starts an engine: creates its IO threads, builds the runtime graph and binds every listener. If a
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
        List<Listener> opened = new ArrayList<>();
        for (RuntimeFrontend f : engine.graph.frontends()) {
            for (InetSocketAddress a : f.plan().binds()) {
                Listener l = new Listener(a, f, engine.buffers, engine.connectionLimit);
                engine.connectionLimit.register(l);
                f.connectionLimit().register(l);
                try {
                    l.open(loops);
                } catch (IOException e) {
                    engine.listeners = List.copyOf(opened);
                    engine.close();
                    throw new EngineException("proxy " + f.name() + ": cannot bind " + Listener.format(a)
                            + ": " + e.getMessage(), e);
                }
                opened.add(l);
            }
        }
        engine.listeners = List.copyOf(opened);
        java.util.Set<String> unclaimed = io.tidegate.net.ListenerParking.parked();
        if (!unclaimed.isEmpty()) {
            io.tidegate.net.ListenerParking.closeAll();     // the previous deployment's addresses this one does not bind
            LOG.infof("Closed listening sockets parked by the previous deployment that this configuration does not use: %s",
                    unclaimed);
        }
        engine.resumeParkedTunnels();
        return engine;
    }

    /**
     * Takes over the tunnels the previous deployment handed over ({@link TunnelHandover}), spread
     * over the IO threads, and waits (bounded) until each relays again.
     */
    private void resumeParkedTunnels() {
        List<io.tidegate.net.ConnectionParking.Tunnel> parked = io.tidegate.net.ConnectionParking.claimTunnels();
        if (parked.isEmpty()) return;
        CountDownLatch resumed = new CountDownLatch(parked.size());
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        RuntimeGraph g = graph;
        for (int i = 0; i < parked.size(); i++) {
            io.tidegate.net.ConnectionParking.Tunnel t = parked.get(i);
            EventLoop loop = loops.get(i % loops.size());
            loop.execute(() -> {
                try {
                    ResumedTunnel r = ResumedTunnel.resume(t, loop, buffers[loop.index()], g, resumedTunnels::remove);
                    if (r != null) {
                        resumedTunnels.add(r);
                        running.incrementAndGet();
                    }
                } finally {
                    resumed.countDown();
                }
            });
        }
        awaitQuietly(resumed, SHUTDOWN_WAIT_MS);
        LOG.infof("Took over %d of %d upgraded/tcp tunnels handed over by the previous deployment", running.get(),
                parked.size());
    }

    /**
     * Upgrade: hands every tunnel (after 101, {@code mode tcp}) of these listeners' sessions and every
     * resumed one to the next deployment instead of closing it; each on its own IO thread.
     *
     * @return the tunnels handed over
     */
    private int handOverTunnels(List<Listener> all, long parkMs) {
        List<ClientConnection> sessions = new ArrayList<>();
        for (Listener l : all) sessions.addAll(l.sessionsNow());
        List<ResumedTunnel> resumed = new ArrayList<>(resumedTunnels);
        CountDownLatch done = new CountDownLatch(sessions.size() + resumed.size());
        java.util.concurrent.atomic.AtomicInteger parked = new java.util.concurrent.atomic.AtomicInteger();
        for (ClientConnection s : sessions) {
            onItsThread(s.ioThread(), () -> {
                if (s.parkTunnel(parkMs)) parked.incrementAndGet();
            }, done);
        }
        for (ResumedTunnel t : resumed) {
            onItsThread(t.ioThread(), () -> {
                if (t.park(parkMs)) parked.incrementAndGet();
            }, done);
        }
        awaitQuietly(done, SHUTDOWN_WAIT_MS);
        return parked.get();
    }

    private static void onItsThread(EventLoop loop, Runnable r, CountDownLatch done) {
        try {
            loop.execute(() -> {
                try {
                    r.run();
                } finally {
                    done.countDown();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.countDown();
        }
    }

    /** The runtime backends, in configuration order (tests). */
    List<RuntimeBackend> backendsForTest() {
        return graph.backends();
    }

    /** The local services {@code http-request use-service} may name (kept for reloads). */
    Map<String, LocalService> services() {
        return services;
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

    /** The configuration this engine runs (null when it was started from a plan directly). */
    public io.tidegate.config.Config config() {
        return graph.config();
    }

    public EnginePlan plan() {
        return graph.plan();
    }

    /**
     * Switches to a new configuration without closing anything that stays (SPEC S10): see
     * {@link Reload}. The configuration must be validated already ({@code ConfigLoader}).
     *
     * @return what the reload did, for the log and the operator
     * @throws EngineException when the new configuration cannot run (an address cannot be resolved
     *                         or bound): nothing changed, the running configuration stays
     */
    public synchronized ReloadOutcome reload(io.tidegate.config.Config next) throws EngineException {
        Integer nbthread = next.global().nbthread();
        if (nbthread != null && nbthread > 0 && nbthread != loops.size()) {
            LOG.warnf("nbthread %d takes effect at the next start; the running %d IO threads stay", nbthread, loops.size());
        }
        return reload(next, PlanBuilder.from(next), ReloadLimits.of(next));
    }

    /** As {@link #reload(io.tidegate.config.Config)} for a plan (tests and tools that build plans directly). */
    public synchronized ReloadOutcome reload(EnginePlan next, ReloadLimits limits) throws EngineException {
        return reload(null, next, limits);
    }

    private ReloadOutcome reload(io.tidegate.config.Config config, EnginePlan next, ReloadLimits limits)
            throws EngineException {
        if (closed) throw new EngineException("the engine is stopped", null);
        Reload r = new Reload(this, config, next, limits);
        ReloadOutcome outcome = r.run();
        return outcome;
    }

    // ---- what a Reload reads and replaces (under this engine's monitor)

    RuntimeGraph graph() {
        return graph;
    }

    void graph(RuntimeGraph g) {
        this.graph = g;
    }

    List<Listener> listeners() {
        return listeners;
    }

    void listeners(List<Listener> l) {
        this.listeners = List.copyOf(l);
    }

    LoopBuffers[] buffers() {
        return buffers;
    }

    ConnectionLimit connectionLimit() {
        return connectionLimit;
    }

    GraphRetirement retirement() {
        return retirement;
    }

    /** The addresses actually bound, per frontend name (real ports when the plan used port 0). */
    public Map<String, List<InetSocketAddress>> boundAddresses() {
        Map<String, List<InetSocketAddress>> m = new LinkedHashMap<>();
        for (Listener l : listeners) {
            RuntimeFrontend f = l.frontend();
            if (f == null) continue;      // parked for the next deployment (an engine stopped for an upgrade)
            m.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(l.boundAddress());
        }
        return m;
    }

    /** The IO threads: they carry every connection and run the health checks too. */
    public EventLoopGroup loops() {
        return loops;
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

    /**
     * An operator's health verdict (HAProxy's {@code set server B/S health up|stopping|down}), kept
     * until the health checks say otherwise: {@link ForcedHealth#STOPPING} is up without new
     * load-balanced traffic (NOLB), UP and DOWN also end a stopping state. Takes effect at once; the
     * {@link ForcedHealthListener}s (the server's checker) then count the next checks from there.
     *
     * @throws IllegalArgumentException when the backend has no such server
     */
    public void forceServerHealth(String backend, String server, ForcedHealth health) {
        RuntimeServer s = requireServer(backend, server);
        boolean before;
        synchronized (s) {
            before = s.healthy();
            s.setSoftStopped(health == ForcedHealth.STOPPING);
            s.setUp(health != ForcedHealth.DOWN);
        }
        for (ForcedHealthListener l : forcedHealthListeners) {
            try {
                l.healthForced(backend, server, health);
            } catch (RuntimeException e) {
                LOG.warnf(e, "forced health listener failed on %s/%s", backend, server);
            }
        }
        changed(s, ServerStateChange.Aspect.HEALTH, health(before), health(s.healthy()));
    }

    /** {@code listener} hears every {@link #forceServerHealth} (the health checks count from the forced state). */
    public void addForcedHealthListener(ForcedHealthListener listener) {
        forcedHealthListeners.add(java.util.Objects.requireNonNull(listener));
    }

    /**
     * Overrides a server's weight (0..256, 0 = no new load-balanced traffic). Takes effect at once.
     * A backend balanced by a static algorithm ({@code static-rr}, or a hash with {@code hash-type
     * map-based}) accepts only 0 and the configured weight, with HAProxy 2.6's message.
     *
     * @throws IllegalArgumentException for an unknown server or a weight the backend cannot take
     */
    public void setServerWeight(String backend, String server, int weight) {
        if (weight < 0 || weight > 256) throw new IllegalArgumentException("weight must be 0..256: " + weight);
        RuntimeServer s = requireServer(backend, server);
        if (s.backend().staticWeights() && weight != 0 && weight != s.plan().weight()) {
            throw new IllegalArgumentException(
                    "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.");
        }
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
    /**
     * {@code http-check disable-on-404}: {@code soft} = the running server's last check answered 404,
     * so it takes no new load-balanced traffic; clients holding its persistence cookie are still served
     * (HAProxy's NOLB). A check answering 2xx/3xx again ends it.
     */
    public void setServerSoftStopped(String backend, String server, boolean soft) {
        RuntimeServer s = requireServer(backend, server);
        synchronized (s) {
            s.setSoftStopped(soft);
        }
    }

    public void recordHealthCheck(String backend, String server, String result, long durationMillis) {
        requireServer(backend, server).recordCheck(result == null ? "" : result, durationMillis);
    }

    /**
     * Answers a frontend's requests whose target starts with {@code uriPrefix} with {@code service}
     * instead of forwarding them (HAProxy's {@code stats uri}); {@code service} null removes it. The
     * service runs on the IO thread of the request and must not block.
     *
     * @throws IllegalArgumentException for an unknown frontend
     */
    public void serveLocally(String frontend, String uriPrefix, LocalService service) {
        serveLocally(frontend, uriPrefix, service, java.util.List.of());
    }

    /**
     * As {@link #serveLocally(String, String, LocalService)}, with the conditions under which a
     * request gets admin rights on the service ({@code stats admin if|unless COND}: any one that
     * applies), evaluated on each request with the frontend's ACL engine.
     */
    public void serveLocally(String frontend, String uriPrefix, LocalService service,
                             java.util.List<io.tidegate.config.Condition> adminConditions) {
        RuntimeGraph g = graph;
        for (RuntimeFrontend f : g.frontends()) {
            if (f.name().equals(frontend)) {
                java.util.List<RuleCondition> admin = new java.util.ArrayList<>();
                for (var c : adminConditions) admin.add(RuleCondition.compile(c, g::backend, f.backend()));
                f.localRoute = service == null ? null : new LocalRoute(uriPrefix, service, admin);
                return;
            }
        }
        if (service != null) throw new IllegalArgumentException("no frontend " + frontend);
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
        for (RuntimeBackend b : graph.backends()) {
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
        RuntimeBackend b = graph.backend(backend);
        if (b != null) {
            for (RuntimeServer s : b.servers()) if (s.name().equals(server)) return s;
        }
        return null;
    }

    /**
     * A server's latency histograms (queue, connect, response, total time) since the engine started;
     * empty when the backend has no such server.
     */
    public java.util.Optional<io.tidegate.engine.status.ServerLatency> serverLatency(String backend, String server) {
        RuntimeServer s = runtimeServer(backend, server);
        return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.latency().snapshot());
    }

    /** An immutable snapshot of frontends, backends and servers with their counters. */
    public EngineStatus status() {
        List<FrontendStatus> fs = new ArrayList<>();
        Map<String, List<InetSocketAddress>> bound = boundAddresses();
        RuntimeGraph g = graph;
        for (RuntimeFrontend f : g.frontends()) fs.add(f.status(bound.getOrDefault(f.name(), f.plan().binds())));
        List<BackendStatus> bs = new ArrayList<>();
        for (RuntimeBackend b : g.backends()) bs.add(b.status());
        return new EngineStatus(fs, bs);
    }

    /**
     * Stops for an upgrade of Tidegate itself (EAR undeploy, WildFly stop): the listening sockets are
     * parked, still listening, for the next deployment ({@link io.tidegate.net.ListenerParking};
     * closed after {@code parkMs} if none claims them), every session ends after its exchange in
     * progress with {@code Connection: close}, and the engine waits up to {@code drainMs} for the
     * exchanges in flight before it closes what is left.
     *
     * @return the sessions that were still busy when the drain time ran out (closed)
     */
    public int closeForUpgrade(long drainMs, long parkMs) {
        synchronized (this) {
            if (closed) return 0;
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(drainMs);
        List<Listener> all = new ArrayList<>(listeners);
        // 1. still accepting, every frontend closes after each exchange: the exchanges in flight finish
        //    while new clients are still served (with Connection: close), idle keep-alive clients get
        //    Connection: close on their next request
        List<ClientConnection> before = new ArrayList<>();
        java.util.Map<RuntimeFrontend, RuntimeFrontend> closing = new java.util.IdentityHashMap<>();
        for (Listener l : all) {
            RuntimeFrontend f = l.frontend();
            if (f != null) {
                l.switchTo(closing.computeIfAbsent(f, RuntimeFrontend::closingCopy));
            }
        }
        all.addAll(retirement.drainingListeners());
        for (Listener l : all) {
            l.endSessionsAfterExchange();
            before.addAll(l.sessionsNow());
        }
        int busy = awaitIdle(before, deadline);
        long drainedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // 2. park the listening sockets for the next deployment; what was accepted meanwhile finishes
        int parked = 0;
        for (Listener l : listeners) if (l.park(parkMs)) parked++;
        List<ClientConnection> after = new ArrayList<>();
        for (Listener l : all) {
            l.endSessionsAfterExchange();
            after.addAll(l.sessionsNow());
        }
        long parkedAt = System.nanoTime();
        busy = awaitIdle(after, deadline);
        // 3. tunnels (after 101, mode tcp) go to the next deployment as they are
        int tunnels = handOverTunnels(all, parkMs);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long parkedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - parkedAt);
        if (busy > 0) {
            LOG.warnf("Stopping: %d listening sockets and %d tunnels parked for the next deployment; %d sessions "
                    + "still busy after %d ms are closed", parked, tunnels, busy, ms);
        } else {
            LOG.infof("Stopping: exchanges in flight drained in %d ms while accepting, then %d listening sockets "
                    + "and %d tunnels parked for the next deployment (%d ms more)", drainedMs, parked, tunnels, parkedMs);
        }
        close();
        return busy;
    }

    /** Waits until none of {@code sessions} has an exchange in progress, or the deadline; returns how many still have. */
    private static int awaitIdle(List<ClientConnection> sessions, long deadline) {
        int busy = 0;
        for (int i = 0; i < 100_000; i++) {
            busy = Listener.busy(sessions);
            if (busy == 0 || System.nanoTime() >= deadline) break;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return busy;
    }

    /** Stops accepting, closes all connections and stops the IO threads (bounded wait). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        for (Listener l : listeners) l.close();
        for (ResumedTunnel t : resumedTunnels) {
            try {
                t.ioThread().execute(t::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // its IO thread has stopped and closed the sockets already
            }
        }
        List<RuntimeGraph> graphs = new ArrayList<>(retirement.stop());
        graphs.add(graph);
        // idle server connections live per IO thread: close them there
        CountDownLatch drained = new CountDownLatch(loops.size());
        for (EventLoop loop : loops.loops()) {
            loop.execute(() -> {
                for (RuntimeGraph g : graphs) {
                    for (RuntimeBackend b : g.backends()) for (RuntimeServer s : b.servers()) s.closeIdle(loop);
                }
                drained.countDown();
            });
        }
        awaitQuietly(drained, SHUTDOWN_WAIT_MS);
        // each loop closes what is still registered with it (sessions in flight) as it stops
        if (!loops.shutdown(SHUTDOWN_WAIT_MS)) LOG.warnf("IO threads did not stop within %d ms", SHUTDOWN_WAIT_MS);
        logSinks.close();
        LOG.debugf("engine stopped");
    }

    private static void awaitQuietly(CountDownLatch latch, long ms) {
        try {
            latch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
