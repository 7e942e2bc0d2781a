package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidegate.config.LogFormat;
import io.tidegate.config.LogFormatParser;
import io.tidegate.log.LineBytes;
import io.tidegate.log.LogLine;
import io.tidegate.log.SyslogFraming;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The access-log line formatted straight into bytes ({@link LineBytes}) is byte for byte the line of
 * the formatter it replaces (text in a StringBuilder, then framed), over many exchanges, the built-in
 * formats, log-format strings made of every variable, each syslog framing and several {@code len}.
 */
class LogBytesSameAsBeforeTest {
    private static final String[] NAMES = {"fe", "be_main", "s1", "f\u00e9", "x\u4e00y", "listen-80", ""};
    private static final String[] TERMINATIONS = {"----", "--NI", "sD--", "CD--", "PR--", "cH--", "SC--"};

    @Test
    void sameBytesAsTheStringBuilderFormatter() {
        Random r = new Random(15);
        List<String> formats = new ArrayList<>(List.of(LogFormat.HTTP.format(), LogFormat.TCP.format(),
                // Apache's common log format as HAProxy's documentation spells it with variables
                "%{+Q}o %{-Q}ci - - [%trg] %r %ST %B \"\" \"\" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc "
                        .replace("%{+Q}o ", "").replace("%trg", "%tr").replace(" %ms", ""),
                "%hr %hs", "%hr", " %hs x", "%% %ci%%"));
        List<String> vars = new ArrayList<>(LogFormatParser.VARIABLES);
        java.util.Collections.sort(vars);
        for (int n = 0; n < 200; n++) {
            StringBuilder f = new StringBuilder();
            int k = 1 + r.nextInt(12);
            for (int i = 0; i < k; i++) {
                String lit = switch (r.nextInt(5)) {
                    case 0 -> "";
                    case 1 -> " ";
                    case 2 -> " [";
                    case 3 -> "/";
                    default -> " \u00e9%%\u4e00 ";
                };
                f.append(lit).append(r.nextInt(4) == 0 ? "%{+Q}" : "%").append(vars.get(r.nextInt(vars.size())));
            }
            if (r.nextBoolean()) f.append(' ');
            formats.add(f.toString());
        }
        int compared = 0;
        for (String format : formats) {
            AccessLog log = new AccessLog(LogFormat.custom(format), List.of(), false);
            for (int e = 0; e < 40; e++) {
                LogFields fields = exchange(r);
                long when = 1_600_000_000_000L + (long) (r.nextDouble() * 400_000_000_000L);
                LogLine before = LogLine.get();
                before.epochMillis = when;
                log.formatText(fields, before);
                LineBytes after = LineBytes.detached();
                after.epochMillis = when;
                log.format(fields, after);
                for (SyslogFraming.Format framing : SyslogFraming.Format.values()) {
                    for (int len : new int[] {1024, 65535, 40, 1, 200_000}) {
                        int facility = r.nextInt(24);
                        byte[] a = bytes(SyslogFraming.frame(before, framing, facility, 6, len));
                        byte[] b = bytes(after.frame(framing, facility, 6, len));
                        assertEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b),
                                () -> "format '" + format + "' " + framing + " len " + len + ": '" + before.text + "'");
                        compared++;
                    }
                }
            }
        }
        assertEquals(formats.size() * 40 * 4 * 5, compared);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static LogFields exchange(Random r) {
        LogFields f = new LogFields();
        boolean v6 = r.nextInt(4) == 0;
        String ip = v6 ? "2001:db8::" + Integer.toHexString(r.nextInt(65536)) : "10." + r.nextInt(256) + ".0." + r.nextInt(256);
        f.client = new InetSocketAddress(ip, r.nextInt(65536));
        f.clientIp = f.client.getAddress().getHostAddress();
        f.frontendAddress = r.nextInt(5) == 0 ? null : new InetSocketAddress("127.0.0." + (1 + r.nextInt(9)), r.nextInt(65536));
        f.frontend = pick(r, NAMES);
        f.backend = r.nextInt(4) == 0 ? null : pick(r, NAMES);
        f.server = r.nextInt(4) == 0 ? null : pick(r, NAMES);
        f.serverAddress = r.nextInt(3) == 0 ? null : new InetSocketAddress("192.168.1." + r.nextInt(256), r.nextInt(65536));
        f.acceptEpochMs = 1_600_000_000_000L + (long) (r.nextDouble() * 400_000_000_000L);
        f.requestEpochMs = f.acceptEpochMs + r.nextInt(5000);
        f.th = time(r);
        f.ti = time(r);
        f.tR = time(r);
        f.tw = time(r);
        f.tc = time(r);
        f.tr = time(r);
        f.ta = time(r);
        f.tt = time(r);
        f.status = r.nextInt(5) == 0 ? -1 : 100 + r.nextInt(500);
        f.bytesFromClient = r.nextInt(3) == 0 ? r.nextLong() & Long.MAX_VALUE : r.nextInt(100000);
        f.bytesToClient = r.nextInt(3) == 0 ? r.nextLong() & Long.MAX_VALUE : r.nextInt(100000);
        f.termination = pick(r, TERMINATIONS);
        f.cookieClient = "-NIDVE".charAt(r.nextInt(6));
        f.cookieServer = "-NIUPRD".charAt(r.nextInt(7));
        f.actconn = r.nextInt(100000);
        f.feconn = r.nextInt(1000);
        f.beconn = r.nextInt(1000);
        f.srvconn = r.nextInt(1000);
        f.retries = r.nextInt(4);
        f.redispatched = r.nextInt(5) == 0;
        f.serverQueue = r.nextInt(10);
        f.backendQueue = r.nextInt(10);
        if (r.nextInt(6) == 0) {
            f.requestLineLength = -1;
        } else {
            String[] lines = {"GET / HTTP/1.1", "POST /a/b?x=1&y=\"2\" HTTP/1.0", "GET /only", "BREW",
                    "GET /%C3%A9?q HTTP/1.1", "OPTIONS * HTTP/1.1"};
            byte[] line = pick(r, lines).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (r.nextInt(3) == 0) {
                line = java.util.Arrays.copyOf(line, line.length + 3);
                for (int i = 3; i > 0; i--) line[line.length - i] = (byte) r.nextInt(256);
            }
            f.captureRequestLine(ByteBuffer.wrap(line), 0, line.length);
        }
        if (r.nextBoolean()) {
            f.requestCookie = randomBytes(r, 12);
            f.requestCookieLength = r.nextInt(13);
            f.responseCookie = randomBytes(r, 12);
            f.responseCookieLength = r.nextInt(3) == 0 ? -1 : r.nextInt(13);
        }
        return f;
    }

    private static long time(Random r) {
        return r.nextInt(6) == 0 ? -1 : r.nextInt(3) == 0 ? r.nextInt(Integer.MAX_VALUE) : r.nextInt(1000);
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : (byte) ('a' + r.nextInt(26));
        return b;
    }

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }
}
