package io.tidegate.stats;

import java.util.List;

/**
 * The columns of HAProxy 2.6's {@code show stat} CSV, in HAProxy's order (0-based positions as in
 * doc/management.txt §9.1), followed by the {@code -} separator and the columns of the statistics
 * modules Debian's 2.6 build appends (ssl, h2, h1). Tools read them by position, so nothing is ever
 * inserted: a figure Tidegate does not have stays empty, as HAProxy leaves a field empty that does
 * not apply to a row.
 */
public final class StatColumn {
    public static final int PXNAME = 0, SVNAME = 1, QCUR = 2, QMAX = 3, SCUR = 4, SMAX = 5, SLIM = 6, STOT = 7,
            BIN = 8, BOUT = 9, DREQ = 10, DRESP = 11, EREQ = 12, ECON = 13, ERESP = 14, WRETR = 15, WREDIS = 16,
            STATUS = 17, WEIGHT = 18, ACT = 19, BCK = 20, CHKFAIL = 21, CHKDOWN = 22, LASTCHG = 23, DOWNTIME = 24,
            QLIMIT = 25, PID = 26, IID = 27, SID = 28, THROTTLE = 29, LBTOT = 30, TRACKED = 31, TYPE = 32, RATE = 33,
            RATE_LIM = 34, RATE_MAX = 35, CHECK_STATUS = 36, CHECK_CODE = 37, CHECK_DURATION = 38,
            HRSP_1XX = 39, HRSP_2XX = 40, HRSP_3XX = 41, HRSP_4XX = 42, HRSP_5XX = 43, HRSP_OTHER = 44,
            HANAFAIL = 45, REQ_RATE = 46, REQ_RATE_MAX = 47, REQ_TOT = 48, CLI_ABRT = 49, SRV_ABRT = 50,
            LASTSESS = 55, LAST_CHK = 56, QTIME = 58, CTIME = 59, RTIME = 60, TTIME = 61,
            CHECK_DESC = 65, CHECK_RISE = 67, CHECK_FALL = 68, CHECK_HEALTH = 69,
            ADDR = 73, COOKIE = 74, MODE = 75, ALGO = 76, CONN_RATE = 77, CONN_RATE_MAX = 78, CONN_TOT = 79, DCON = 81, DSES = 82,
            QTIME_MAX = 90, CTIME_MAX = 91, RTIME_MAX = 92, TTIME_MAX = 93, UWEIGHT = 99,
            AGG_SERVER_STATUS = 100, AGG_SERVER_CHECK_STATUS = 101, AGG_CHECK_STATUS = 102, MODULES = 103;

    /** HAProxy 2.6's names, in order. */
    public static final List<String> NAMES = List.of(
            "pxname", "svname", "qcur", "qmax", "scur", "smax", "slim", "stot", "bin", "bout", "dreq", "dresp",
            "ereq", "econ", "eresp", "wretr", "wredis", "status", "weight", "act", "bck", "chkfail", "chkdown",
            "lastchg", "downtime", "qlimit", "pid", "iid", "sid", "throttle", "lbtot", "tracked", "type", "rate",
            "rate_lim", "rate_max", "check_status", "check_code", "check_duration", "hrsp_1xx", "hrsp_2xx",
            "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other", "hanafail", "req_rate", "req_rate_max", "req_tot",
            "cli_abrt", "srv_abrt", "comp_in", "comp_out", "comp_byp", "comp_rsp", "lastsess", "last_chk",
            "last_agt", "qtime", "ctime", "rtime", "ttime", "agent_status", "agent_code", "agent_duration",
            "check_desc", "agent_desc", "check_rise", "check_fall", "check_health", "agent_rise", "agent_fall",
            "agent_health", "addr", "cookie", "mode", "algo", "conn_rate", "conn_rate_max", "conn_tot",
            "intercepted", "dcon", "dses", "wrew", "connect", "reuse", "cache_lookups", "cache_hits", "srv_icur",
            "src_ilim", "qtime_max", "ctime_max", "rtime_max", "ttime_max", "eint", "idle_conn_cur",
            "safe_conn_cur", "used_conn_cur", "need_conn_est", "uweight", "agg_server_status",
            "agg_server_check_status", "agg_check_status",
            "-", "ssl_sess", "ssl_reused_sess", "ssl_failed_handshake", "h2_headers_rcvd", "h2_data_rcvd",
            "h2_settings_rcvd", "h2_rst_stream_rcvd", "h2_goaway_rcvd", "h2_detected_conn_protocol_errors",
            "h2_detected_strm_protocol_errors", "h2_rst_stream_resp", "h2_goaway_resp", "h2_open_connections",
            "h2_backend_open_streams", "h2_total_connections", "h2_backend_total_streams", "h1_open_connections",
            "h1_open_streams", "h1_total_connections", "h1_total_streams", "h1_bytes_in", "h1_bytes_out",
            "h1_spliced_bytes_in", "h1_spliced_bytes_out");

    public static final int COUNT = NAMES.size();

    private StatColumn() {
    }

    /** The header line as HAProxy prints it: {@code # pxname,svname,...,} (every field ends with a comma). */
    public static String headerLine() {
        StringBuilder sb = new StringBuilder(1600).append("# ");
        for (String n : NAMES) sb.append(n).append(',');
        return sb.toString();
    }
}
