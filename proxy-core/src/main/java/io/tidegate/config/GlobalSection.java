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
 * @param hardStopAfter {@code hard-stop-after T}: the longest a configuration replaced by a reload
 *                 keeps its exchanges, null when not written (no bound)
 * @param pos      where the first {@code global} header was written
 */
public record GlobalSection(boolean daemon, boolean quiet, String pidfile, Integer maxconn, Integer nbthread,
                            List<LogTarget> logs, java.time.Duration hardStopAfter, SourcePos pos) {

    /** No {@code global} section, or an empty one. */
    public static final GlobalSection EMPTY = new GlobalSection(false, false, null, null, null, List.of(), null, null);

    /** Without {@code hard-stop-after}. */
    public GlobalSection(boolean daemon, boolean quiet, String pidfile, Integer maxconn, Integer nbthread,
                         List<LogTarget> logs, SourcePos pos) {
        this(daemon, quiet, pidfile, maxconn, nbthread, logs, null, pos);
    }

    public GlobalSection {
        logs = logs == null ? List.of() : List.copyOf(logs);
        pos = SourcePos.orUnknown(pos);
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    public GlobalSection withDaemon(boolean v) {
        return new GlobalSection(v, quiet, pidfile, maxconn, nbthread, logs, hardStopAfter, pos);
    }

    public GlobalSection withQuiet(boolean v) {
        return new GlobalSection(daemon, v, pidfile, maxconn, nbthread, logs, hardStopAfter, pos);
    }

    public GlobalSection withPidfile(String v) {
        return new GlobalSection(daemon, quiet, v, maxconn, nbthread, logs, hardStopAfter, pos);
    }

    public GlobalSection withMaxconn(Integer v) {
        return new GlobalSection(daemon, quiet, pidfile, v, nbthread, logs, hardStopAfter, pos);
    }

    public GlobalSection withNbthread(Integer v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, v, logs, hardStopAfter, pos);
    }

    public GlobalSection withLogs(List<LogTarget> v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, nbthread, v, hardStopAfter, pos);
    }

    public GlobalSection withHardStopAfter(java.time.Duration v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, nbthread, logs, v, pos);
    }

    public GlobalSection withPos(SourcePos v) {
        return new GlobalSection(daemon, quiet, pidfile, maxconn, nbthread, logs, hardStopAfter, v);
    }
}
