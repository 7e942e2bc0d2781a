package io.tidegate.engine.status;

import java.util.List;

/** One backend with its balancing algorithm and servers. */
public record BackendStatus(String name, String balance, List<ServerStatus> servers) {
    public BackendStatus {
        servers = List.copyOf(servers);
    }
}
