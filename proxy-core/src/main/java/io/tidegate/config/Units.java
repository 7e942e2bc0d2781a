package io.tidegate.config;

import java.time.Duration;

/**
 * HAProxy's number notations. Times: an integer followed by {@code us}, {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d}, milliseconds when no unit is written, at most 2147483647 ms.
 * Sizes: an integer followed by {@code k}, {@code m} or {@code g} (powers of 1024), bytes without unit.
 */
public final class Units {

    /** HAProxy's largest timer, in milliseconds. */
    public static final long MAX_TIME_MS = Integer.MAX_VALUE;

    private Units() {
    }

    /**
     * Parses a time.
     *
     * @throws IllegalArgumentException with a user-facing message
     */
    public static Duration parseTime(String text) {
        int digits = countDigits(text);
        if (digits == 0) {
            throw new IllegalArgumentException("invalid time '" + text + "': expected a number with an optional unit "
                    + "us, ms, s, m, h or d (milliseconds by default)");
        }
        long value = parseNumber(text.substring(0, digits), text);
        String unit = text.substring(digits);
        long nanosPerUnit = switch (unit) {
            case "us" -> 1_000L;
            case "", "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("invalid time unit '" + unit + "' in '" + text
                    + "': supported units are us, ms, s, m, h, d (milliseconds by default)");
        };
        if (value > MAX_TIME_MS * 1_000_000L / nanosPerUnit) {
            throw new IllegalArgumentException("time '" + text + "' is too large: the maximum is "
                    + MAX_TIME_MS + " ms (about 24.8 days)");
        }
        return Duration.ofNanos(value * nanosPerUnit);
    }

    /** Writes a time in the largest unit that represents it exactly ({@code 5000 ms -> "5s"}). */
    public static String formatTime(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0";
        }
        String[] units = {"d", "h", "m", "s", "ms", "us"};
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (nanos % sizes[i] == 0) {
                return (nanos / sizes[i]) + units[i];
            }
        }
        throw new IllegalArgumentException("time " + d + " is finer than a microsecond");
    }

    /**
     * Parses a size in bytes.
     *
     * @throws IllegalArgumentException with a user-facing message
     */
    public static long parseSize(String text) {
        int digits = countDigits(text);
        if (digits == 0) {
            throw new IllegalArgumentException("invalid size '" + text + "': expected a number with an optional unit "
                    + "k, m or g");
        }
        long value = parseNumber(text.substring(0, digits), text);
        String unit = text.substring(digits);
        int shift = switch (unit) {
            case "" -> 0;
            case "k", "K" -> 10;
            case "m", "M" -> 20;
            case "g", "G" -> 30;
            default -> throw new IllegalArgumentException("invalid size unit '" + unit + "' in '" + text
                    + "': supported units are k, m, g");
        };
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return value << shift;
    }

    /**
     * Parses a non-negative integer.
     *
     * @throws IllegalArgumentException with a user-facing message
     */
    public static int parseInt(String text, String what) {
        if (countDigits(text) != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': expected a non-negative integer");
        }
        long value = parseNumber(text, text);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " '" + text + "' is too large");
        }
        return (int) value;
    }

    private static int countDigits(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static long parseNumber(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number '" + text + "' is too large");
        }
    }
}
