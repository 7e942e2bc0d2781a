package io.tidegate.control.jmx;

import io.tidegate.control.ServerManagement;
import io.tidegate.config.CookieSpec;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.ServerStatus;
import java.util.Locale;

/** The {@link BackendMXBean} of one backend; reads its live status through {@link ServerManagement}. */
final class BackendControl implements BackendMXBean {

    private final ServerManagement management;
    private final String name;
    private final LatencyPercentiles percentiles;

    BackendControl(ServerManagement management, String name) {
        this.management = management;
        this.name = name;
        this.percentiles = new LatencyPercentiles(() -> management.backendLatency(name));
    }

    private BackendStatus status() {
        return management.backend(name).orElseThrow(() -> new IllegalStateException("backend " + name + " is not running"));
    }

    @Override public String getName() { return name; }
    @Override public String getBalance() { return status().balance(); }
    @Override public String getPersistence() { return status().persistence(); }

    @Override
    public String getCookieName() {
        CookieSpec c = status().cookie();
        return c == null ? "" : c.name();
    }

    @Override
    public String getCookieMode() {
        CookieSpec c = status().cookie();
        return c == null ? "" : c.mode().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String[] getServers() {
        return status().servers().stream().map(ServerStatus::name).toArray(String[]::new);
    }

    @Override public int getUsableServers() { return status().usableServers(false); }
    @Override public int getUsableBackupServers() { return status().usableServers(true); }
    @Override public long getCurrentSessions() { return status().currentRequests(); }
    @Override public long getTotalRequests() { return status().totalRequests(); }
    @Override public long getQueueLength() { return status().queued(); }
    @Override public long getQueueTimeouts() { return status().queueTimeouts(); }

    @Override public double getResponseTimeP50Millis() { return percentiles.responseP50(); }

    @Override public double getResponseTimeP95Millis() { return percentiles.responseP95(); }

    @Override public double getResponseTimeP99Millis() { return percentiles.responseP99(); }

    @Override public double getTotalTimeP99Millis() { return percentiles.totalP99(); }

    @Override public double getConnectTimeP99Millis() { return percentiles.connectP99(); }

    @Override public double getQueueTimeP99Millis() { return percentiles.queueP99(); }
}
