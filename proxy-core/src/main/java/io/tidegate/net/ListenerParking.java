package io.tidegate.net;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Listening sockets handed from a Tidegate being undeployed to the next one (an EAR upgrade), so
 * that no connection is refused in between: clients wait in the kernel's backlog until the new
 * deployment claims the socket and accepts them.
 *
 * <p>The holder must outlive the deployment's class loader without keeping it alive, so everything
 * in it is a JDK type: a {@code ConcurrentHashMap<String, Object[]>} stored in the system properties
 * under {@link #PROPERTY}, keyed by the configured address ({@code host:port}), each value a
 * one-element array holding the {@code ServerSocketChannel} (a new array per parking, so the timeout
 * of an earlier parking of the same socket never closes it once it was claimed and parked again). An
 * unclaimed socket is closed after a timeout by a task made only of JDK objects (a method-handle
 * proxy run by {@code CompletableFuture.delayedExecutor}, see {@link ParkingTimeout}), so no Tidegate class or thread stays
 * behind. (JNDI cannot hold it: WildFly drops a deployment's bindings at undeploy.)
 */
public final class ListenerParking {
    /** The system property holding the parked sockets. */
    public static final String PROPERTY = "io.tidegate.parked-listeners";
    /** How long an unclaimed socket stays parked before it is closed. */
    public static final long DEFAULT_TIMEOUT_MS = 15_000;

    private ListenerParking() {
    }

    private static ConcurrentMap<String, Object[]> holder() {
        return JvmWideMap.named(PROPERTY);
    }

    /**
     * Parks {@code channel} (open, bound, non-blocking, registered with no selector any more) under
     * {@code address}; it is closed after {@code timeoutMs} unless claimed. A socket parked before
     * under the same key and never claimed is closed now.
     */
    public static void park(String address, ServerSocketChannel channel, long timeoutMs) {
        ConcurrentMap<String, Object[]> m = holder();
        Object[] parking = {channel};
        Object[] before = m.put(address, parking);
        if (before != null && before[0] instanceof ServerSocketChannel b && b != channel) closeQuietly(b);
        ParkingTimeout.closeUnclaimed(m, address, parking, timeoutMs, channel);
    }

    /** The socket parked under {@code address}, taken out of the holder; null when none is parked. */
    public static ServerSocketChannel claim(String address) {
        Object o = System.getProperties().get(PROPERTY);
        if (!(o instanceof ConcurrentMap<?, ?> m)) return null;
        Object v = m.remove(address);
        if (v instanceof Object[] a && a.length == 1 && a[0] instanceof ServerSocketChannel s && s.isOpen()) return s;
        return null;
    }

    /** The addresses parked now (tests, logs). */
    public static java.util.Set<String> parked() {
        Object o = System.getProperties().get(PROPERTY);
        if (!(o instanceof Map<?, ?> m)) return java.util.Set.of();
        java.util.Set<String> s = new java.util.TreeSet<>();
        for (Object k : m.keySet()) s.add(String.valueOf(k));
        return s;
    }

    /** Closes every parked socket now (a deployment that knows nobody will claim them). */
    public static void closeAll() {
        Object o = System.getProperties().get(PROPERTY);
        if (!(o instanceof Map<?, ?> m)) return;
        for (Object k : m.keySet().toArray()) {
            Object v = m.remove(k);
            if (v instanceof Object[] a && a.length == 1 && a[0] instanceof ServerSocketChannel s) closeQuietly(s);
        }
    }

    private static void closeQuietly(ServerSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
