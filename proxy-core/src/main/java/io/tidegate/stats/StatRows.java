package io.tidegate.stats;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ResponseCounts;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.health.HealthState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds the rows of {@code show stat} from a {@link StatsSnapshot}, in HAProxy's order: for each
 * proxy its FRONTEND row, its servers, its BACKEND row. Fields Tidegate has no figure for stay empty.
 */
public final class StatRows {
    /** Type bits of {@code show stat <proxy> <type> <sid>}: 1 frontends, 2 backends, 4 servers; -1 all. */
    public static final int TYPE_FRONTEND = 1, TYPE_BACKEND = 2, TYPE_SERVER = 4, ALL = -1;

    private StatRows() {
    }

    /** Every row. */
    public static List<StatRow> all(StatsSnapshot s) {
        return select(s, null, ALL, ALL);
    }

    /**
     * The rows {@code show stat [proxy type sid]} selects.
     *
     * @param proxy a proxy name or iid, null or "-1" for all (a name shared by a frontend and a backend: the first)
     * @param types a bit mask of {@link #TYPE_FRONTEND}, {@link #TYPE_BACKEND}, {@link #TYPE_SERVER}; -1 = all
     * @param sid   a server id, -1 = all
     */
    public static List<StatRow> select(StatsSnapshot s, String proxy, int types, int sid) {
        List<StatRow> rows = new ArrayList<>();
        // as HAProxy: a name selects the first proxy of that name (a frontend and a backend may share one), else an iid
        StatsSnapshot.Proxy only = proxy == null || proxy.equals("-1") ? null : s.proxy(proxy).orElse(null);
        if (only == null && proxy != null && !proxy.equals("-1")) return rows;
        for (StatsSnapshot.Proxy p : s.proxies()) {
            if (only != null && p != only) continue;
            if (p.frontend() != null && (types & TYPE_FRONTEND) != 0 && (sid == ALL || sid == 0)) rows.add(frontend(s, p));
            if (p.backend() != null) {
                if ((types & TYPE_SERVER) != 0) {
                    List<ServerStatus> servers = p.backend().servers();
                    for (int i = 0; i < servers.size(); i++) {
                        if (sid == ALL || sid == i + 1) rows.add(server(s, p, i + 1, servers.get(i)));
                    }
                }
                if ((types & TYPE_BACKEND) != 0 && (sid == ALL || sid == 0)) rows.add(backend(s, p));
            }
        }
        return rows;
    }

    private static String[] empty() {
        String[] f = new String[StatColumn.COUNT];
        Arrays.fill(f, "");
        f[StatColumn.MODULES] = "-";
        return f;
    }

    private static String n(long v) {
        return Long.toString(v);
    }

    private static StatRow frontend(StatsSnapshot s, StatsSnapshot.Proxy p) {
        FrontendStatus fe = p.frontend();
        String[] f = empty();
        f[StatColumn.PXNAME] = p.name();
        f[StatColumn.SVNAME] = "FRONTEND";
        f[StatColumn.SCUR] = n(fe.currentSessions());
        if (p.maxconn() > 0) f[StatColumn.SLIM] = n(p.maxconn());
        f[StatColumn.STOT] = n(fe.totalSessions());
        f[StatColumn.BIN] = n(fe.bytesIn());
        f[StatColumn.BOUT] = n(fe.bytesOut());
        f[StatColumn.DREQ] = n(fe.deniedRequests());
        f[StatColumn.EREQ] = n(fe.requestErrors());
        f[StatColumn.DCON] = n(fe.deniedConnections());
        f[StatColumn.DSES] = "0";      // no tcp-request session rules: none can deny a session
        if (fe.responses() != null && !"tcp".equals(p.mode())) responses(f, io.tidegate.engine.status.ResponseCounts.of(fe.responses()));
        f[StatColumn.STATUS] = "OPEN";
        f[StatColumn.PID] = "1";
        f[StatColumn.IID] = n(p.iid());
        f[StatColumn.SID] = "0";
        f[StatColumn.TYPE] = "0";
        f[StatColumn.RATE] = n(fe.sessionRate());
        f[StatColumn.MODE] = p.mode();
        f[StatColumn.CONN_RATE] = n(fe.sessionRate());
        f[StatColumn.CONN_TOT] = n(fe.totalConnections());
        return new StatRow(StatRow.FRONTEND, p.iid(), 0, f);
    }

