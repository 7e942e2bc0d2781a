package io.tidegate.net;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A map that outlives a deployment: kept in the system properties under a name, holding JDK types
 * only, so one deployment can leave sockets there for the next without keeping its class loader.
 * Shared by {@link ListenerParking} and {@link ConnectionParking}.
 */
final class JvmWideMap {

    private JvmWideMap() {
    }

    /** The map stored under {@code property}, made on first use. */
    @SuppressWarnings("unchecked")
    static ConcurrentMap<String, Object[]> named(String property) {
        synchronized (System.getProperties()) {
            Object o = System.getProperties().get(property);
            if (o instanceof ConcurrentMap<?, ?> m) return (ConcurrentMap<String, Object[]>) m;
            ConcurrentMap<String, Object[]> m = new ConcurrentHashMap<>();
            System.getProperties().put(property, m);
            return m;
        }
    }
}
