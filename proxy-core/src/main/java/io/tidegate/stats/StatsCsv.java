package io.tidegate.stats;

import java.util.List;

/** {@code show stat} and the stats page's {@code ;csv}: the header line and one line per row. */
public final class StatsCsv {
    private StatsCsv() {
    }

    public static String format(List<StatRow> rows) {
        StringBuilder sb = new StringBuilder(2048 + rows.size() * 400).append(StatColumn.headerLine()).append('\n');
        for (StatRow r : rows) sb.append(r.csv()).append('\n');
        return sb.toString();
    }
}
