package io.tidegate.engine;

import java.util.Arrays;
import java.util.List;

/**
 * The server of a hash key ({@code balance source|uri|url_param|hdr|rdp-cookie}) under
 * {@code hash-type map-based} (the key modulo the total weight of the usable servers: simple, but
 * when a server leaves most keys move) or {@code hash-type consistent} (a ring of points per server,
 * in proportion to its weight: when a server leaves only its own keys move, to the next server on
 * the ring).
 */
final class HashedChoice {
    /** Points on the ring per unit of weight. */
    static final int POINTS_PER_WEIGHT = 16;

    private final RuntimeServer[] servers;
    private final boolean consistent;
    private final long[] ring;
    private final RuntimeServer[] owners;

    HashedChoice(List<RuntimeServer> servers, boolean consistent) {
        this.servers = servers.toArray(new RuntimeServer[0]);
        this.consistent = consistent;
        if (!consistent) {
            ring = null;
            owners = null;
            return;
        }
        int points = 0;
        for (RuntimeServer s : this.servers) points += Math.max(1, s.plan().weight()) * POINTS_PER_WEIGHT;
        long[] hashes = new long[points];
        RuntimeServer[] who = new RuntimeServer[points];
        int n = 0;
        for (int i = 0; i < this.servers.length; i++) {
            RuntimeServer s = this.servers[i];
            // the points of a server depend on its name only: adding or removing another moves nothing of it
            long seed = mix(s.name().hashCode() * 0x9E3779B97F4A7C15L);
            for (int p = 0; p < Math.max(1, s.plan().weight()) * POINTS_PER_WEIGHT; p++) {
                hashes[n] = mix(seed + p * 0xC2B2AE3D27D4EB4FL);
                who[n++] = s;
            }
        }
        Integer[] order = new Integer[points];
        for (int i = 0; i < points; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
        ring = new long[points];
        owners = new RuntimeServer[points];
        for (int i = 0; i < points; i++) {
            ring[i] = hashes[order[i]];
            owners[i] = who[order[i]];
        }
    }

    /** The server of {@code key} among the usable, not avoided ones, or null when none is usable. */
    RuntimeServer pick(long key, RuntimeServer avoid) {
        return consistent ? onRing(mix(key), avoid) : mapped(key, avoid);
    }

    private RuntimeServer mapped(long key, RuntimeServer avoid) {
        long total = 0;
        for (RuntimeServer s : servers) if (usable(s, avoid)) total += Math.max(1, s.weight());
        if (total == 0) return null;
        long slot = Long.remainderUnsigned(key, total);
        for (RuntimeServer s : servers) {
            if (!usable(s, avoid)) continue;
            slot -= Math.max(1, s.weight());
            if (slot < 0) return s;
        }
        return null;
    }

    private RuntimeServer onRing(long h, RuntimeServer avoid) {
        if (ring.length == 0) return null;
        int i = Arrays.binarySearch(ring, h);
        if (i < 0) i = -i - 1;
        for (int k = 0; k < ring.length; k++) {
            RuntimeServer s = owners[(i + k) % ring.length];
            if (usable(s, avoid)) return s;
        }
        return null;
    }

    private static boolean usable(RuntimeServer s, RuntimeServer avoid) {
        return s != avoid && s.acceptsNewTraffic();
    }

    /** A 64-bit finaliser (MurmurHash3's fmix64): spreads keys over the ring. */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
