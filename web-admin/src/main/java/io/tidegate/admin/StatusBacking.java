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
        return snapshot().backends().stream().map(BackendRow::new).toList();
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
    public record BackendRow(BackendStatus status) {
        public String getName() {
            return status.name();
        }

        public String getBalance() {
            return status.balance();
        }

        public List<ServerRow> getServers() {
            return status.servers().stream().map(ServerRow::new).toList();
        }
    }

    /** A server as the page shows it. */
    public record ServerRow(ServerStatus status) {
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
