package io.tidegate.engine.status;

import io.tidegate.config.CookieSpec;
import java.util.List;

/**
 * One backend with its balancing algorithm, cookie persistence (null = none) and servers.
 *
 * @param waitingForAnyServer   requests in the backend's queue (waiting for whichever server frees a slot first)
 * @param anyServerQueueTimeouts requests of the backend's queue that waited longer than {@code timeout queue}
 */
public record BackendStatus(String name, String balance, CookieSpec cookie, List<ServerStatus> servers,
                            long waitingForAnyServer, long anyServerQueueTimeouts) {
    public BackendStatus {
        servers = List.copyOf(servers);
    }

    /** Without a backend queue. */
    public BackendStatus(String name, String balance, CookieSpec cookie, List<ServerStatus> servers) {
        this(name, balance, cookie, servers, 0, 0);
    }

    /** Servers load balancing may choose now: {@code backup} false counts normal servers, true backups. */
    public int usableServers(boolean backup) {
        return (int) servers.stream().filter(s -> s.backup() == backup && s.usable()).count();
    }

    /** Requests in progress on all its servers. */
    public long currentRequests() {
        return servers.stream().mapToLong(ServerStatus::currentRequests).sum();
    }

    public long totalRequests() {
        return servers.stream().mapToLong(ServerStatus::totalRequests).sum();
    }

    /** Requests waiting for a server slot: in the backend's queue and in its servers' queues. */
    public long queued() {
        return waitingForAnyServer + servers.stream().mapToLong(ServerStatus::queued).sum();
    }

    /** Requests answered 503 after waiting longer than {@code timeout queue}, in any of its queues. */
    public long queueTimeouts() {
        return anyServerQueueTimeouts + servers.stream().mapToLong(ServerStatus::queueTimeouts).sum();
    }

    /** The persistence setting in configuration syntax ({@code cookie SERVERID insert indirect nocache}), empty if none. */
    public String persistence() {
        return cookie == null ? "" : cookie.configText();
    }
}
