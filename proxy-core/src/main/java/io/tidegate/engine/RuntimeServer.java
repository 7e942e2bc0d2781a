package io.tidegate.engine;

import io.tidegate.engine.status.CookieHolders;
import io.tidegate.engine.status.ResponseCounts;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.engine.status.ServerStatusBuilder;
import java.util.ArrayDeque;
import io.tidegate.net.EventLoop;

/**
 * A server of a backend at run time: its plan, live weight and state, counters and the idle
 * keep-alive connections to it, kept per IO thread so a session reuses a connection of its own
 * thread without locking.
 */
final class RuntimeServer {
    /** Idle connections kept per IO thread and server (as many as were busy at peak, within reason: churn costs connects). */
    static final int MAX_IDLE_PER_THREAD = 1024;

    private final EnginePlan.Server plan;
    private final RuntimeBackend backend;
    /** The persistence cookie value in bytes, or null. */
    private final byte[] cookieBytes;
    private volatile int weight;
    private volatile boolean up = true;
    /** When the server was last marked down (System.nanoTime); written before {@link #up}, read after it. */
    private volatile long markedDownNanos;
    /** Within its slowstart ramp after coming back up: only then does a pick read the clock. */
    private volatile boolean ramping;
    /** System.nanoTime() when it last came up after being down (meaningful while ramping). */
    private volatile long upSinceNanos;
    private volatile AdminState adminState = AdminState.READY;
    /** System.nanoTime() when the server last entered DRAIN (meaningful while it is in DRAIN). */
    private volatile long drainedSinceNanos;
    private volatile boolean healthChecksEnabled = true;
    /** The last health check as text and its duration in ms (-1 = none yet), published together. */
    private volatile LastCheck lastCheck = new LastCheck("", -1);
    /** Shared with the same server of the graph before a reload (same backend, name and address). */
    private final ServerCounters counters;
    /** Response-time histograms, shared with the same server of the graph before a reload as the counters are. */
    private final LatencyRecorder latency;
    /**
     * The same server in the other graph while a reload's old graph drains (null otherwise): a slot
     * freed on one side serves requests queued on the other, since both count in the shared counters.
     */
    private volatile RuntimeServer twin;
    /** Requests pinned to this server by persistence, waiting for one of its slots. */
    private final RequestQueue queue = new RequestQueue();
    private final ServerLimits limits;
    private final ArrayDeque<ServerConnection>[] idle;
    /** Open connections, tracked only when a server of the backend has on-marked-down/up actions; else null. */
    private final OpenConnections open;
    /** Up but stopping (NOLB): a 404 under {@code http-check disable-on-404}, or forced by an operator; no new load-balanced traffic. */
    private volatile boolean softStopped;

    @SuppressWarnings("unchecked")
    /** HAProxy's server id (its position in the backend, from 1): what show table prints as server_id. */
    int stickId() {
        return backend.servers().indexOf(this) + 1;
    }

    RuntimeServer(EnginePlan.Server plan, RuntimeBackend backend, int ioThreads) {
        this(plan, backend, ioThreads, new ServerCounters(), new LatencyRecorder(ioThreads));
    }

    RuntimeServer(EnginePlan.Server plan, RuntimeBackend backend, int ioThreads, ServerCounters counters,
                  LatencyRecorder latency) {
        this.plan = plan;
        this.counters = counters;
        this.backend = backend;
        this.weight = plan.weight();
        this.limits = plan.limits();
        this.open = backend.plan().servers().stream().anyMatch(x -> x.marked().shutdownSessionsOnDown()
                || x.marked().shutdownBackupSessionsOnUp()) ? new OpenConnections() : null;
        this.latency = latency;
        this.cookieBytes = plan.cookie() == null ? null : PersistenceCookie.ascii(plan.cookie());
        this.idle = new ArrayDeque[ioThreads];
        for (int i = 0; i < ioThreads; i++) idle[i] = new ArrayDeque<>();
    }

