package io.tidegate.cli;

import io.tidegate.engine.SessionView;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code show sess} answers in HAProxy 2.6's shapes: one line per session starting with HAProxy's
 * fields ({@code 0xID: proto=tcpv4 src=IP:PORT fe=NAME be=NAME srv=NAME ... age=3s}) so scripts that
 * cut at {@code src=}, {@code fe=}, {@code be=}, {@code srv=} or {@code age=} work; the fields HAProxy
 * prints about its tasks and buffers ({@code ts}, {@code epoch}, {@code calls}, {@code rq[...]}, ...) have
 * no Tidegate counterpart and are left out rather than faked; Tidegate adds {@code thr=},
 * {@code exchanges=} and {@code phase=}. {@code show sess ID} (or {@code all}) prints the detailed form.
 */
final class SessionListing {
    private static final DateTimeFormatter ACCEPT_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSSSSS", Locale.ROOT);

    private SessionListing() {
    }

    static String id(SessionView s) {
        return "0x" + Long.toHexString(s.id());
    }

    /** One line per session. */
    static String lines(List<SessionView> sessions) {
        StringBuilder sb = new StringBuilder();
        for (SessionView s : sessions) {
            sb.append(id(s)).append(": proto=").append(s.proto())
                    .append(" src=").append(address(s.client()))
                    .append(" fe=").append(s.frontend())
                    .append(" be=").append(s.backend() == null ? "<NONE>" : s.backend())
                    .append(" srv=").append(s.server() == null ? "<none>" : s.server())
                    .append(" age=").append(humanTime(TimeUnit.NANOSECONDS.toSeconds(s.ageNanos())))
                    .append(" thr=").append(s.thread())
                    .append(" exchanges=").append(s.exchanges())
                    .append(" phase=").append(s.phase())
                    .append('\n');
        }
        return sb.toString();
    }

    /** The detailed form of {@code show sess ID}. */
    static String detail(SessionView s) {
        String accepted = ACCEPT_DATE.format(Instant.ofEpochMilli(s.acceptedMillis()).atZone(ZoneId.systemDefault()));
        StringBuilder sb = new StringBuilder();
        sb.append(id(s)).append(": [").append(accepted).append("] id=").append(s.id()).append(" proto=").append(s.proto())
                .append(" source=").append(address(s.client())).append('\n');
        sb.append("  frontend=").append(s.frontend()).append(" (mode=").append(s.mode()).append(')');
        if (s.local() != null) sb.append(", addr=").append(address(s.local()));
        sb.append('\n');
        if (s.backend() == null) {
            sb.append("  backend=<NONE>\n  server=<NONE>\n");
        } else {
            sb.append("  backend=").append(s.backend()).append(" (mode=").append(s.mode()).append(")\n");
            sb.append("  server=").append(s.server() == null ? "<none>" : s.server());
            if (s.serverAddress() != null) sb.append(" addr=").append(address(s.serverAddress()));
            sb.append('\n');
        }
        sb.append("  thread=").append(s.thread()).append(" age=").append(humanTime(TimeUnit.NANOSECONDS.toSeconds(s.ageNanos())))
                .append(" exchanges=").append(s.exchanges()).append(" phase=").append(s.phase()).append('\n');
        return sb.toString();
    }

    /** HAProxy's address form: {@code IP:PORT}, an IPv6 address without brackets. */
    static String address(InetSocketAddress a) {
        if (a == null) return "?";
        String host = a.getAddress() != null ? io.tidegate.net.AddressText.of(a.getAddress()) : a.getHostString();
        int pct = host.indexOf('%');
        if (pct >= 0) host = host.substring(0, pct);
        return host + ":" + a.getPort();
    }

    /** HAProxy's human_time(): at most two units of d, h, m, s ({@code 0s}, {@code 59s}, {@code 1m5s}, {@code 2h}, {@code 3d4h}). */
    static String humanTime(long t) {
        if (t < 0) return "?";
        StringBuilder sb = new StringBuilder();
        int cnt = 2;
        if (t >= 86400) {
            sb.append(t / 86400).append('d');
            cnt--;
        }
        if (cnt > 0 && t % 86400 / 3600 != 0) {
            sb.append(t % 86400 / 3600).append('h');
            cnt--;
        }
        if (cnt > 0 && t % 3600 / 60 != 0) {
            sb.append(t % 3600 / 60).append('m');
            cnt--;
        }
        if ((cnt > 0 && t % 60 != 0) || t == 0) sb.append(t % 60).append('s');
        return sb.toString();
    }

    /** C's strtoul(text, NULL, 0) as HAProxy reads a session pointer: 0x hex, 0 octal, else decimal; 0 when not a number. */
    static long parseId(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) return Long.parseUnsignedLong(text.substring(2), 16);
            if (text.length() > 1 && text.startsWith("0")) return Long.parseUnsignedLong(text.substring(1), 8);
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
