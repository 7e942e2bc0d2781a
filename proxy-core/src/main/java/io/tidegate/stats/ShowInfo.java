package io.tidegate.stats;

import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.FrontendStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code show info}: HAProxy's {@code Key: value} lines, in HAProxy 2.6's order. Keys of features
 * Tidegate does not have (SSL, pipes, compression, peers) report 0, which is what they are; keys
 * about HAProxy's memory pools are left out rather than made up. hatop requires {@code Tasks} and
 * {@code Run_queue}: Tidegate reports its client sessions and the requests waiting for a server slot.
 */
public final class ShowInfo {
    private ShowInfo() {
    }

    /** The keys and values, in order. */
    public static Map<String, String> fields(StatsSnapshot s) {
        StatsSnapshot.Process p = s.process();
        long uptime = Math.max(0, Duration.between(p.started(), s.now()).getSeconds());
        long curr = 0, cum = 0, rate = 0, bytesOut = 0;
        int listeners = 0;
        for (FrontendStatus f : s.status().frontends()) {
            curr += f.currentSessions();
            cum += f.totalSessions();
            rate += f.sessionRate();
            bytesOut += f.bytesOut();
            listeners += f.binds().size();
        }
        long req = 0;
        for (BackendStatus b : s.status().backends()) req += b.totalRequests();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Name", p.name());
        m.put("Version", p.version());
        m.put("Release_date", releaseDate());
        m.put("Nbthread", Integer.toString(p.nbthread()));
        m.put("Nbproc", "1");
        m.put("Process_num", "1");
        m.put("Pid", Long.toString(ProcessHandle.current().pid()));
        m.put("Uptime", uptimeText(uptime));
        m.put("Uptime_sec", Long.toString(uptime));
        m.put("Maxconn", Integer.toString(p.maxconn()));
        m.put("Hard_maxconn", Integer.toString(p.maxconn()));
        m.put("CurrConns", Long.toString(curr));
        m.put("CumConns", Long.toString(cum));
        m.put("CumReq", Long.toString(req));
        for (String k : new String[] {"MaxSslConns", "CurrSslConns", "CumSslConns", "Maxpipes", "PipesUsed", "PipesFree"}) m.put(k, "0");
        m.put("ConnRate", Long.toString(rate));
        m.put("ConnRateLimit", "0");
        m.put("SessRate", Long.toString(rate));
        m.put("SessRateLimit", "0");
        for (String k : new String[] {"SslRate", "SslRateLimit", "MaxSslRate", "SslFrontendKeyRate", "SslFrontendMaxKeyRate",
                "SslFrontendSessionReuse_pct", "SslBackendKeyRate", "SslBackendMaxKeyRate", "SslCacheLookups", "SslCacheMisses",
                "CompressBpsIn", "CompressBpsOut", "CompressBpsRateLim"}) m.put(k, "0");
        long queued = 0;
        for (BackendStatus b : s.status().backends()) queued += b.queued();
        m.put("Tasks", Long.toString(curr));            // a client session is Tidegate's unit of work
        m.put("Run_queue", Long.toString(queued));      // requests waiting for a server slot
        m.put("node", p.node());
        m.put("Stopping", "0");
        m.put("Listeners", Integer.toString(listeners));
        m.put("ActivePeers", "0");
        m.put("ConnectedPeers", "0");
        m.put("TotalBytesOut", Long.toString(bytesOut));
        m.put("Start_time_sec", Long.toString(p.started().getEpochSecond()));
        return m;
    }

    /** The answer: one {@code Key: value} line each. */
    public static String format(StatsSnapshot s) {
        StringBuilder sb = new StringBuilder(1024);
        fields(s).forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    private static final String RELEASE_DATE = readReleaseDate();

    /**
     * HAProxy prints its release date ({@code 2026/10/17}); Tidegate the date its engine was built
     * (tools such as hatop require the key), {@code unknown} when the build did not record it.
     */
    static String releaseDate() {
        return RELEASE_DATE;
    }

    private static String readReleaseDate() {
        try (var in = ShowInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) return "unknown";
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            String d = p.getProperty("release.date", "");
            return d.isBlank() || d.startsWith("$") ? "unknown" : d;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** HAProxy's {@code Uptime}: {@code 0d 0h00m05s}. */
    static String uptimeText(long sec) {
        return String.format("%dd %dh%02dm%02ds", sec / 86400, (sec / 3600) % 24, (sec / 60) % 60, sec % 60);
    }
}
