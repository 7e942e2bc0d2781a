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

    BackendStatus status() {
        List<io.tidegate.engine.status.ServerStatus> list = new ArrayList<>(servers.size());
        for (RuntimeServer s : servers) list.add(s.status());
        return new BackendStatus(plan.name(), plan.balance(), plan.cookie(), list);
    }
}
