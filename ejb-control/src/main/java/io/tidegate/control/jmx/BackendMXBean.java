package io.tidegate.control.jmx;

/** {@code tidegate:type=Backend,name=B}: a backend (or the backend half of a listen section). */
@Description("A Tidegate backend: its servers, how many can take traffic, persistence settings and load")
public interface BackendMXBean extends LatencyPercentilesMXBean {

    @Description("Backend name")
    String getName();

    @Description("Balancing algorithm")
    String getBalance();

    @Description("Cookie persistence as configured (e.g. 'cookie SERVERID insert indirect nocache'); empty when none")
    String getPersistence();

    @Description("Persistence cookie name; empty when none")
    String getCookieName();

    @Description("Persistence mode: insert or prefix; empty when none")
    String getCookieMode();

    @Description("Names of its servers, in configuration order")
    String[] getServers();

    @Description("Normal servers load balancing may choose now (up, READY, weight above 0)")
    int getUsableServers();

    @Description("Backup servers load balancing may choose now")
    int getUsableBackupServers();

    @Description("Requests in progress on its servers")
    long getCurrentSessions();

    @Description("Requests sent to its servers since the configuration was loaded")
    long getTotalRequests();

    @Description("Requests waiting for a server slot")
    long getQueueLength();

    @Description("Requests answered 503 after waiting longer than timeout queue for a server slot (log state sQ)")
    long getQueueTimeouts();
}
