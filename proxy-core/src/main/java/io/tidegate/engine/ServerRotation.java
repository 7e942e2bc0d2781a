package io.tidegate.engine;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * Weighted round robin over a fixed list of servers ({@code balance roundrobin}): each pick returns
 * a server that takes new traffic, is not full and is not the avoided one. Two implementations with
 * the same guarantees for static weights (each server picked exactly its weight's share of every
 * cycle, picks spread out): nginx's loop, cheapest and the reference for small backends, and
 * virtual deadlines in a heap, which costs O(log n) instead of O(n) for backends of many servers.
 */
interface ServerRotation {
    /** Up to this many servers the O(n) loop is kept: it is as fast there and its order is the reference. */
    int LOOP_MAX_SERVERS = 32;

    /** The next usable, not full server other than {@code avoid} (null: no server avoided), or null. */
    RuntimeServer next(RuntimeServer avoid);

    /**
     * The rotation for {@code servers}. {@code changes} counts changes of the servers' weight or
     * eligibility (see {@link RuntimeBackend#balancingChanged()}); only the heap needs it.
     */
    static ServerRotation of(List<RuntimeServer> servers, IntSupplier changes) {
        if (servers.size() <= LOOP_MAX_SERVERS) return new SmoothWeightedRoundRobin(servers);
        return new DeadlineRoundRobin(servers, changes);
    }
}
