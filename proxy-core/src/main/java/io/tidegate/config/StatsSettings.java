package io.tidegate.config;

import java.util.List;

/**
 * The runtime API settings of the {@code global} section.
 *
 * @param sockets   {@code stats socket} lines, in order
 * @param timeoutMs {@code stats timeout T}: idle time of a CLI client, 0 = HAProxy's default (10 s)
 * @param maxconn   {@code stats maxconn N}: clients at once per socket, 0 = HAProxy's default (10)
 */
public record StatsSettings(List<StatsSocket> sockets, long timeoutMs, int maxconn) {
    public static final StatsSettings NONE = new StatsSettings(List.of(), 0, 0);
    public static final long DEFAULT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAXCONN = 10;

    public StatsSettings {
        sockets = sockets == null ? List.of() : List.copyOf(sockets);
    }

    public long effectiveTimeoutMs() {
        return timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
    }

    public int effectiveMaxconn() {
        return maxconn > 0 ? maxconn : DEFAULT_MAXCONN;
    }

    public StatsSettings withSocket(StatsSocket s) {
        List<StatsSocket> l = new java.util.ArrayList<>(sockets);
        l.add(s);
        return new StatsSettings(l, timeoutMs, maxconn);
    }

    public StatsSettings withTimeoutMs(long ms) {
        return new StatsSettings(sockets, ms, maxconn);
    }

    public StatsSettings withMaxconn(int n) {
        return new StatsSettings(sockets, timeoutMs, n);
    }
}
