package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

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
 * @param httpMaxhdr {@code tune.http.maxhdr N}: header lines a request may carry, null when not written
 *                 (HAProxy's 101, see {@link #DEFAULT_HTTP_MAXHDR})
 * @param hardStopAfter {@code hard-stop-after T}: the longest a configuration replaced by a reload
 *                 keeps its exchanges, null when not written (no bound)
 * @param pos      where the first {@code global} header was written
 * @param stats    {@code stats socket / timeout / maxconn} (the runtime API)
 */
@RecordBuilder
public record GlobalSection(boolean daemon, boolean quiet, String pidfile, Integer maxconn, Integer nbthread, List<LogTarget> logs, Integer httpMaxhdr, java.time.Duration hardStopAfter, SourcePos pos, StatsSettings stats)
        implements GlobalSectionBuilder.With {

    /** HAProxy's {@code tune.http.maxhdr} when not written. */
    public static final int DEFAULT_HTTP_MAXHDR = 101;

    /** No {@code global} section, or an empty one. */
    public static final GlobalSection EMPTY =
            GlobalSectionBuilder.builder().logs(List.of()).stats(StatsSettings.NONE).build();

    public GlobalSection {
        logs = logs == null ? List.of() : List.copyOf(logs);
        pos = SourcePos.orUnknown(pos);
        stats = stats == null ? StatsSettings.NONE : stats;
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /** {@code tune.http.maxhdr} in force. */
    public int effectiveHttpMaxhdr() {
        return httpMaxhdr != null ? httpMaxhdr : DEFAULT_HTTP_MAXHDR;
    }
}
