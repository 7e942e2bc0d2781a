package io.tidegate.stats;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.health.CheckStatus;
import io.tidegate.health.HealthState;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code show servers state [backend]} in HAProxy's format 1 (the layout of a
 * {@code server-state-file}): a line {@code 1}, the {@code #} header, one line per server.
 */
public final class ServersState {
    public static final String HEADER = "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state "
            + "srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
            + "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
            + "srv_check_port srv_check_addr srv_agent_addr srv_agent_port";

    /** HAProxy's server admin flags: forced maintenance, forced drain. */
    static final int ADMF_FMAINT = 0x01, ADMF_FDRAIN = 0x08;
    /** HAProxy's operational states. */
    static final int OP_STOPPED = 0, OP_RUNNING = 2, OP_STOPPING = 3;
    /** HAProxy's check states: configured, enabled. */
    static final int CHK_CONFIGURED = 0x02, CHK_ENABLED = 0x04;

    private ServersState() {
    }

    /** The answer; {@code backend} null for every backend. Lines end with {@code \n}. */
    public static String format(StatsSnapshot s, String backend) {
        StringBuilder sb = new StringBuilder(256).append("1\n").append(HEADER).append('\n');
        for (StatsSnapshot.Proxy p : s.proxies()) {
            if (p.backend() == null || (backend != null && !p.name().equals(backend))) continue;
            int sid = 0;
            for (ServerStatus sv : p.backend().servers()) {
                sid++;
                line(sb, s, p, sid, sv);
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, StatsSnapshot s, StatsSnapshot.Proxy p, int sid, ServerStatus sv) {
        Optional<HealthState> configured = s.health().health(p.name(), sv.name());
        String addr = sv.address();
        int colon = addr.lastIndexOf(':');
        String host = colon < 0 ? addr : addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String port = colon < 0 ? "0" : addr.substring(colon + 1);
        int admin = sv.adminState() == AdminState.MAINT ? ADMF_FMAINT : sv.adminState() == AdminState.DRAIN ? ADMF_FDRAIN : 0;
        long since = configured.map(HealthState::lastChange).filter(t -> t != null)
                .map(t -> Math.max(0, Duration.between(t, s.now()).getSeconds())).orElse(s.secondsSinceStart());
        int checkStatus = 1;      // HCHK_STATUS_INI
        int checkResult = 0;      // CHK_RES_UNKNOWN
        int checkHealth = 2;      // HAProxy's default rise, as it reports for an unchecked server
        int checkState = 0;
        if (configured.isPresent()) {
            HealthState h = configured.get();
            checkHealth = h.health();
            checkState = CHK_CONFIGURED | (sv.healthChecksEnabled() ? CHK_ENABLED : 0);
            if (h.lastResult() != null) {
                checkStatus = hchkStatus(h.lastResult().status());
                checkResult = h.lastResult().passed() ? 3 : 2;
            }
        }
        sb.append(p.iid()).append(' ').append(p.name()).append(' ').append(sid).append(' ').append(sv.name()).append(' ')
          .append(host).append(' ').append(!sv.up() ? OP_STOPPED : sv.stopping() ? OP_STOPPING : OP_RUNNING).append(' ').append(admin).append(' ')
          .append(sv.weight()).append(' ').append(p.initialWeight(sv.name(), sv.weight())).append(' ')
          .append(since).append(' ').append(checkStatus).append(' ').append(checkResult).append(' ')
          .append(checkHealth).append(' ').append(checkState).append(" 0 0 0 - ").append(port)
          .append(" - 0 0 - - 0\n");
    }

    /** HAProxy's numeric check status (HCHK_STATUS_*). */
    static int hchkStatus(CheckStatus c) {
        return switch (c) {
            case SOCKERR -> 5;
            case L4OK -> 6;
            case L4TOUT -> 7;
            case L4CON -> 8;
            case L6OK -> 9;
            case L6TOUT -> 10;
            case L6RSP -> 11;
            case L7TOUT -> 12;
            case L7RSP -> 13;
            case L7OK -> 15;
            case L7OKC -> 16;
            case L7STS -> 17;
        };
    }
}
