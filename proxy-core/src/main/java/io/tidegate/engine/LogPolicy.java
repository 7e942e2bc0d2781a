package io.tidegate.engine;

import io.tidegate.config.CookieCapture;
import io.tidegate.config.LogFormat;
import io.tidegate.config.LogTarget;
import java.util.List;

/**
 * How a frontend logs: to which targets ({@code log ...} lines after {@code log global} was resolved;
 * empty = no {@code log} line at all, so lines go to WildFly's logging, category
 * {@code io.tidegate.access}), with which format ({@code option httplog|tcplog}, {@code log-format};
 * null = by mode), and whether sessions that carried no data are skipped ({@code option dontlognull}).
 *
 * @param disabled {@code no log}: nothing is logged
 * @param captureCookie {@code capture cookie NAME len N}, null = none (%CC and %CS show "-")
 */
public record LogPolicy(List<LogTarget> targets, boolean disabled, LogFormat format, boolean dontlognull,
                        CookieCapture captureCookie) {
    /** No log line: WildFly's logging, format by mode, null sessions logged, no cookie captured. */
    public static final LogPolicy DEFAULT = new LogPolicy(List.of(), false, null, false, null);

    public LogPolicy {
        targets = List.copyOf(targets);
    }

    /** The format in force for a proxy in {@code mode}. */
    LogFormat formatFor(String mode) {
        if (format != null) return format;
        return "tcp".equals(mode) ? LogFormat.TCP : LogFormat.HTTP;
    }
}
