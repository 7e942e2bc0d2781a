package io.tidegate.net;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open connections handed from a Tidegate being undeployed to the next one (an EAR upgrade), next to
 * the listening sockets of {@link ListenerParking}: upgraded (101) and {@code mode tcp} tunnels,
 * each with both of its sockets (client and server side) and the bytes the old deployment had read
 * but not yet forwarded, so the next deployment relays on where the old one stopped.
 *
 * <p>As in {@link ListenerParking}, everything in the holder is a JDK type (a
 * {@code ConcurrentHashMap<String, Object[]>} in the system properties under {@link #PROPERTY}), so
 * it keeps no deployment class loader alive; a tunnel nobody claims within its timeout has both
 * sockets closed by a JDK-only task ({@link ParkingTimeout}).
 */
public final class ConnectionParking {
    /** The system property holding the parked connections. */
    public static final String PROPERTY = "io.tidegate.parked-connections";
    private static final String TUNNEL = "tunnel";
    /** A JVM-wide sequence would need a JDK holder too: the key only has to be unique while parked. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ConnectionParking() {
    }

    /**
     * A tunnel between two deployments: both sockets (open, non-blocking, registered with no
     * selector), the bytes read from the client not yet written to the server and the reverse, and
     * where it ran (names, so the next deployment counts it against the same frontend and server).
     */
    public record Tunnel(SocketChannel client, SocketChannel server, byte[] toServer, byte[] toClient,
                         String frontend, String backend, String serverName, long tunnelTimeoutMs) {
    }

    private static ConcurrentMap<String, Object[]> holder() {
        return JvmWideMap.named(PROPERTY);
    }

    /** Parks {@code t}; both of its sockets are closed after {@code timeoutMs} unless it is claimed. */
    public static void park(Tunnel t, long timeoutMs) {
        Object[] parking = {TUNNEL, t.client(), t.server(), t.toServer(), t.toClient(), t.frontend(), t.backend(),
                t.serverName(), t.tunnelTimeoutMs()};
        String key = TUNNEL + "-" + System.nanoTime() + "-" + SEQUENCE.incrementAndGet() + "-"
                + System.identityHashCode(t.client());
        ConcurrentMap<String, Object[]> m = holder();
        m.put(key, parking);
        ParkingTimeout.closeUnclaimed(m, key, parking, timeoutMs, t.client(), t.server());
    }

    /** Every tunnel parked now whose sockets are still open, taken out of the holder (closed ones are dropped). */
    public static List<Tunnel> claimTunnels() {
        Object o = System.getProperties().get(PROPERTY);
        if (!(o instanceof ConcurrentMap<?, ?> m)) return List.of();
        List<Tunnel> claimed = new ArrayList<>();
        for (Object k : m.keySet().toArray()) {
            Object v = m.remove(k);
            if (!(v instanceof Object[] a) || a.length != 9 || !TUNNEL.equals(a[0])) continue;
            if (a[1] instanceof SocketChannel c && a[2] instanceof SocketChannel s && a[3] instanceof byte[] up
                    && a[4] instanceof byte[] down && a[8] instanceof Long timeout) {
                if (c.isOpen() && s.isOpen()) {
                    claimed.add(new Tunnel(c, s, up, down, (String) a[5], (String) a[6], (String) a[7], timeout));
                } else {
                    closeQuietly(c);
                    closeQuietly(s);
                }
            }
        }
        return claimed;
    }

    /** How many connections are parked now (tests, logs). */
    public static int parkedCount() {
        Object o = System.getProperties().get(PROPERTY);
        return o instanceof Map<?, ?> m ? m.size() : 0;
    }

    /** Closes every parked connection now. */
    public static void closeAll() {
        for (Tunnel t : claimTunnels()) {
            closeQuietly(t.client());
            closeQuietly(t.server());
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
