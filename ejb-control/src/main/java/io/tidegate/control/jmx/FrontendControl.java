package io.tidegate.control.jmx;

import io.tidegate.control.ServerManagement;
import io.tidegate.engine.status.FrontendStatus;

/** The {@link FrontendMXBean} of one frontend; reads its live status through {@link ServerManagement}. */
final class FrontendControl implements FrontendMXBean {

    private final ServerManagement management;
    private final String name;

    FrontendControl(ServerManagement management, String name) {
        this.management = management;
        this.name = name;
    }

    private FrontendStatus status() {
        return management.frontend(name).orElseThrow(() -> new IllegalStateException("frontend " + name + " is not running"));
    }

    @Override public String getName() { return name; }
    @Override public String[] getBinds() { return status().binds().toArray(String[]::new); }
    @Override public String getMode() { return status().mode(); }
    @Override public long getCurrentSessions() { return status().currentSessions(); }
    @Override public long getTotalSessions() { return status().totalSessions(); }
    @Override public long getSessionRate() { return status().sessionRate(); }
    @Override public long getBytesIn() { return status().bytesIn(); }
    @Override public long getBytesOut() { return status().bytesOut(); }
    @Override public long getRequestErrors() { return status().requestErrors(); }
}
