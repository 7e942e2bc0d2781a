package io.tidegate.admin;

import java.util.List;

import io.tidegate.control.TidegateRuntime;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ServerStatus;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** Backing bean of the status page: one snapshot of the engine per request. */
@Named
@RequestScoped
public class StatusBacking {

    @EJB
    private TidegateRuntime runtime;

    private EngineStatus snapshot;

    private EngineStatus snapshot() {
        if (snapshot == null) {
            snapshot = runtime.status().orElse(new EngineStatus(List.of(), List.of()));
        }
        return snapshot;
    }

    public List<FrontendRow> getFrontends() {
        return snapshot().frontends().stream().map(FrontendRow::new).toList();
    }

    public List<BackendRow> getBackends() {
        return snapshot().backends().stream().map(b -> new BackendRow(b, runtime::serverLatency)).toList();
    }

    public String getProblem() {
        return runtime.problem().orElse("");
    }

    public String getConfigPath() {
        return runtime.configPath().toString();
    }

    public String getVersion() {
        return runtime.version();
    }

    /** A frontend as the page shows it (binds joined for display). */
    public record FrontendRow(FrontendStatus status) {
        public String getName() {
            return status.name();
        }

        public String getBindsText() {
            return String.join(", ", status.binds());
        }

        public String getMode() {
            return status.mode();
        }

        public long getCurrentSessions() {
            return status.currentSessions();
        }

        public long getTotalSessions() {
            return status.totalSessions();
        }
    }

    /** A backend as the page shows it (Jakarta EL 5 reads bean getters, not record accessors). */
    public record BackendRow(BackendStatus status, io.tidegate.stats.LatencyLookup latency) {
        public BackendRow(BackendStatus status) {
            this(status, null);
        }

        public String getName() {
            return status.name();
        }

        public String getBalance() {
            return status.balance();
        }

        public List<ServerRow> getServers() {
            return status.servers().stream().map(s -> new ServerRow(s,
                    latency == null ? null : latency.latency(status.name(), s.name()).orElse(null))).toList();
        }
    }

    /** A server as the page shows it. */
    public record ServerRow(ServerStatus status, io.tidegate.engine.status.ServerLatency latency) {
        public ServerRow(ServerStatus status) {
            this(status, null);
        }

        /** Median response time in ms (request sent to response head), empty before the first exchange. */
        public String getResponseP50() {
            return percentile(0.50);
        }

        /** 99th percentile of the response time in ms, empty before the first exchange. */
        public String getResponseP99() {
            return percentile(0.99);
        }

        private String percentile(double q) {
            if (latency == null || latency.response().count() == 0) return "";
            return String.format(java.util.Locale.ROOT, "%.1f", latency.response().quantileSeconds(q) * 1000);
        }

        public String getName() {
            return status.name();
        }

        public String getAddress() {
            return status.address();
        }

        public int getWeight() {
            return status.weight();
        }

        public boolean isBackup() {
            return status.backup();
        }

        public String getCookie() {
            return status.cookie() == null ? "" : status.cookie();
        }

        public long getCurrentRequests() {
            return status.currentRequests();
        }

        public long getTotalRequests() {
            return status.totalRequests();
        }

        /** UP / DOWN, with "(checks off)" when an operator disabled the health checks. */
        public String getHealth() {
            return status.health() + (status.healthChecksEnabled() ? "" : " (checks off)");
        }

        public String getAdminState() {
            return status.adminState().name();
        }

        public String getLastCheck() {
            return status.lastCheckMillis() < 0 ? "" : status.lastCheck() + " (" + status.lastCheckMillis() + " ms)";
        }
    }
}