    private static StatRow server(StatsSnapshot s, StatsSnapshot.Proxy p, int sid, ServerStatus sv) {
        String[] f = empty();
        f[StatColumn.PXNAME] = p.name();
        f[StatColumn.SVNAME] = sv.name();
        f[StatColumn.QCUR] = n(sv.queued());
        f[StatColumn.SCUR] = n(sv.currentRequests());
        f[StatColumn.SMAX] = n(sv.maxRequests());
        if (sv.limit() > 0) f[StatColumn.SLIM] = n(sv.limit());
        f[StatColumn.STOT] = n(sv.totalRequests());
        f[StatColumn.BIN] = n(sv.bytesIn());
        f[StatColumn.BOUT] = n(sv.bytesOut());
        f[StatColumn.ECON] = n(sv.connectErrors());
        f[StatColumn.WRETR] = n(sv.retries());
        f[StatColumn.WREDIS] = n(sv.redispatches());
        Optional<HealthState> h = s.checkedHealth(p.name(), sv.name(), sv.healthChecksEnabled());
        f[StatColumn.STATUS] = statusWord(sv, h);
        f[StatColumn.WEIGHT] = n(sv.weight());
        f[StatColumn.ACT] = sv.backup() ? "0" : "1";
        f[StatColumn.BCK] = sv.backup() ? "1" : "0";
        f[StatColumn.LASTCHG] = n(h.map(st -> st.lastChange())
                .map(t -> Math.max(0, Duration.between(t, s.now()).getSeconds())).orElse(s.secondsSinceStart()));
        f[StatColumn.PID] = "1";
        f[StatColumn.IID] = n(p.iid());
        f[StatColumn.SID] = n(sid);
        f[StatColumn.TYPE] = "2";
        responses(f, sv.responses());
        f[StatColumn.ADDR] = sv.address();
        if (sv.cookie() != null) f[StatColumn.COOKIE] = sv.cookie();
        f[StatColumn.MODE] = p.mode();
        f[StatColumn.UWEIGHT] = n(sv.weight());
        h.ifPresent(st -> {
            f[StatColumn.CHKFAIL] = n(st.failedChecks());
            f[StatColumn.CHKDOWN] = n(st.downTransitions());
            f[StatColumn.CHECK_RISE] = n(st.rise());
            f[StatColumn.CHECK_FALL] = n(st.fall());
            f[StatColumn.CHECK_HEALTH] = n(st.health());
            if (st.lastResult() != null) {
                f[StatColumn.CHECK_STATUS] = st.lastResult().status().name();
                if (st.lastResult().code() > 0) f[StatColumn.CHECK_CODE] = n(st.lastResult().code());
                if (st.lastResult().duration() != null) f[StatColumn.CHECK_DURATION] = n(st.lastResult().duration().toMillis());
                f[StatColumn.CHECK_DESC] = st.lastResult().status().description();
                // HAProxy's last_chk: the check's info, e.g. "TCPCHK did not match content '+PONG' at step 2"
                if (!st.lastResult().info().isEmpty()) f[StatColumn.LAST_CHK] = st.lastResult().info();
            }
        });
        return new StatRow(StatRow.SERVER, p.iid(), sid, f);
    }

    /**
     * HAProxy's status word of a server: {@code MAINT}, {@code DRAIN}, {@code NOLB} while up but
     * stopping, else the health checks' view ({@code UP}, {@code DOWN}, {@code UP 1/3} while going
     * down, {@code DOWN 1/2} while going up), or {@code no check} for a server without checks (or
     * whose checks an operator disabled).
     */
    public static String statusWord(ServerStatus sv, Optional<HealthState> health) {
        if (sv.adminState() == AdminState.MAINT) return "MAINT";
        if (sv.adminState() == AdminState.DRAIN && sv.up() && (health.isEmpty() || health.get().isUp())) return "DRAIN";
        if (sv.stopping()) return "NOLB";
        if (health.isPresent()) return health.get().statusText();
        if (sv.adminState() == AdminState.DRAIN) return "DRAIN";
        return sv.up() ? "no check" : "DOWN";
    }

    private static StatRow backend(StatsSnapshot s, StatsSnapshot.Proxy p) {
        BackendStatus be = p.backend();
        String[] f = empty();
        f[StatColumn.PXNAME] = p.name();
        f[StatColumn.SVNAME] = "BACKEND";
        f[StatColumn.QCUR] = n(be.queued());
        f[StatColumn.SCUR] = n(be.currentRequests());
        f[StatColumn.STOT] = n(be.totalRequests());
        long bin = 0, bout = 0, econ = 0, wretr = 0, wredis = 0;
        long[] rsp = new long[6];
        int weight = 0;
        for (ServerStatus sv : be.servers()) {
            bin += sv.bytesIn();
            bout += sv.bytesOut();
            econ += sv.connectErrors();
            wretr += sv.retries();
            wredis += sv.redispatches();
            ResponseCounts r = sv.responses();
            rsp[0] += r.other();
            rsp[1] += r.informational();
            rsp[2] += r.success();
            rsp[3] += r.redirection();
            rsp[4] += r.clientError();
            rsp[5] += r.serverError();
        }
        int act = be.usableServers(false);
        int bck = be.usableServers(true);
        boolean anyNormal = act > 0;
        for (ServerStatus sv : be.servers()) {
            if (sv.usable() && sv.backup() != anyNormal) weight += sv.weight();
        }
        f[StatColumn.BIN] = n(bin);
        f[StatColumn.BOUT] = n(bout);
        f[StatColumn.ECON] = n(econ);
        f[StatColumn.WRETR] = n(wretr);
        f[StatColumn.WREDIS] = n(wredis);
        f[StatColumn.STATUS] = act + bck > 0 ? "UP" : "DOWN";
        f[StatColumn.WEIGHT] = n(weight);
        f[StatColumn.ACT] = n(act);
        f[StatColumn.BCK] = n(bck);
        f[StatColumn.LASTCHG] = n(s.secondsSinceStart());
        f[StatColumn.PID] = "1";
        f[StatColumn.IID] = n(p.iid());
        f[StatColumn.SID] = "0";
        f[StatColumn.TYPE] = "1";
        responses(f, ResponseCounts.of(rsp));
        f[StatColumn.REQ_TOT] = n(be.totalRequests());
        if (be.cookie() != null) f[StatColumn.COOKIE] = be.cookie().name();
        f[StatColumn.MODE] = p.mode();
        f[StatColumn.ALGO] = be.balance();
        f[StatColumn.UWEIGHT] = n(weight);
        return new StatRow(StatRow.BACKEND, p.iid(), 0, f);
    }

    private static void responses(String[] f, ResponseCounts r) {
        f[StatColumn.HRSP_1XX] = n(r.informational());
        f[StatColumn.HRSP_2XX] = n(r.success());
        f[StatColumn.HRSP_3XX] = n(r.redirection());
        f[StatColumn.HRSP_4XX] = n(r.clientError());
        f[StatColumn.HRSP_5XX] = n(r.serverError());
        f[StatColumn.HRSP_OTHER] = n(r.other());
    }
}
