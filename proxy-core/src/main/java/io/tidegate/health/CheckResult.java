package io.tidegate.health;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of one health check.
 *
 * @param status   the outcome class
 * @param code     the HTTP status code of the answer, 0 when there is none
 * @param info     a short human-readable detail (HTTP reason phrase, socket error), {@code ""} when none
 * @param duration from the start of the check to its verdict
 */
public record CheckResult(CheckStatus status, int code, String info, Duration duration) {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public CheckResult {
        Objects.requireNonNull(status, "status");
        info = info == null ? "" : info;
        duration = duration == null ? Duration.ZERO : duration;
        if (code < 0 || code > 999) {
            throw new IllegalArgumentException("code out of range: " + code);
        }
    }

    /** A result without code, info or duration. */
    public static CheckResult of(CheckStatus status) {
        return new CheckResult(status, 0, "", Duration.ZERO);
    }

    /** A result without code or duration. */
    public static CheckResult of(CheckStatus status, String info) {
        return new CheckResult(status, 0, info, Duration.ZERO);
    }

    /** True when the check succeeded. */
    public boolean passed() {
        return status.passed();
    }

    public CheckResult withCode(int v) {
        return new CheckResult(status, v, info, duration);
    }

    public CheckResult withInfo(String v) {
        return new CheckResult(status, code, v, duration);
    }

    public CheckResult withDuration(Duration v) {
        return new CheckResult(status, code, info, v);
    }

    /**
     * HAProxy's wording of this result inside a log line: {@code reason: Layer7 wrong status, code: 404,
     * info: "Not Found", check duration: 3ms}. Characters that are not printable ASCII, {@code <},
     * {@code >} and {@code "} in the info are written as {@code <XX>} (hex), as HAProxy does.
     */
    public String describe() {
        StringBuilder b = new StringBuilder("reason: ").append(status.description());
        if (status.reportsCode()) {
            b.append(", code: ").append(code);
        }
        if (!info.isEmpty()) {
            b.append(", info: \"");
            asciiEncode(info, b);
            b.append('"');
        }
        b.append(", check duration: ").append(duration.toMillis()).append("ms");
        return b.toString();
    }

    private static void asciiEncode(String s, StringBuilder out) {
        for (byte by : s.getBytes(StandardCharsets.UTF_8)) {
            int c = by & 0xff;
            if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '"') {
                out.append('<').append(HEX[c >> 4]).append(HEX[c & 0xf]).append('>');
            } else {
                out.append((char) c);
            }
        }
    }
}
