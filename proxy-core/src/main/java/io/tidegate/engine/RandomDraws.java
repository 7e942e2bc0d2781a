package io.tidegate.engine;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code balance random[(DRAWS)]}: DRAWS servers drawn at random in proportion to their weights
 * (default 2), the least loaded of them wins ("power of two choices").
 */
final class RandomDraws implements ServerRotation {
    private final RuntimeServer[] servers;
    private final int draws;

    RandomDraws(List<RuntimeServer> servers, int draws) {
        this.servers = servers.toArray(new RuntimeServer[0]);
        this.draws = Math.max(1, draws);
    }

    @Override
    public RuntimeServer next(RuntimeServer avoid) {
        long total = 0;
        for (RuntimeServer s : servers) {
            if (s != avoid && s.acceptsNewTraffic() && !s.isFull()) total += Math.max(1, s.balancingWeight());
        }
        if (total == 0) return null;
        RuntimeServer best = null;
        for (int d = 0; d < draws; d++) {
            long r = ThreadLocalRandom.current().nextLong(total);
            for (RuntimeServer s : servers) {
                if (s == avoid || !s.acceptsNewTraffic() || s.isFull()) continue;
                r -= Math.max(1, s.balancingWeight());
                if (r < 0) {
                    if (best == null || s.counters().current() < best.counters().current()) best = s;
                    break;
                }
            }
        }
        return best;
    }
}
