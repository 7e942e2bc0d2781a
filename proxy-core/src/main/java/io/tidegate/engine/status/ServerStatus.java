package io.tidegate.engine.status;

/** One server: address host:port, weight, backup flag, persistence cookie value (null if none) and request counters. */
public record ServerStatus(String name, String address, int weight, boolean backup, String cookie,
                           long currentRequests, long totalRequests) {
}
