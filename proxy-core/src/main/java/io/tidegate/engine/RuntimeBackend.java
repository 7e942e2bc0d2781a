package io.tidegate.engine;

import io.tidegate.engine.status.BackendStatus;
import java.util.ArrayList;
import java.util.List;

/** A backend at run time: chooses the server of each request (persistence first, then balancing). */
final class RuntimeBackend {
    private final EnginePlan.Backend plan;
    private final List<RuntimeServer> servers;
    private final SmoothWeightedRoundRobin normal;
    private final SmoothWeightedRoundRobin backups;
    private final SlotDispatcher dispatcher = new SlotDispatcher(this);
    /** Requests that waited longer than {@code timeout queue} for any server (the backend queue). */
    private final java.util.concurrent.atomic.LongAdder queueTimeouts = new java.util.concurrent.atomic.LongAdder();

    RuntimeBackend(EnginePlan.Backend plan, int ioThreads) {
        this.plan = plan;
        List<RuntimeServer> all = new ArrayList<>();
        List<RuntimeServer> n = new ArrayList<>();
        List<RuntimeServer> b = new ArrayList<>();
        for (EnginePlan.Server s : plan.servers()) {
            RuntimeServer rs = new RuntimeServer(s, this, ioThreads);
            all.add(rs);
            (s.backup() ? b : n).add(rs);
        }
        this.servers = List.copyOf(all);
        this.normal = new SmoothWeightedRoundRobin(n);
        this.backups = new SmoothWeightedRoundRobin(b);
    }

    EnginePlan.Backend plan() { return plan; }
    List<RuntimeServer> servers() { return servers; }

    /** The server holding persistence cookie value {@code cookieValue} that may take it, or null. */
    RuntimeServer byCookie(String cookieValue) {
        if (cookieValue == null) return null;
        RuntimeServer backup = null;
        for (RuntimeServer s : servers) {
            if (cookieValue.equals(s.plan().cookie()) && s.acceptsPersistentTraffic()) {
                if (!s.plan().backup()) return s;
                if (backup == null) backup = s;
            }
        }
        // a backup sharing the cookie keeps its clients when the normal server is down (S5)
        return backup;
    }

    /** The balancing choice: a normal server, or a backup when no normal one is usable; null if none. */
    RuntimeServer pickBalanced() {
        RuntimeServer s = normal.next();
        return s != null ? s : backups.next();
    }

    /** Matches free server slots with waiting requests (S9). */
    SlotDispatcher dispatcher() { return dispatcher; }

    void queueTimeout() { queueTimeouts.increment(); }

    /** Some server could take a load-balanced request if it had a free slot. */
    boolean hasUsableServer() {
        for (RuntimeServer s : servers) if (s.acceptsNewTraffic()) return true;
        return false;
    }

    /**
     * {@code s} may take requests that wait for any server: it takes new traffic and is a normal
     * server, or a backup while no normal server takes new traffic.
     */
    boolean takesBalancedTraffic(RuntimeServer s) {
        if (!s.acceptsNewTraffic()) return false;
        if (!s.plan().backup()) return true;
        for (RuntimeServer o : servers) if (!o.plan().backup() && o.acceptsNewTraffic()) return false;
        return true;
    }

    /**
     * The backend's load as HAProxy's dynamic limits read it: requests in progress on its servers
     * plus requests waiting for them. Only servers with minconn below maxconn ask.
     */
    long load() {
        long n = dispatcher.anyServerQueue().length();
        for (RuntimeServer s : servers) n += s.counters().current() + s.queue().length();
        return n;
    }

    BackendStatus status() {
        List<io.tidegate.engine.status.ServerStatus> list = new ArrayList<>(servers.size());
        for (RuntimeServer s : servers) list.add(s.status());
        return new BackendStatus(plan.name(), plan.balance(), plan.cookie(), list,
                dispatcher.anyServerQueue().length(), queueTimeouts.sum());
    }
}
