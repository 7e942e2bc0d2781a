package io.tidegate.cli;

import io.tidegate.engine.ErrorCapture;
import io.tidegate.engine.ErrorCaptures;
import io.tidegate.stats.StatsSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code show errors} in HAProxy 2.6's layout: a {@code Total events captured} line, then per
 * frontend its last invalid request and per backend its last invalid response: date, proxies and
 * ids, source, length and error position, and the bytes, one input line per output line prefixed with its offset, escaped as HAProxy does
 * ({@code \r}, {@code \n}, {@code \t}, {@code \e}, {@code \\}, else {@code \xNN}), lines cut to
 * stay within 79 columns with a {@code +} after the offset of a continuation. Where HAProxy prints
 * its H1 parser's state, Tidegate prints the status it answered and the reason. A backend's last
 * invalid response (refused, the client answered 502) is listed the same way under
 * {@code backend B (#id): invalid response}, naming the client's frontend and the server.
 */
final class ErrorListing {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT);

    private ErrorListing() {
    }

    /**
     * @param proxy     the one proxy to list (a frontend and a backend of one name are two), or null for all
     * @param requests  list the frontends' invalid requests
     * @param responses list the backends' invalid responses
     */
    static String format(List<ErrorCapture> captures, int events, StatsSnapshot s, StatsSnapshot.Proxy proxy,
                         boolean requests, boolean responses) {
        StringBuilder sb = new StringBuilder("Total events captured on [").append(date(System.currentTimeMillis()))
                .append("] : ").append(events).append('\n');
        for (StatsSnapshot.Proxy p : s.proxies()) {        // as HAProxy: per proxy, its request then its response
            if (proxy != null && proxy != p) continue;
            for (ErrorCapture c : captures) {
                if (requests && !c.response() && p.frontend() != null && p.name().equals(c.frontend())) entry(sb, c, s, p);
            }
            for (ErrorCapture c : captures) {
                if (responses && c.response() && p.backend() != null && p.name().equals(c.backend())) entry(sb, c, s, p);
            }
        }
        return sb.toString();
    }

    private static void entry(StringBuilder sb, ErrorCapture c, StatsSnapshot s, StatsSnapshot.Proxy p) {
        sb.append(" \n[").append(date(c.whenMillis())).append("] ");
        if (c.response()) {
            sb.append("backend ").append(p.name()).append(" (#").append(p.iid()).append("): invalid response\n")
                    .append("  frontend ").append(c.frontend()).append(" (#").append(iid(s, c.frontend()))
                    .append("), server ").append(c.server()).append(" (#").append(sid(p, c.server())).append(')');
        } else {
            sb.append("frontend ").append(p.name()).append(" (#").append(p.iid()).append("): invalid request\n")
                    .append("  backend <NONE> (#-1), server <NONE> (#-1)");
        }
        sb.append(", event #").append(c.event()).append(", src ").append(SessionListing.address(c.client())).append('\n')
                .append("  buffer starts at 0 (including 0 out), ").append(Math.max(0, ErrorCaptures.MAX_BYTES - c.length()))
                .append(" free,\n")
                .append("  len ").append(c.length()).append(", wraps at ").append(ErrorCaptures.MAX_BYTES)
                .append(", error at position ").append(c.position()).append('\n')
                .append("  session 0x").append(Long.toHexString(c.sessionId())).append(", answered ").append(c.status())
                .append(": ").append(c.reason()).append('\n')
                .append("  \n");
        dump(sb, c.bytes());
    }

    private static int iid(StatsSnapshot s, String frontend) {
        return s.frontend(frontend).map(StatsSnapshot.Proxy::iid).orElse(-1);
    }

    /** The server's id in its backend (HAProxy's {@code puid}: 1-based in file order), -1 when gone. */
    private static int sid(StatsSnapshot.Proxy p, String server) {
        if (p.backend() == null) return -1;
        for (int i = 0; i < p.backend().servers().size(); i++) {
            if (p.backend().servers().get(i).name().equals(server)) return i + 1;
        }
        return -1;
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
