package io.tidegate.engine;

/**
 * Told when an operator forces a server's health ({@link Engine#forceServerHealth}), so that the
 * server's health checker counts its next checks from the forced state, as HAProxy does.
 */
@FunctionalInterface
public interface ForcedHealthListener {
    void healthForced(String backend, String server, ForcedHealth health);
}