    EnginePlan.Server plan() { return plan; }
    RuntimeBackend backend() { return backend; }
    String name() { return plan.name(); }
    int weight() { return weight; }
    ServerCounters counters() { return counters; }
    LatencyRecorder latency() { return latency; }
    byte[] cookieBytes() { return cookieBytes; }

    /** Live weight override; 0 takes the server out of load balancing. */
    void setWeight(int w) {
        this.weight = w;
        backend.balancingChanged();
    }
    /** The health checks' verdict; coming up after being down starts the slowstart ramp, going down ends it. */
    void setUp(boolean up) {
        if (!up) {
            ramping = false;
        } else if (!this.up && plan.slowstartMs() > 0) {
            upSinceNanos = System.nanoTime();
            ramping = true;
        }
        boolean was = this.up;
        if (was && !up) markedDownNanos = System.nanoTime();
        this.up = up;
        backend.balancingChanged();
        if (was && !up && plan.marked().shutdownSessionsOnDown()) {
            open.shutDownAll();
        } else if (!was && up && !plan.backup() && plan.marked().shutdownBackupSessionsOnUp()) {
            for (RuntimeServer s : backend.servers()) {
                if (s.plan.backup() && s.open != null) s.open.shutDownAll();
            }
        }
    }

    /** A connection was moved here by a reload (it is tracked as an open connection of this server). */
    void opened(ServerConnection c) {
        if (open != null) open.add(c);
    }

    /**
     * A connection to this server was established; its connect started at {@code connectStartNanos}.
     * With {@code on-marked-down shutdown-sessions}, a connect started before the server was marked
     * down that completes after {@link #setUp} ended the tracked connections is ended too: it is
     * added first, then the state is read, so either the transition sees the connection or the
     * connection sees the transition (a connection both see is shut down twice, harmlessly).
     */
    void opened(ServerConnection c, long connectStartNanos) {
        if (open == null) return;
        open.add(c);
        if (!up && plan.marked().shutdownSessionsOnDown() && connectStartNanos - markedDownNanos <= 0) {
            c.ioThread().execute(c::shutDown);
        }
    }

    /** A connection to this server closed (or moved to the successor of a reload). */
    void closed(ServerConnection c) {
        if (open != null) open.remove(c);
    }

    /** Connections open to this server, when they are tracked (see {@link OpenConnections}); else -1. */
    int trackedConnections() {
        return open == null ? -1 : open.size();
    }

    /** {@code http-check disable-on-404}: a 404 to the check takes the server out of load balancing (NOLB). */
    void setSoftStopped(boolean soft) {
        if (softStopped == soft) return;
        softStopped = soft;
        backend.balancingChanged();
    }

    boolean softStopped() { return softStopped; }

    /**
     * The weight the balancer uses, in 1/16 units: the operator's weight × 16, or × the slowstart
     * step while the server ramps up. The operator's weight itself is never changed by the ramp.
     */
    int balancingWeight() {
        int w = weight;
        if (!ramping) return w * SlowStartRamp.STEPS;
        int step = SlowStartRamp.step(System.nanoTime() - upSinceNanos, plan.slowstartMs() * 1_000_000L);
        if (step >= SlowStartRamp.STEPS) ramping = false;
        return w * step;
    }
    /** Within its slowstart ramp: {@link #balancingWeight()} changes with time, not by a setter. */
    boolean rampingUp() { return ramping; }
    boolean reportedUp() { return up; }
    AdminState adminState() { return adminState; }
    /** Sets the admin state; entering DRAIN (from READY or MAINT) starts the drain clock, staying in DRAIN keeps it. */
    void setAdminState(AdminState state) {
        if (state == AdminState.DRAIN && adminState != AdminState.DRAIN) drainedSinceNanos = System.nanoTime();
        this.adminState = state;
        backend.balancingChanged();
    }
    boolean healthChecksEnabled() { return healthChecksEnabled; }
    void setHealthChecksEnabled(boolean enabled) {
        this.healthChecksEnabled = enabled;
        backend.balancingChanged();
    }
    void recordCheck(String result, long millis) { this.lastCheck = new LastCheck(result, millis); }

