package io.tidegate.log;

import java.util.List;

/**
 * HAProxy's log line formats ({@code log ... format F}), as HAProxy 2.6 sends them:
 * <ul>
 * <li>{@code raw}: the text;</li>
 * <li>{@code short}: {@code <LEVEL>text};</li>
 * <li>{@code rfc3164} (default): {@code <PRI>Mmm dd hh:mm:ss TAG[PID]: text};</li>
 * <li>{@code rfc5424}: {@code <PRI>1 ISO-DATE - TAG PID - - text}.</li>
 * </ul>
 * PRI = facility * 8 + level. Each line ends with a LF (a UDP datagram carries one line). Lines
 * longer than the target's {@code len} are cut there (the LF kept), as HAProxy does. The framing itself is
 * written by {@link LineBytes#frame}.
 */
public final class SyslogFraming {
    /** Facilities in syslog's numbering. */
    public static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    public static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info",
            "debug");
    /** The program name in syslog headers. */
    static final String TAG = "tidegate";
    static final long PID = ProcessHandle.current().pid();

    public enum Format { RAW, SHORT, RFC3164, RFC5424 }

    private SyslogFraming() {
    }

    public static Format format(String name) {
        return switch (name) {
            case "raw" -> Format.RAW;
            case "short" -> Format.SHORT;
            case "rfc5424" -> Format.RFC5424;
            default -> Format.RFC3164;
        };
    }

    /** Whether a line at {@code level} passes a target's {@code LEVEL [MINLEVEL]} (null = no bound). */
    public static boolean passes(int level, String maxLevel, String minLevel) {
        if (maxLevel != null && level > LEVELS.indexOf(maxLevel)) return false;
        return minLevel == null || level <= LEVELS.indexOf(minLevel);
    }
}
