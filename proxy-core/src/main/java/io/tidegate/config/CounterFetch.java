package io.tidegate.config;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a stick-counter fetch (HAProxy 2.6, doc/configuration.txt §7.3.3): {@code sc_WHAT(N[,TABLE])}
 * reads the entry tracked as counter N, {@code scN_WHAT([TABLE])} the same for a fixed N,
 * {@code src_WHAT([TABLE])} the entry of the client's address (looked up, not tracked). With a TABLE,
 * the same key is looked up in that table. WHAT is a data type ({@code http_req_rate}, {@code conn_cur},
 * ...), {@code get_gpc0}, {@code inc_gpc0} (adds one and returns the new value), {@code clr_gpc0} (returns
 * the value and sets it to 0), {@code kbytes_in}, {@code trackers} or {@code tracked}.
 *
 * @param form  which of the three forms
 * @param slot  N of {@code scN_}, -1 for {@code sc_} (its first argument) and {@code src_}
 * @param what  the part after the prefix
 */
public record CounterFetch(Form form, int slot, String what) {

    public enum Form { SC, SC_N, SRC }

    /** How many counters a connection can track: track-sc0, track-sc1, track-sc2 (HAProxy's default). */
    public static final int COUNTERS = 3;

    private static final Pattern NAME = Pattern.compile("(?:sc_|sc([0-9])_|src_)([a-z0-9_]+)");
    private static final Set<String> WHAT = Set.of("conn_cnt", "conn_cur", "conn_rate", "sess_cnt", "sess_rate",
            "http_req_cnt", "http_req_rate", "http_err_cnt", "http_err_rate", "bytes_in_rate", "bytes_out_rate",
            "kbytes_in", "kbytes_out", "gpc0_rate", "gpc1_rate", "get_gpc0", "get_gpc1", "get_gpt0", "inc_gpc0",
            "inc_gpc1", "clr_gpc0", "clr_gpc1", "trackers", "tracked");

    public static Optional<CounterFetch> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || !WHAT.contains(m.group(2))) return Optional.empty();
        Form form = name.startsWith("src_") ? Form.SRC : m.group(1) != null ? Form.SC_N : Form.SC;
        if (form == Form.SRC && (m.group(2).equals("tracked") || m.group(2).equals("trackers"))) return Optional.empty();
        return Optional.of(new CounterFetch(form, m.group(1) == null ? -1 : Integer.parseInt(m.group(1)), m.group(2)));
    }

    /** The position of the optional table argument. */
    public int tableArgument() {
        return form == Form.SC ? 1 : 0;
    }

    /** The fetch's signature for the ACL language. */
    AclFetches.Fetch signature(String name) {
        AclFetches.Type type = what.equals("tracked") ? AclFetches.Type.BOOL : AclFetches.Type.INT;
        return form == Form.SC ? new AclFetches.Fetch(name, type, 1, 2, AclFetches.Side.CONNECTION)
                : new AclFetches.Fetch(name, type, 0, 1, AclFetches.Side.CONNECTION);
    }

    /** The data type the fetch reads (and {@code inc_}/{@code clr_} change), or null for tracked/trackers. */
    public StickDataType dataType() {
        return switch (what) {
            case "get_gpc0", "inc_gpc0", "clr_gpc0" -> StickDataType.GPC0;
            case "get_gpc1", "inc_gpc1", "clr_gpc1" -> StickDataType.GPC1;
            case "get_gpt0" -> StickDataType.GPT0;
            case "kbytes_in" -> StickDataType.BYTES_IN_CNT;
            case "kbytes_out" -> StickDataType.BYTES_OUT_CNT;
            case "tracked", "trackers" -> null;
            default -> StickDataType.of(what).orElseThrow();
        };
    }
}
