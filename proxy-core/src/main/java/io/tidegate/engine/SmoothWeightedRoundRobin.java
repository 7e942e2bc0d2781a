package io.tidegate.engine;

import java.util.List;

/**
 * Smooth weighted round robin: every pick adds each eligible server's weight to its running score,
 * takes the highest score and subtracts the total weight from it. Over any window of total-weight
 * picks each server is chosen exactly weight times, and picks of the heavy servers are spread out
 * instead of coming in bursts. Thread-safe (picks are serialized; they are a few additions).
 * O(n) per pick: the rotation of backends of up to {@link ServerRotation#LOOP_MAX_SERVERS} servers;
 * larger ones use {@link DeadlineRoundRobin}.
 */
final class SmoothWeightedRoundRobin implements ServerRotation {
    private final RuntimeServer[] servers;
    private final long[] current;

    SmoothWeightedRoundRobin(List<RuntimeServer> servers) {
        this.servers = servers.toArray(new RuntimeServer[0]);
        this.current = new long[this.servers.length];
    }

    boolean isEmpty() {
        return servers.length == 0;
    }

    /** The next server among those usable for load balancing and not full (maxconn), or null when there is none. */
    RuntimeServer next() {
        return next(null);
    }

    @Override
    public synchronized RuntimeServer next(RuntimeServer avoid) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < servers.length; i++) {
            RuntimeServer s = servers[i];
            if (s == avoid) continue;     // left out of this pick only: its score stays
            if (!s.acceptsNewTraffic()) {
                current[i] = 0;
                continue;
            }
            if (s.isFull()) continue;     // at its maxconn: skipped for this pick, its score stays
            int w = s.balancingWeight();      // the weight x 16, less while it ramps up (slowstart)
            current[i] += w;
            total += w;
            if (best < 0 || current[i] > current[best]) best = i;
        }
        if (best < 0) return null;
        current[best] -= total;
        return servers[best];
    }
}