    /**
     * Healthy as far as traffic is concerned: the checks' verdict, ignored while an operator has
     * disabled them (HAProxy's {@code disable health}: the server counts as up).
     */
    boolean healthy() { return up || !healthChecksEnabled; }

    /**
     * May receive requests of clients that hold its persistence cookie: READY or DRAIN, and healthy
     * — or down under {@code option persist} (connect failures then go to {@code option redispatch}).
     */
    boolean acceptsPersistentTraffic() {
        return (healthy() || backend.plan().persist()) && adminState != AdminState.MAINT;
    }

    /**
     * A request holding this server's persistence cookie may go to it: it takes persistent traffic
     * and is not drained for longer than the backend's {@code option redispatch-drained} time (then
     * its cookie holders are balanced elsewhere and get the new server's cookie). Only a drained
     * server with that option reads the clock.
     */
    boolean acceptsCookieHolders() {
        if (!acceptsPersistentTraffic()) return false;
        if (adminState != AdminState.DRAIN) return true;
        long limitMs = backend.plan().redispatchDrainedMs();
        return limitMs == 0 || System.nanoTime() - drainedSinceNanos < limitMs * 1_000_000L;
    }

    /** May be chosen by the load-balancing algorithm (READY, healthy, weight above 0). */
    boolean acceptsNewTraffic() { return healthy() && !softStopped && adminState == AdminState.READY && weight > 0; }

    /** Health checks should run: enabled and not in maintenance. */
    boolean wantsHealthChecks() { return healthChecksEnabled && adminState != AdminState.MAINT; }

    /** Requests waiting for a slot on this server (pinned to it by persistence). */
    long queued() { return queue.length(); }

    RequestQueue queue() { return queue; }

    /** Counts a request in progress without looking at the limit (a redispatched retry). */
    void requestStarted() {
        counters.requestStarted();
    }

    /**
     * Takes a slot for a new request: always for a server without maxconn; for a limited one only
     * when nobody waits for it and it is below its current limit. No lock, no allocation.
     */
    boolean tryStartRequest() {
        if (!limits.limited()) {
            counters.requestStarted();
            return true;
        }
        if (queue.length() > 0) return false;     // first come, first served: the queue goes first
        return counters.tryRequestStarted(currentLimit());
    }

    /** Takes a slot for a queued request (the dispatcher, which serves the queue in order). */
    boolean takeSlot() {
        if (!limits.limited()) {
            counters.requestStarted();
            return true;
        }
        return counters.tryRequestStarted(currentLimit());
    }

    /**
     * Ends a request and gives its slot to the oldest request waiting for this server, if any (while
     * a reload drains, also to one waiting for the same server in the other graph).
     */
    void requestEnded() {
        counters.requestEnded();
        SlotDispatcher d = backend.dispatcher();
        if (d.hasWaitersFor(this)) {
            d.slotFreed(this);
            return;
        }
        RuntimeServer t = twin;
        if (t != null && t.backend.dispatcher().hasWaitersFor(t)) t.backend.dispatcher().slotFreed(t);
    }

    /**
     * A reload made {@code next} this server's successor (same backend, name and address; it shares
     * these counters): it starts with this server's runtime state — health (and slowstart ramp),
     * admin state, health-checks switch, last check, and a weight an operator set unless the
     * configured weight changed. Both serve each other's queues until {@link #untwin()}.
     */
    void handOver(RuntimeServer next) {
        next.up = up;
        next.upSinceNanos = upSinceNanos;
        next.ramping = ramping && next.plan.slowstartMs() > 0;
        next.adminState = adminState;
        next.drainedSinceNanos = drainedSinceNanos;
        next.healthChecksEnabled = healthChecksEnabled;
        next.lastCheck = lastCheck;
        next.softStopped = softStopped;
        if (weight != plan.weight() && next.plan.weight() == plan.weight()
                && (weight == 0 || !next.backend.staticWeights())) {
            next.weight = weight;    // a static algorithm keeps only 0 and the configured weight
        }
        next.twin = this;
        this.twin = next;
    }

