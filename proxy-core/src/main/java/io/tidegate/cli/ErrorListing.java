package io.tidegate.cli;

import io.tidegate.engine.ErrorCapture;
import io.tidegate.stats.StatsSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code show errors} in HAProxy 2.6's layout: a {@code Total events captured} line, then per
 * frontend its last invalid request: date, frontend and ids, source, length and error position,
 * and the bytes, one input line per output line prefixed with its offset, escaped as HAProxy does
 * ({@code \r}, {@code \n}, {@code \t}, {@code \e}, {@code \\}, else {@code \xNN}), lines cut to
 * stay within 79 columns with a {@code +} after the offset of a continuation. Where HAProxy prints
 * its H1 parser's state, Tidegate prints the status it answered and the reason. Tidegate captures
 * no invalid responses (a bad response is answered 502 and logged), so {@code response} shows none.
 */
final class ErrorListing {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT);

    private ErrorListing() {
    }

    static String format(List<ErrorCapture> captures, int events, StatsSnapshot s, String proxy, boolean requests) {
        StringBuilder sb = new StringBuilder("Total events captured on [").append(date(System.currentTimeMillis()))
                .append("] : ").append(events).append('\n');
        if (!requests) return sb.toString();
        for (ErrorCapture c : captures) {
            if (proxy != null && !proxy.equals(c.frontend())) continue;
            int iid = s.proxy(c.frontend()).map(StatsSnapshot.Proxy::iid).orElse(-1);
            sb.append(" \n[").append(date(c.whenMillis())).append("] frontend ").append(c.frontend()).append(" (#").append(iid)
                    .append("): invalid request\n")
                    .append("  backend <NONE> (#-1), server <NONE> (#-1), event #").append(c.event())
                    .append(", src ").append(SessionListing.address(c.client())).append('\n')
                    .append("  buffer starts at 0 (including 0 out), ").append(Math.max(0, io.tidegate.engine.ErrorCaptures.MAX_BYTES - c.length()))
                    .append(" free,\n")
                    .append("  len ").append(c.length()).append(", wraps at ").append(io.tidegate.engine.ErrorCaptures.MAX_BYTES)
                    .append(", error at position ").append(c.position()).append('\n')
                    .append("  session 0x").append(Long.toHexString(c.sessionId())).append(", answered ").append(c.status())
                    .append(": ").append(c.reason()).append('\n')
                    .append("  \n");
            dump(sb, c.bytes());
        }
        return sb.toString();
    }

    /** HAProxy's dump_text_line over the whole capture. */
    static void dump(StringBuilder sb, byte[] b) {
        int ptr = 0;
        int lineStart = 0;
        while (ptr < b.length) {
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "  %05d%c ", ptr, ptr == lineStart ? ' ' : '+'));
            int end = 79;      // HAProxy's output lines never exceed 79 characters
            boolean newline = false;
            while (ptr < b.length) {
                int c = b[ptr] & 0xff;
                String piece;
                if (c >= 0x20 && c < 0x7f && c != '\\') piece = String.valueOf((char) c);
                else if (c == '\t') piece = "\\t";
                else if (c == '\n') piece = "\\n";
                else if (c == '\r') piece = "\\r";
                else if (c == 0x1b) piece = "\\e";
                else if (c == '\\') piece = "\\\\";
                else piece = String.format(Locale.ROOT, "\\x%02X", c);
                if (line.length() + piece.length() > end) break;
                line.append(piece);
                ptr++;
                if (c == '\n') {
                    newline = true;
                    break;
                }
            }
            if (newline) lineStart = ptr;
            sb.append(line).append('\n');
        }
    }

    private static String date(long millis) {
        return DATE.format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()));
    }
}
