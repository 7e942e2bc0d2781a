package io.tidegate.config;

import java.util.List;

/**
 * The {@code global} section (several {@code global} sections merge into one, as in HAProxy).
 * Equality ignores {@link #pos()}.
 *
 * @param daemon   {@code daemon} (no effect inside WildFly)
 * @param quiet    {@code quiet} (no effect inside WildFly)
 * @param pidfile  {@code pidfile PATH} (no effect inside WildFly), null when not written
 * @param maxconn  {@code maxconn N}: process-wide connection limit, null when not written
 * @param nbthread {@code nbthread N}, null when not written
 * @param logs     {@code log ...} lines, in order
 * @param stats    {@code stats socket / timeout / maxconn} (the runtime API)
 * @param pos      where the first {@code global} header was written
 */
public record GlobalSection(boolean daemon, boolean quiet, String pidfile, Integer maxconn, Integer nbthread,
                            List<LogTarget> logs, SourcePos pos, StatsSettings stats) {

    /** No {@code global} section, or an empty one. */
    public static final GlobalSection EMPTY = new GlobalSection(false, false, null, null, null, List.of(), null, StatsSettings.NONE);

    public GlobalSection {
        logs = logs == null ? List.of() : List.copyOf(logs);
        pos = SourcePos.orUnknown(pos);
        stats = stats == null ? StatsSettings.NONE : stats;
    }

    /** Without runtime API settings. */
    public GlobalSection(boolean daemon, boolean quiet, String pidfile, Integer maxconn, Integer nbthread,
                         List<LogTarget> logs, SourcePos pos) {
        this(daemon, quiet, pidfile, maxconn, nbthread, logs, pos, StatsSettings.NONE);
    }

    public GlobalSection withStats(StatsSettings v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, nbthread, logs, pos, v);
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    public GlobalSection withDaemon(boolean v) {
        return new GlobalSection(v, quiet, pidfile, maxconn, nbthread, logs, pos, stats);
    }

    public GlobalSection withQuiet(boolean v) {
        return new GlobalSection(daemon, v, pidfile, maxconn, nbthread, logs, pos, stats);
    }

    public GlobalSection withPidfile(String v) {
        return new GlobalSection(daemon, quiet, v, maxconn, nbthread, logs, pos, stats);
    }

    public GlobalSection withMaxconn(Integer v) {
        return new GlobalSection(daemon, quiet, pidfile, v, nbthread, logs, pos, stats);
    }

    public GlobalSection withNbthread(Integer v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, v, logs, pos, stats);
    }

    public GlobalSection withLogs(List<LogTarget> v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, nbthread, v, pos, stats);
    }

    public GlobalSection withPos(SourcePos v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, nbthread, logs, v, stats);
    }
}
