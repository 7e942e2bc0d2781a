package io.tidegate.control.jmx;

import java.util.Locale;

import io.tidegate.control.ServerManagement;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.status.ServerStatus;

/** The {@link ServerMXBean} of one backend/server; reads and changes go through {@link ServerManagement}, changes as "JMX: user". */
final class ServerControl implements ServerMXBean {

    private final ServerManagement management;
    private final String backend;
    private final String name;
    private final LatencyPercentiles percentiles;

    ServerControl(ServerManagement management, String backend, String name) {
        this.management = management;
        this.backend = backend;
        this.name = name;
        this.percentiles = new LatencyPercentiles(() -> management.latency(backend, name));
    }

    private ServerStatus status() {
        return management.server(backend, name).orElseThrow(
                () -> new IllegalStateException("server " + backend + "/" + name + " is not running"));
    }

    @Override public String getBackend() { return backend; }
    @Override public String getName() { return name; }
    @Override public String getAddress() { return status().address(); }
    @Override public boolean isBackup() { return status().backup(); }

    @Override
    public String getCookie() {
        String c = status().cookie();
        return c == null ? "" : c;
    }

    @Override public int getWeight() { return status().weight(); }
    @Override public void setWeight(int weight) { management.setWeight(JmxCaller.current(), backend, name, weight); }
    @Override public String getState() { return status().adminState().name(); }

    @Override
    public void setState(String state) {
        AdminState parsed;
        try {
            parsed = AdminState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("state must be READY, DRAIN or MAINT, not '" + state + "'");
        }
        management.setAdminState(JmxCaller.current(), backend, name, parsed);
    }

    @Override public String getHealth() { return status().health(); }
    @Override public boolean isHealthChecksEnabled() { return status().healthChecksEnabled(); }
    @Override public String getLastCheck() { return status().lastCheck(); }
    @Override public long getLastCheckDurationMillis() { return status().lastCheckMillis(); }
    @Override public long getCurrentSessions() { return status().currentRequests(); }
    @Override public long getMaxSessions() { return status().maxRequests(); }
    @Override public long getQueueLength() { return status().queued(); }
    @Override public long getQueueTimeouts() { return status().queueTimeouts(); }
    @Override public int getConnectionLimit() { return status().limit(); }
    @Override public long getTotalRequests() { return status().totalRequests(); }
    @Override public long getResponses1xx() { return status().responses().informational(); }
    @Override public long getResponses2xx() { return status().responses().success(); }
    @Override public long getResponses3xx() { return status().responses().redirection(); }
    @Override public long getResponses4xx() { return status().responses().clientError(); }
    @Override public long getResponses5xx() { return status().responses().serverError(); }
    @Override public long getConnectErrors() { return status().connectErrors(); }
    @Override public long getRetries() { return status().retries(); }
    @Override public long getRedispatches() { return status().redispatches(); }
    @Override public long getCookieSessions() { return status().cookieHolders().sessions(); }
    @Override public long getCookieRequests() { return status().cookieHolders().requests(); }
    @Override public long getBytesIn() { return status().bytesIn(); }
    @Override public long getBytesOut() { return status().bytesOut(); }

    @Override public String ready() { return changeState(AdminState.READY); }
    @Override public String drain() { return changeState(AdminState.DRAIN); }
    @Override public String maint() { return changeState(AdminState.MAINT); }

    private String changeState(AdminState state) {
        management.setAdminState(JmxCaller.current(), backend, name, state);
        return backend + "/" + name + " is now " + state;
    }

    @Override
    public String enableHealthCheck() {
        management.setHealthChecks(JmxCaller.current(), backend, name, true);
        return backend + "/" + name + ": health checks enabled";
    }

    @Override
    public String disableHealthCheck() {
        management.setHealthChecks(JmxCaller.current(), backend, name, false);
        return backend + "/" + name + ": health checks disabled, the server counts as UP";
    }

    @Override public double getResponseTimeP50Millis() { return percentiles.responseP50(); }

    @Override public double getResponseTimeP95Millis() { return percentiles.responseP95(); }

    @Override public double getResponseTimeP99Millis() { return percentiles.responseP99(); }

    @Override public double getTotalTimeP99Millis() { return percentiles.totalP99(); }

    @Override public double getConnectTimeP99Millis() { return percentiles.connectP99(); }

    @Override public double getQueueTimeP99Millis() { return percentiles.queueP99(); }
}
