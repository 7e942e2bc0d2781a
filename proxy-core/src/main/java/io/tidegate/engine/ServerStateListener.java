package io.tidegate.engine;

/**
 * Told after a server's health, admin state, weight or health-check switch changed (JMX notifications,
 * state persistence). Called on the thread that made the change, which may be an IO thread: it must
 * not block. A listener that throws is logged and does not stop the others.
 */
@FunctionalInterface
public interface ServerStateListener {

    void serverStateChanged(ServerStateChange change);
}
