package io.tidegate.engine;

import io.tidegate.config.Config;
import io.tidegate.config.ProxySection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long the graph a reload replaces may keep its exchanges: per frontend its {@code grace}
 * (after it, its sessions end politely: idle ones close, busy ones after their exchange), and
 * globally {@code hard-stop-after} (after it, whatever is left is closed). 0 = no bound.
 *
 * @param graceMs         by frontend name (of the graph being replaced), missing = 0
 * @param hardStopAfterMs global bound, 0 = none
 */
public record ReloadLimits(Map<String, Long> graceMs, long hardStopAfterMs) {
    public static final ReloadLimits NONE = new ReloadLimits(Map.of(), 0);

    public ReloadLimits {
        graceMs = Map.copyOf(graceMs);
        if (hardStopAfterMs < 0) throw new IllegalArgumentException("hardStopAfterMs < 0");
    }

    /** The limits written in a configuration: each frontend's effective {@code grace}, global {@code hard-stop-after}. */
    public static ReloadLimits of(Config config) {
        Map<String, Long> grace = new LinkedHashMap<>();
        for (ProxySection p : config.frontends()) {
            Duration g = config.effective(p).grace();
            if (g != null && !g.isZero()) grace.put(p.name(), Math.max(1, g.toMillis()));
        }
        Duration hard = config.global().hardStopAfter();
        return new ReloadLimits(grace, hard == null ? 0 : Math.max(1, hard.toMillis()));
    }

    /** How long an engine that stops for an upgrade waits for exchanges in flight when nothing is configured. */
    public static final long DEFAULT_DRAIN_MS = 10_000;

    /**
     * How long stopping (undeploy, WildFly stop) waits for exchanges in flight: the longest
     * {@code grace}, else {@code hard-stop-after}, else {@link #DEFAULT_DRAIN_MS}.
     */
    public long drainMs() {
        long max = 0;
        for (long g : graceMs.values()) max = Math.max(max, g);
        if (max > 0) return max;
        return hardStopAfterMs > 0 ? hardStopAfterMs : DEFAULT_DRAIN_MS;
    }

    long graceMs(String frontend) {
        return graceMs.getOrDefault(frontend, 0L);
    }
}