    /** The old graph is gone: its server no longer serves the successor's queue, nor the other way round. */
    void untwin() {
        RuntimeServer t = twin;
        twin = null;
        if (t != null) t.twin = null;
    }

    /** Same backend name, server name and address: the server a reload keeps (state carries over). */
    boolean sameServerAs(EnginePlan.Server other) {
        return plan.name().equals(other.name()) && plan.address().equals(other.address());
    }

    /** Load balancing skips it: it has a maxconn and is at its limit, or requests wait for it. */
    boolean isFull() {
        return limits.limited() && (queue.length() > 0 || counters.current() >= currentLimit());
    }

    /** Its limit now (maxconn, or between minconn and maxconn following the backend's load); 0 = none. */
    int currentLimit() {
        if (!limits.dynamic()) return limits.maxconn();
        return limits.at(backend.load(), backend.plan().queue().fullconn());
    }

    /** An idle connection of this IO thread, or null. Must run on that thread. */
    ServerConnection takeIdle(EventLoop thread) {
        int n = thread.index();
        if (n < 0 || n >= idle.length) return null;
        return idle[n].pollLast();
    }

    /** Parks a reusable connection; false when the pool is full. Must run on the connection's thread. */
    boolean offerIdle(ServerConnection c) {
        int n = c.ioThread().index();
        if (n < 0 || n >= idle.length || idle[n].size() >= MAX_IDLE_PER_THREAD) return false;
        idle[n].addLast(c);
        return true;
    }

    void removeIdle(ServerConnection c) {
        int n = c.ioThread().index();
        if (n >= 0 && n < idle.length) idle[n].remove(c);
    }

    /**
     * A reload replaced this server: its idle connections of the calling IO thread go to its
     * successor's pool (same address), or close when it has none (a removed or moved server).
     */
    void handIdleTo(RuntimeServer successor, EventLoop thread) {
        int n = thread.index();
        if (n < 0 || n >= idle.length) return;
        ServerConnection c;
        while ((c = idle[n].pollFirst()) != null) {
            if (successor == null) {
                c.close();
                continue;
            }
            c.movedTo(successor);
            if (!successor.offerIdle(c)) c.close();
        }
    }

    /** Closes the idle connections of the calling IO thread. */
    void closeIdle(EventLoop thread) {
        int n = thread.index();
        if (n < 0 || n >= idle.length) return;
        ServerConnection c;
        while ((c = idle[n].pollFirst()) != null) c.close();
    }

    ServerStatus status() {
        var a = plan.address();
        String host = a.getAddress() != null ? io.tidegate.net.AddressText.of(a.getAddress()) : a.getHostString();
        String hp = host.indexOf(':') >= 0 ? "[" + host + "]:" + a.getPort() : host + ":" + a.getPort();
        LastCheck check = lastCheck;
        return ServerStatusBuilder.builder()
                .name(plan.name()).address(hp).weight(weight).backup(plan.backup()).cookie(plan.cookie())
                .currentRequests(counters.current()).totalRequests(counters.total())
                .up(healthy()).adminState(adminState).healthChecksEnabled(healthChecksEnabled)
                .lastCheck(check.result()).lastCheckMillis(check.millis())
                .maxRequests(counters.max()).queued(queued()).responses(ResponseCounts.of(counters.responses()))
                .connectErrors(counters.connectErrors()).retries(counters.retries()).redispatches(counters.redispatches())
                .bytesIn(counters.bytesIn()).bytesOut(counters.bytesOut())
                .queueTimeouts(counters.queueTimeouts()).limit(currentLimit())
                .cookieHolders(cookieBytes == null ? CookieHolders.NONE
                        : counters.cookieHolders().at(System.currentTimeMillis() / 1000))
                .stopping(softStopped && healthy())
                .build();
    }

    private record LastCheck(String result, long millis) {
    }
}
