package io.tidegate.control.jmx;

/**
 * {@code tidegate:type=Server,backend=B,name=S}: one server of a backend. Changes apply at once,
 * without a reload, and are kept across reload, redeploy and restart (health-check switch: across
 * reloads). Emits an {@code AttributeChangeNotification} when Health, State, Weight or
 * HealthChecksEnabled change.
 */
@Description("A server of a Tidegate backend: live weight, admin state (READY/DRAIN/MAINT), health and traffic counters")
public interface ServerMXBean extends LatencyPercentilesMXBean {

    @Description("Backend the server belongs to")
    String getBackend();

    @Description("Server name")
    String getName();

    @Description("Address traffic goes to (host:port)")
    String getAddress();

    @Description("True for a backup server (used only when no normal server of the backend is usable)")
    boolean isBackup();

    @Description("Value of the backend's persistence cookie that pins clients to this server; empty if none")
    String getCookie();

    @Description("Live weight 0..256 for round robin; 0 = no new load-balanced sessions. Writable; kept across reload and restart")
    int getWeight();

    void setWeight(int weight);

    @Description("Admin state: READY (takes traffic), DRAIN (no new sessions; clients holding its cookie and health checks continue), MAINT (nothing). Writable; kept across reload and restart")
    String getState();

    void setState(String state);

    @Description("Health as the checks see it: UP or DOWN (UP while its health checks are disabled)")
    String getHealth();

    @Description("False when an operator disabled this server's health checks")
    boolean isHealthChecksEnabled();

    @Description("Result of the last health check (e.g. L7OK 200); empty before the first one")
    String getLastCheck();

    @Description("Duration of the last health check in milliseconds; -1 before the first one")
    long getLastCheckDurationMillis();

    @Description("Requests in progress on this server now")
    long getCurrentSessions();

    @Description("Most requests this server had in progress at once since the configuration was loaded")
    long getMaxSessions();

    @Description("Requests waiting for a free slot on this server")
    long getQueueLength();

    @Description("Requests that waited in this server's queue longer than timeout queue and were answered 503 (log state sQ)")
    long getQueueTimeouts();

    @Description("Requests this server takes at once right now: its maxconn, or between minconn and maxconn following the backend's load; 0 = unlimited")
    int getConnectionLimit();

    @Description("Requests sent to this server since the configuration was loaded")
    long getTotalRequests();

    @Description("Responses with status 1xx (101 upgrades included)")
    long getResponses1xx();

    @Description("Responses with status 2xx")
    long getResponses2xx();

    @Description("Responses with status 3xx")
    long getResponses3xx();

    @Description("Responses with status 4xx")
    long getResponses4xx();

    @Description("Responses with status 5xx sent by the server (not the proxy's own 502/503)")
    long getResponses5xx();

    @Description("Failed attempts to connect to this server")
    long getConnectErrors();

    @Description("Connection attempts to this server repeated after a failure (retries)")
    long getRetries();

    @Description("Requests moved from this server to another one after connection failures (option redispatch)")
    long getRedispatches();

    @Description("Client connections that brought this server's persistence cookie value during the last 5 minutes (and the current one), each counted once, at its first request with it")
    long getCookieSessions();

    @Description("Requests that brought this server's persistence cookie value during the last 5 minutes (and the current one)")
    long getCookieRequests();

    @Description("Bytes received from clients for requests sent to this server")
    long getBytesIn();

    @Description("Bytes sent to clients for this server's responses")
    long getBytesOut();

    @Description("Put the server in READY state: it takes traffic again. Returns the new state")
    String ready();

    @Description("Put the server in DRAIN state: no new sessions, clients holding its persistence cookie are still served, health checks continue. Returns the new state")
    String drain();

    @Description("Put the server in MAINT state: it gets no traffic at all and is not health-checked. Returns the new state")
    String maint();

    @Description("Resume this server's health checks; its health follows them again")
    String enableHealthCheck();

    @Description("Stop this server's health checks; it counts as UP until they are enabled again")
    String disableHealthCheck();
}
