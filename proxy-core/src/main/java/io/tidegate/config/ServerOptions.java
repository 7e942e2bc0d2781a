package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.time.Duration;

/**
 * The options of a {@code server} (or {@code default-server}) line, as written: {@code null} = not
 * written. {@link #over(ServerOptions)} layers a server's options over its {@code default-server}
 * lines; the {@code effective*} getters apply HAProxy's built-in defaults.
 *
 * @param weight    {@code weight N}, 0..256
 * @param cookie    {@code cookie VALUE}: the persistence cookie value of this server
 * @param check     {@code check} (true) / {@code no-check} (false)
 * @param inter     {@code inter T}: time between two checks
 * @param fastinter {@code fastinter T}: between checks while a state change is in progress
 * @param downinter {@code downinter T}: between checks while the server is down
 * @param rise      {@code rise N}: consecutive successes to become up
 * @param fall      {@code fall N}: consecutive failures to become down
 * @param port      {@code port N}: the port health checks connect to
 * @param addr      {@code addr A}: the address health checks connect to
 * @param backup    {@code backup} (true) / {@code no-backup} (false)
 * @param maxconn   {@code maxconn N}: concurrent requests sent to the server (0 = unlimited)
 * @param minconn   {@code minconn N}: dynamic limit at low load (see {@code fullconn})
 * @param maxqueue  {@code maxqueue N}: queued requests for this server (0 = unlimited)
 * @param source    {@code source ADDR[:PORT]}: local address of outgoing connections
 * @param slowstart {@code slowstart T}: weight ramp-up after the server comes up
 * @param disabled  {@code disabled} (true) / {@code enabled} (false): administrative maintenance at start
 * @param marked    {@code on-marked-down shutdown-sessions} / {@code on-marked-up shutdown-backup-sessions}
 */
@RecordBuilder
@RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
public record ServerOptions(Integer weight, String cookie, Boolean check, Duration inter, Duration fastinter,
                            Duration downinter, Integer rise, Integer fall, Integer port, String addr,
                            Boolean backup, Integer maxconn, Integer minconn, Integer maxqueue, String source,
                            Duration slowstart, Boolean disabled, MarkedActions marked)
        implements ServerOptionsBuilder.With {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 256;
    public static final Duration DEFAULT_INTER = Duration.ofMillis(2000);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    /** No option written. */
    public static final ServerOptions NONE = ServerOptionsBuilder.builder().build();

    /** Each option of {@code this}, else the one of {@code base}. */
    public ServerOptions over(ServerOptions base) {
        return ServerOptionsBuilder.stagedBuilder()
                .weight(pick(weight, base.weight))
                .cookie(pick(cookie, base.cookie))
                .check(pick(check, base.check))
                .inter(pick(inter, base.inter))
                .fastinter(pick(fastinter, base.fastinter))
                .downinter(pick(downinter, base.downinter))
                .rise(pick(rise, base.rise))
                .fall(pick(fall, base.fall))
                .port(pick(port, base.port))
                .addr(pick(addr, base.addr))
                .backup(pick(backup, base.backup))
                .maxconn(pick(maxconn, base.maxconn))
                .minconn(pick(minconn, base.minconn))
                .maxqueue(pick(maxqueue, base.maxqueue))
                .source(pick(source, base.source))
                .slowstart(pick(slowstart, base.slowstart))
                .disabled(pick(disabled, base.disabled))
                .marked(marked == null ? base.marked : base.marked == null ? marked : marked.over(base.marked))
                .build();
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** {@code weight}, default 1. */
    public int effectiveWeight() {
        return weight != null ? weight : DEFAULT_WEIGHT;
    }

    /** {@code inter}, default 2000 ms. */
    public Duration effectiveInter() {
        return inter != null ? inter : DEFAULT_INTER;
    }

    /** {@code fastinter}, default {@code inter}. */
    public Duration effectiveFastinter() {
        return fastinter != null ? fastinter : effectiveInter();
    }

    /** {@code downinter}, default {@code inter}. */
    public Duration effectiveDowninter() {
        return downinter != null ? downinter : effectiveInter();
    }

    /** {@code rise}, default 2. */
    public int effectiveRise() {
        return rise != null ? rise : DEFAULT_RISE;
    }

    /** {@code fall}, default 3. */
    public int effectiveFall() {
        return fall != null ? fall : DEFAULT_FALL;
    }

    /** Health-checked ({@code check} written and not cancelled by {@code no-check}). */
    public boolean isChecked() {
        return Boolean.TRUE.equals(check);
    }

    /** A backup server. */
    public boolean isBackup() {
        return Boolean.TRUE.equals(backup);
    }

    /** Starts in maintenance ({@code disabled}). */
    public boolean isDisabled() {
        return Boolean.TRUE.equals(disabled);
    }

    /** {@code maxconn}, 0 (default) = unlimited. */
    public int effectiveMaxconn() {
        return maxconn != null ? maxconn : 0;
    }

    /** {@code minconn}, default {@code maxconn} (no dynamic limit). */
    public int effectiveMinconn() {
        return minconn != null ? minconn : effectiveMaxconn();
    }

    /** {@code maxqueue}, 0 (default) = unlimited. */
    public int effectiveMaxqueue() {
        return maxqueue != null ? maxqueue : 0;
    }

    private static <T> T pick(T own, T base) {
        return own != null ? own : base;
    }

    /** The actions on health transitions in force (none when not written). */
    public MarkedActions effectiveMarked() {
        return marked != null ? marked : MarkedActions.NONE;
    }
}
