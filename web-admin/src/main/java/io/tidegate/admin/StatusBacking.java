package io.tidegate.admin;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tidegate.control.ServerManagement;
import io.tidegate.control.TidegateRuntime;
import io.tidegate.control.traffic.TrafficHistory;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ServerStatus;
import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Backing bean of the status page. The page polls {@link #refresh()} by ajax every two seconds and
 * re-renders the tables, so each poll reads one fresh snapshot of the engine.
 */
@Named
@ViewScoped
public class StatusBacking implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The span request rates are averaged over. */
    static final Duration RATE_SPAN = Duration.ofSeconds(10);

    @EJB
    private TidegateRuntime runtime;

    @Inject
    private ServerManagement management;

    @Inject
    private TrafficHistory traffic;

    private transient EngineStatus snapshot;
    private transient Instant takenAt;

    private EngineStatus snapshot() {
        if (snapshot == null) {
            snapshot = management.status().orElse(new EngineStatus(List.of(), List.of()));
            takenAt = Instant.now();
        }
        return snapshot;
    }

    /** The ajax poll: the next read takes a new snapshot. */
    public void refresh() {
        snapshot = null;
    }

    public List<FrontendRow> getFrontends() {
        return snapshot().frontends().stream().map(FrontendRow::new).toList();
    }

    /** The backend named {@code name} as the page shows it, or null. */
    public BackendRow backend(String name) {
        return getBackends().stream().filter(b -> b.getName().equals(name)).findFirst().orElse(null);
    }

    public List<BackendRow> getBackends() {
        EngineStatus s = snapshot();
        return s.backends().stream().map(b -> new BackendRow(b, traffic, takenAt, runtime::serverLatency)).toList();
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

    public String getUpdatedAt() {
        snapshot();
        return takenAt.toString();
    }

    /** A frontend as the page shows it. */
    public record FrontendRow(FrontendStatus status) {
        public String getName() { return status.name(); }
        public String getBindsText() { return String.join(", ", status.binds()); }
        public String getMode() { return status.mode(); }
        public long getCurrentSessions() { return status.currentSessions(); }
        public long getTotalSessions() { return status.totalSessions(); }
        public long getSessionRate() { return status.sessionRate(); }
        public long getBytesIn() { return status.bytesIn(); }
        public long getBytesOut() { return status.bytesOut(); }
        public long getRequestErrors() { return status.requestErrors(); }
    }

    /** A backend as the page shows it (Jakarta EL reads bean getters, not record accessors). */
    public record BackendRow(BackendStatus status, TrafficHistory traffic, Instant at,
                             io.tidegate.stats.LatencyLookup latency) {
        public String getName() { return status.name(); }
        public String getBalance() { return status.balance(); }
        public String getPersistence() { return status.persistence().isEmpty() ? "no persistence" : status.persistence(); }
        public long getCurrentRequests() { return status.currentRequests(); }
        public long getQueued() { return status.queued(); }
        public String getUsable() { return status.usableServers(false) + " + " + status.usableServers(true) + " backup"; }

        public List<ServerRow> getServers() {
            return status.servers().stream().map(s -> new ServerRow(status.name(), s, traffic, at,
                    latency.latency(status.name(), s.name()).orElse(null))).toList();
        }
    }

    /** A server as the page shows it, with its request rate and, while draining, the drain's progress. */
    public record ServerRow(String backend, ServerStatus status, TrafficHistory traffic, Instant at,
                            io.tidegate.engine.status.ServerLatency latency) {
        public String getKey() { return backend + "/" + status.name(); }
        public String getName() { return status.name(); }
        public String getAddress() { return status.address(); }
        public int getWeight() { return status.weight(); }
        public boolean isBackup() { return status.backup(); }
        public String getCookie() { return status.cookie() == null ? "" : status.cookie(); }
        public long getCurrentRequests() { return status.currentRequests(); }
        public long getMaxRequests() { return status.maxRequests(); }
        public long getQueued() { return status.queued(); }
        public long getTotalRequests() { return status.totalRequests(); }
        public long getBytesIn() { return status.bytesIn(); }
        public long getBytesOut() { return status.bytesOut(); }
        public boolean isChecksEnabled() { return status.healthChecksEnabled(); }
        public String getAdminState() { return status.adminState().name(); }

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

        /** UP / DOWN, with "(checks off)" when an operator disabled the health checks. */
        public String getHealth() {
            return status.health() + (status.healthChecksEnabled() ? "" : " (checks off)");
        }

        public String getHealthClass() {
            return status.up() ? "up" : "down";
        }

        /** The last check's verdict and reason as the checker reported it. */
        public String getLastCheck() {
            return status.lastCheckMillis() < 0 ? "not checked" : status.lastCheck();
        }

        public String getLastCheckDuration() {
            return status.lastCheckMillis() < 0 ? "" : status.lastCheckMillis() + " ms";
        }

        /** Client connections and requests that brought its cookie value (engine count, last minutes); empty without a value. */
        public String getCookieHolders() {
            var h = status.cookieHolders();
            return h.windowMinutes() == 0 ? "" : h.sessions() + " / " + h.requests();
        }

        public String getRate() {
            return String.format("%.1f/s", traffic.rate(backend, status.name(), RATE_SPAN, at));
        }

        public String getResponses() {
            var r = status.responses();
            return r.informational() + " / " + r.success() + " / " + r.redirection() + " / " + r.clientError() + " / " + r.serverError();
        }

        /**
         * While in DRAIN: the requests still in progress, the requests of cookie holders that arrived
         * in the last minute (a drained server gets no new sessions), and "idle" when both are zero;
         * with the client connections the engine saw bringing its cookie in the last minutes.
         */
        public String getDrainProgress() {
            if (status.adminState() != AdminState.DRAIN) {
                return "";
            }
            long holders = traffic.requestsDuring(backend, status.name(), TrafficHistory.WINDOW, at);
            if (status.currentRequests() == 0 && status.queued() == 0 && holders == 0) {
                return "idle: no requests in progress, no cookie holder arrived in the last minute";
            }
            var seen = status.cookieHolders();
            return "draining: " + status.currentRequests() + " in progress, " + holders
                    + " requests from cookie holders in the last minute"
                    + (seen.windowMinutes() == 0 ? "" : "; cookie holders in the last " + seen.windowMinutes() + " minutes: "
                    + seen.sessions() + " connections, " + seen.requests() + " requests");
        }
    }
}
