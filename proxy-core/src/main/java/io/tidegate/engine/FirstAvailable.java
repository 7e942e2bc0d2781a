package io.tidegate.engine;

import java.util.List;

/**
 * {@code balance first}: the first server, in configuration order, that is usable and below its
 * maxconn; the next one takes over only when it is full.
 */
final class FirstAvailable implements ServerRotation {
    private final RuntimeServer[] servers;

    FirstAvailable(List<RuntimeServer> servers) {
        this.servers = servers.toArray(new RuntimeServer[0]);
    }

    @Override
    public RuntimeServer next(RuntimeServer avoid) {
        for (RuntimeServer s : servers) {
            if (s != avoid && s.acceptsNewTraffic() && !s.isFull()) return s;
        }
        return null;
    }
}
