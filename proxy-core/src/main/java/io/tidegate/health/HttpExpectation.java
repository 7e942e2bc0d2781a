package io.tidegate.health;

import io.tidegate.config.HttpCheckExpect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an HTTP check answer must look like: {@code http-check expect [!] status|rstatus|string|rstring
 * PATTERN}, or without it a 2xx or 3xx status. {@code status} takes a code or a comma-separated list of
 * codes and ranges ({@code 200,201,300-310}); {@code rstatus} a regular expression searched in the
 * three-digit code; {@code string} a text and {@code rstring} a regular expression searched in the body.
 */
public final class HttpExpectation {

    /** The match kinds of {@code http-check expect}. */
    public enum Match { STATUS, RSTATUS, STRING, RSTRING }

    /** No {@code http-check expect}: a 2xx or 3xx status is up. */
    public static final HttpExpectation DEFAULT = new HttpExpectation(Match.STATUS, false, "200-399");

    private final Match match;
    private final boolean negated;
    private final String pattern;
    private final List<int[]> statusRanges;
    private final Pattern regex;
    private final byte[] text;

    private HttpExpectation(Match match, boolean negated, String pattern) {
        this.match = Objects.requireNonNull(match, "match");
        this.negated = negated;
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.statusRanges = match == Match.STATUS ? parseRanges(pattern) : List.of();
        this.regex = match == Match.RSTATUS || match == Match.RSTRING ? Pattern.compile(pattern) : null;
        this.text = match == Match.STRING ? pattern.getBytes(StandardCharsets.UTF_8) : null;
    }

    public static HttpExpectation of(Match match, boolean negated, String pattern) {
        return new HttpExpectation(match, negated, pattern);
    }

    /** The expectation of a configuration's {@code http-check expect}; {@code null} gives {@link #DEFAULT}. */
    public static HttpExpectation of(HttpCheckExpect expect) {
        if (expect == null) {
            return DEFAULT;
        }
        Match m = switch (expect.match()) {
            case "status" -> Match.STATUS;
            case "rstatus" -> Match.RSTATUS;
            case "string" -> Match.STRING;
            case "rstring" -> Match.RSTRING;
            default -> throw new IllegalArgumentException("unsupported http-check expect match: " + expect.match());
        };
        return new HttpExpectation(m, expect.negated(), expect.pattern());
    }

    public Match match() {
        return match;
    }

    public boolean negated() {
        return negated;
    }

    public String pattern() {
        return pattern;
    }

    /** True when the verdict depends on the body. */
    public boolean needsBody() {
        return match == Match.STRING || match == Match.RSTRING;
    }

    /** Does status {@code code} satisfy a status expectation (negation applied)? */
    boolean statusMatches(int code) {
        boolean hit;
        if (match == Match.STATUS) {
            hit = false;
            for (int[] r : statusRanges) {
                if (code >= r[0] && code <= r[1]) {
                    hit = true;
                    break;
                }
            }
        } else if (match == Match.RSTATUS) {
            hit = regex.matcher(String.format("%03d", code)).find();
        } else {
            throw new IllegalStateException("not a status expectation: " + match);
        }
        return hit != negated;
    }

    /** Is the pattern found in {@code body} (negation NOT applied)? */
    boolean bodyContains(byte[] body, int length) {
        if (match == Match.STRING) {
            return indexOf(body, length, text) >= 0;
        }
        if (match == Match.RSTRING) {
            return regex.matcher(new String(body, 0, length, StandardCharsets.ISO_8859_1)).find();
        }
        throw new IllegalStateException("not a content expectation: " + match);
    }

    private static int indexOf(byte[] hay, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static List<int[]> parseRanges(String spec) {
        List<int[]> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 100 || hi > 999 || lo > hi) {
                    throw new IllegalArgumentException("invalid status range '" + p + "' in '" + spec + "'");
                }
                out.add(new int[] {lo, hi});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid status '" + p + "' in '" + spec + "'", e);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "http-check expect " + (negated ? "! " : "") + match.name().toLowerCase() + " " + pattern;
    }
}
