package io.tidegate.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections to one server, tracked only in backends where a health transition must end
 * them ({@code on-marked-down shutdown-sessions}, {@code on-marked-up shutdown-backup-sessions}):
 * a connection is added when it is established and removed when it closes, not per request.
 * Thread-safe.
 */
final class OpenConnections {
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();

    void add(ServerConnection c) {
        connections.add(c);
    }

    void remove(ServerConnection c) {
        connections.remove(c);
    }

    int size() {
        return connections.size();
    }

    /**
     * Ends every connection on its own IO thread: the server gets a FIN and the session using the
     * connection sees it end, as when a server goes away (HAProxy kills these sessions).
     */
    void shutDownAll() {
        for (ServerConnection c : connections) {
            c.ioThread().execute(c::shutDown);
        }
    }
}
