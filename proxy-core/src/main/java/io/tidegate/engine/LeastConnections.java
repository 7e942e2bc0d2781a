package io.tidegate.engine;

import java.util.List;

/**
 * {@code balance leastconn}: the usable, not full server with the fewest requests in progress
 * relative to its weight; servers that tie take turns. O(n) per pick.
 */
final class LeastConnections implements ServerRotation {
    private final RuntimeServer[] servers;
    private int start;

    LeastConnections(List<RuntimeServer> servers) {
        this.servers = servers.toArray(new RuntimeServer[0]);
    }

    @Override
    public synchronized RuntimeServer next(RuntimeServer avoid) {
        RuntimeServer best = null;
        long bestNum = 0;
        long bestDen = 1;
        int n = servers.length;
        for (int k = 0; k < n; k++) {
            RuntimeServer s = servers[(start + k) % n];
            if (s == avoid || !s.acceptsNewTraffic() || s.isFull()) continue;
            long w = Math.max(1, s.balancingWeight());
            long c = s.counters().current() + s.queue().length();
            // c / w < bestNum / bestDen, compared without division
            if (best == null || c * bestDen < bestNum * w) {
                best = s;
                bestNum = c;
                bestDen = w;
            }
        }
        if (n > 0) start = (start + 1) % n;
        return best;
    }
}
