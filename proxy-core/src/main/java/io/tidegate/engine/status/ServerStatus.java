package io.tidegate.engine.status;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.tidegate.engine.AdminState;

/**
 * One server, as the admin page and JMX show it.
 *
 * @param name                server name
 * @param address             host:port
 * @param weight              live weight (0..256)
 * @param backup              a backup server
 * @param cookie              persistence cookie value, null if none
 * @param currentRequests     requests in progress on it
 * @param totalRequests       requests sent to it since the engine started
 * @param up                  health: true unless health checks report it down (always true while checks are disabled)
 * @param adminState          operator's state READY / DRAIN / MAINT
 * @param healthChecksEnabled false when an operator disabled its health checks
 * @param lastCheck           the last health check's result as text, empty before the first
 * @param lastCheckMillis     the last health check's duration in ms, -1 before the first
 * @param maxRequests         the most requests it had in progress at once
 * @param queued              requests waiting for a slot on it
 * @param responses           its responses by status class
 * @param connectErrors       failed connection attempts
 * @param retries             connection attempts repeated after a failure
 * @param redispatches        requests moved away from it to another server ({@code option redispatch})
 * @param bytesIn             bytes received from clients for requests sent to it
 * @param bytesOut            bytes sent to clients for its responses
 * @param queueTimeouts       requests that waited in its queue longer than {@code timeout queue} (answered 503)
 * @param limit               its concurrency limit now ({@code maxconn}, or between minconn and maxconn
 *                            following the backend's load), 0 = unlimited
 * @param cookieHolders       clients and requests that brought its persistence cookie value recently
 * @param stopping            up but taking no new load-balanced traffic (HAProxy's NOLB: a 404 under
 *                            {@code http-check disable-on-404}, or {@code set server B/S health stopping})
 */
@RecordBuilder
public record ServerStatus(String name, String address, int weight, boolean backup, String cookie,
                           long currentRequests, long totalRequests,
                           boolean up, AdminState adminState, boolean healthChecksEnabled,
                           String lastCheck, long lastCheckMillis,
                           long maxRequests, long queued, ResponseCounts responses,
                           long connectErrors, long retries, long redispatches, long bytesIn, long bytesOut,
                           long queueTimeouts, int limit, CookieHolders cookieHolders, boolean stopping)
        implements ServerStatusBuilder.With {

    public ServerStatus {
        cookieHolders = cookieHolders == null ? CookieHolders.NONE : cookieHolders;
    }

    /** {@code UP}, {@code NOLB} (up but stopping) or {@code DOWN}. */
    public String health() {
        return !up ? "DOWN" : stopping ? "NOLB" : "UP";
    }

    /** May be chosen by load balancing right now (up, not stopping, READY, weight above 0). */
    public boolean usable() {
        return up && !stopping && adminState == AdminState.READY && weight > 0;
    }
}
