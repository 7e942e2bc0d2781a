package io.tidegate.engine.status;

import io.tidegate.engine.CookiePolicy;
import java.util.List;

/** One backend with its balancing algorithm, cookie persistence (null = none) and servers. */
public record BackendStatus(String name, String balance, CookiePolicy cookie, List<ServerStatus> servers) {
    public BackendStatus {
        servers = List.copyOf(servers);
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

    /** Requests waiting for a server slot. */
    public long queued() {
        return servers.stream().mapToLong(ServerStatus::queued).sum();
    }

    /** The persistence setting in configuration syntax ({@code cookie SERVERID insert indirect nocache}), empty if none. */
    public String persistence() {
        return cookie == null ? "" : cookie.configText();
    }
}
