package io.tidegate.log;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * One IO thread's reusable line: the text being formatted, and the bytes a sink frames it into.
 * {@link #get()} returns the calling thread's instance; nothing here allocates per line except when
 * the second of a timestamp changes (the cached date prefix is rebuilt once per second).
 */
public final class LogLine {
    private static final ThreadLocal<LogLine> PER_THREAD = ThreadLocal.withInitial(LogLine::new);
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    /** The line's text, without line end. */
    public final StringBuilder text = new StringBuilder(256);
    /** When the line was made (for the syslog header). */
    public long epochMillis;
    private final ByteBuffer bytes = ByteBuffer.allocate(65536 + 256);
    private long cachedSecond = Long.MIN_VALUE;
    private final StringBuilder cachedDate = new StringBuilder(24);
    private long cachedSyslogSecond = Long.MIN_VALUE;
    private final StringBuilder cachedSyslogDate = new StringBuilder(32);
    private long cachedIsoSecond = Long.MIN_VALUE;
    private final StringBuilder cachedIsoDate = new StringBuilder(32);
    /** The syslog header being built. */
    final StringBuilder header = new StringBuilder(64);

    private LogLine() {
    }

    /** The calling thread's line, emptied. */
    public static LogLine get() {
        LogLine l = PER_THREAD.get();
        l.text.setLength(0);
        l.epochMillis = System.currentTimeMillis();
        return l;
    }

    /** The thread's byte buffer for framing, cleared. */
    ByteBuffer bytes() {
        bytes.clear();
        return bytes;
    }

    /** Appends HAProxy's log date {@code 05/Dec/2026:11:22:26.714} (UTC) to {@code sb}. */
    public void appendDate(StringBuilder sb, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC);
            cachedDate.setLength(0);
            two(cachedDate, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/')
                    .append(t.getYear()).append(':');
            two(cachedDate, t.getHour()).append(':');
            two(cachedDate, t.getMinute()).append(':');
            two(cachedDate, t.getSecond());
            cachedSecond = second;
        }
        sb.append(cachedDate).append('.');
        int ms = (int) Math.floorMod(epochMillis, 1000);
        if (ms < 100) sb.append('0');
        if (ms < 10) sb.append('0');
        sb.append(ms);
    }

    /** RFC 3164's {@code Dec  5 11:22:26} (UTC) for this line's time. */
    void appendSyslogDate(StringBuilder sb) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSyslogSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC);
            cachedSyslogDate.setLength(0);
            cachedSyslogDate.append(MONTHS[t.getMonthValue() - 1]).append(' ');
            if (t.getDayOfMonth() < 10) cachedSyslogDate.append(' ');
            cachedSyslogDate.append(t.getDayOfMonth()).append(' ');
            two(cachedSyslogDate, t.getHour()).append(':');
            two(cachedSyslogDate, t.getMinute()).append(':');
            two(cachedSyslogDate, t.getSecond());
            cachedSyslogSecond = second;
        }
        sb.append(cachedSyslogDate);
    }

    /** RFC 5424's {@code 2026-12-05T11:22:26.714000+00:00} for this line's time. */
    void appendIsoDate(StringBuilder sb) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedIsoSecond) {
            ZonedDateTime t = Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC);
            cachedIsoDate.setLength(0);
            cachedIsoDate.append(t.getYear()).append('-');
            two(cachedIsoDate, t.getMonthValue()).append('-');
            two(cachedIsoDate, t.getDayOfMonth()).append('T');
            two(cachedIsoDate, t.getHour()).append(':');
            two(cachedIsoDate, t.getMinute()).append(':');
            two(cachedIsoDate, t.getSecond()).append('.');
            cachedIsoSecond = second;
        }
        sb.append(cachedIsoDate);
        int ms = (int) Math.floorMod(epochMillis, 1000);
        if (ms < 100) sb.append('0');
        if (ms < 10) sb.append('0');
        sb.append(ms).append("000+00:00");
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        if (v < 10) sb.append('0');
        return sb.append(v);
    }
}
