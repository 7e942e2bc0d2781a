package io.tidegate.config;

import java.util.Objects;

/**
 * One {@code log} line: where log lines go and how they are framed.
 * <ul>
 * <li>{@code log global}: the {@code global} section's targets ({@link #GLOBAL});</li>
 * <li>{@code no log}: none, also none inherited from {@code defaults} ({@link #DISABLED});</li>
 * <li>{@code log stdout|stderr [len N] [format F] FACILITY [LEVEL [MINLEVEL]]};</li>
 * <li>{@code log ADDRESS[:PORT] ...}: UDP syslog (port 514 when not written);</li>
 * <li>{@code log /path ...}: a UNIX datagram socket such as {@code /dev/log}.</li>
 * </ul>
 *
 * @param address  {@code stdout}, {@code stderr}, {@code HOST[:PORT]}, an absolute path, or the
 *                 markers {@code global} / {@code no}
 * @param format   {@code raw}, {@code short}, {@code rfc3164} or {@code rfc5424}; null = not written
 *                 (HAProxy's default, rfc3164)
 * @param length   {@code len N}: longest line sent, null = not written (HAProxy's default, 1024)
 * @param facility syslog facility, e.g. {@code local0}
 * @param level    highest level sent, null = all
 * @param minLevel lowest level sent, null = all
 */
public record LogTarget(String address, String format, Integer length, String facility, String level,
                        String minLevel) {

    public static final LogTarget GLOBAL = new LogTarget("global", null, null, null, null, null);
    public static final LogTarget DISABLED = new LogTarget("no", null, null, null, null, null);
    /** HAProxy's default longest line. */
    public static final int DEFAULT_LENGTH = 1024;

    public LogTarget {
        Objects.requireNonNull(address, "address");
    }

    /** {@code log ADDRESS FACILITY [LEVEL [MINLEVEL]]} without format or length. */
    public LogTarget(String address, String facility, String level, String minLevel) {
        this(address, null, null, facility, level, minLevel);
    }

    public boolean isGlobal() {
        return "global".equals(address) && facility == null;
    }

    /** {@code no log}. */
    public boolean isDisabled() {
        return "no".equals(address) && facility == null;
    }

    public boolean isStdout() {
        return "stdout".equals(address);
    }

    public boolean isStderr() {
        return "stderr".equals(address);
    }

    /** A UNIX socket path such as {@code /dev/log}. */
    public boolean isUnixSocket() {
        return address.startsWith("/");
    }

    /** The framing in force: the written format, else rfc3164. */
    public String effectiveFormat() {
        return format != null ? format : "rfc3164";
    }

    public int effectiveLength() {
        return length != null ? length : DEFAULT_LENGTH;
    }
}
