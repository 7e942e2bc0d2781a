package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * httplog and tcplog lines as HAProxy 2.x lays them out, received over UDP syslog as a syslog
 * server would: one parser for the layout, checked first against a line HAProxy 2.6 wrote
 * (Debian's haproxy, same request), then field by field against what the test did.
 */
class HttpLogLayoutTest extends EngineTestSupport {
    /** A line HAProxy 2.6.12 (Debian) wrote for a GET through frontend fe to be/s1 with a captured cookie. */
    static final String HAPROXY_26_LINE = "127.0.0.1:35000 [05/Dec/2026:11:22:26.714] fe be/s1 0/0/0/4/4 200 489 "
            + "SERVERID=abc - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"";
    /** The same through a frontend bound on [::1], client ::1 (HAProxy prints inet_ntop's RFC 5952 form). */
    static final String HAPROXY_26_IPV6_LINE = "::1:45620 [06/Dec/2026:02:08:57.247] fe be/s1 0/0/0/1/1 200 489 - - ---- "
            + "1/1/0/0/0 0/0 \"GET / HTTP/1.1\"";
    static final String HAPROXY_26_TCP_LINE = "127.0.0.1:44164 [05/Dec/2026:11:22:26.725] tl tl/s1 1/0/0 490 -- 1/1/0/0/0 0/0";

    /** HAProxy's httplog: %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r */
    static final Pattern HTTPLOG = Pattern.compile("(?<ci>[0-9a-f.:]+):(?<cp>\\d+) \\[(?<tr>\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\] "
            + "(?<ft>\\S+) (?<b>\\S+)/(?<s>\\S+) (?<TR>-?\\d+)/(?<Tw>-?\\d+)/(?<Tc>-?\\d+)/(?<Tr>-?\\d+)/(?<Ta>\\d+) "
            + "(?<ST>\\d{3}) (?<B>\\d+) (?<CC>\\S+) (?<CS>\\S+) (?<tsc>[-A-Za-z]{4}) "
            + "(?<ac>\\d+)/(?<fc>\\d+)/(?<bc>\\d+)/(?<sc>\\d+)/(?<rc>\\+?\\d+) (?<sq>\\d+)/(?<bq>\\d+) \"(?<r>[^\"]*)\"");
    /** HAProxy's tcplog: %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq */
    static final Pattern TCPLOG = Pattern.compile("(?<ci>[0-9.]+):(?<cp>\\d+) \\[(?<t>[^\\]]+)\\] (?<ft>\\S+) (?<b>\\S+)/(?<s>\\S+) "
            + "(?<Tw>-?\\d+)/(?<Tc>-?\\d+)/(?<Tt>\\d+) (?<B>\\d+) (?<ts>[-A-Za-z]{2}) "
            + "(?<ac>\\d+)/(?<fc>\\d+)/(?<bc>\\d+)/(?<sc>\\d+)/(?<rc>\\+?\\d+) (?<sq>\\d+)/(?<bq>\\d+)");
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private DatagramSocket syslog;

    @BeforeEach
    void openSyslogReceiver() throws Exception {
        syslog = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        syslog.setSoTimeout(5000);
    }

    @AfterEach
    void closeReceiver() {
        syslog.close();
    }

    private String receive() throws Exception {
        byte[] b = new byte[8192];
        DatagramPacket p = new DatagramPacket(b, b.length);
        syslog.receive(p);
        return new String(b, 0, p.getLength(), StandardCharsets.ISO_8859_1);
    }

    private static Matcher parse(Pattern p, String line) {
        Matcher m = p.matcher(line);
        assertTrue(m.matches(), "layout of: " + line);
        return m;
    }

    @Test
    void theParserReadsHaproxysOwnLines() {
        Matcher m = parse(HTTPLOG, HAPROXY_26_LINE);
        assertEquals("SERVERID=abc", m.group("CC"));
        assertEquals("GET / HTTP/1.1", m.group("r"));
        assertEquals("tl", parse(TCPLOG, HAPROXY_26_TCP_LINE).group("ft"));
        Matcher v6 = parse(HTTPLOG, HAPROXY_26_IPV6_LINE);
        assertEquals("::1", v6.group("ci"));
        assertEquals("45620", v6.group("cp"));
    }

    @Test
    void anIpv6ClientIsLoggedAndForwardedForInHaproxysCompressedForm() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        start0("""
                global
                    log 127.0.0.1:%d local0
                defaults
                    mode http
                    log global
                    option httplog
                    option httpclose
                    option forwardfor
                frontend fe
                    bind [::1]:%d
                    default_backend be
                backend be
                    server s1 127.0.0.1:%d
                """.formatted(syslog.getLocalPort(), port, web.port()));
        int clientPort;
        try (Socket c = new Socket(InetAddress.getByName("::1"), port)) {
            clientPort = c.getLocalPort();
            c.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            c.getInputStream().readAllBytes();
        }
        String datagram = receive();
        String line = datagram.substring(datagram.indexOf("]: ") + 3, datagram.length() - 1);
        Matcher m = parse(HTTPLOG, line);
        Matcher haproxy = parse(HTTPLOG, HAPROXY_26_IPV6_LINE);
        assertEquals(haproxy.group("ci"), m.group("ci"), line);
        assertTrue(line.startsWith("::1:" + clientPort + " ["), line);
        for (String field : List.of("ft", "b", "s", "ST", "CC", "CS", "tsc", "r")) {
            assertEquals(haproxy.group(field), m.group(field), field + " in " + line);
        }
        assertTrue(web.heads().get(0).contains("\r\nX-Forwarded-For: ::1\r\n"), "as HAProxy writes it: " + web.heads().get(0));
    }

    @Test
    void httplogOverUdpSyslogFieldByField() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        start0("""
                global
                    log 127.0.0.1:%d local0
                defaults
                    mode http
                    log global
                    option httplog
                    option httpclose
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    server s1 127.0.0.1:%d
                """.formatted(syslog.getLocalPort(), port, web.port()));
        long before = System.currentTimeMillis();
        int clientPort;
        String response;
        try (Socket c = new Socket("127.0.0.1", port)) {
            clientPort = c.getLocalPort();
            c.getOutputStream().write("GET /path?q=1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            response = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        String datagram = receive();
        // rfc3164 framing: <PRI>Mmm dd hh:mm:ss TAG[PID]: , PRI = local0 (16) * 8 + info (6)
        Matcher frame = Pattern.compile("<134>([A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d) tidegate\\[(\\d+)\\]: (.*)\n")
                .matcher(datagram);
        assertTrue(frame.matches(), datagram);
        assertEquals(ProcessHandle.current().pid(), Long.parseLong(frame.group(2)));
        Matcher m = parse(HTTPLOG, frame.group(3));
        assertEquals("127.0.0.1", m.group("ci"));
        assertEquals(clientPort, Integer.parseInt(m.group("cp")));
        long date = ZonedDateTime.parse(m.group("tr"), DATE).toInstant().toEpochMilli();
        assertTrue(date >= before - 1000 && date <= System.currentTimeMillis(), m.group("tr"));
        assertEquals("fe", m.group("ft"));
        assertEquals("be", m.group("b"));
        assertEquals("s1", m.group("s"));
        for (String t : List.of("TR", "Tw", "Tc", "Tr")) assertTrue(Long.parseLong(m.group(t)) >= 0, t + " happened");
        assertTrue(Long.parseLong(m.group("Ta")) >= Long.parseLong(m.group("Tr")), "Ta covers Tr");
        assertEquals("200", m.group("ST"));
        assertEquals(response.length(), Integer.parseInt(m.group("B")), "bytes sent to the client");
        assertEquals("-", m.group("CC"));
        assertEquals("-", m.group("CS"));
        assertEquals("----", m.group("tsc"));
        assertTrue(Integer.parseInt(m.group("ac")) >= 1 && Integer.parseInt(m.group("fc")) >= 1, "this connection counts");
        assertEquals("0", m.group("rc"), "no retry");
        assertEquals("0", m.group("sq"));
        assertEquals("0", m.group("bq"));
        assertEquals("GET /path?q=1 HTTP/1.1", m.group("r"));
    }

    @Test
    void badRequestLineAsHaproxyWritesIt() throws Exception {
        int port = GuideConfigs.freePort();
        start0("""
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    log 127.0.0.1:%d format raw local0
                    option httplog
                    server s1 127.0.0.1:9
                """.formatted(port, syslog.getLocalPort()));
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());   // no Host
            assertTrue(new String(c.getInputStream().readAllBytes()).startsWith("HTTP/1.1 400"));
        }
        Matcher m = parse(HTTPLOG, receive().stripTrailing());
        assertEquals("web", m.group("b"), "no backend reached: the frontend's name");
        assertEquals("<NOSRV>", m.group("s"));
        assertEquals("-1", m.group("TR"));
        assertEquals("-1", m.group("Tw"));
        assertEquals("-1", m.group("Tc"));
        assertEquals("-1", m.group("Tr"));
        assertEquals("400", m.group("ST"));
        assertEquals("PR--", m.group("tsc"));
        assertEquals("<BADREQ>", m.group("r"));
    }

    @Test
    void tcplogInRfc5424FramingWithDontlognull() throws Exception {
        PeerRecorder echo = track(new PeerRecorder(false));
        int port = GuideConfigs.freePort();
        start0("""
                listen relay
                    bind 127.0.0.1:%d
                    mode tcp
                    log 127.0.0.1:%d format rfc5424 local1 info
                    option tcplog
                    option dontlognull
                    server e 127.0.0.1:%d
                """.formatted(port, syslog.getLocalPort(), echo.port()));
        try (Socket idle = new Socket("127.0.0.1", port)) {
            idle.setSoTimeout(200);
            // connects and closes without a byte: dontlognull keeps it out of the log
        }
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.getOutputStream().write("hello".getBytes());
            assertEquals("hello", new String(c.getInputStream().readNBytes(5)));
        }
        String datagram = receive();
        Matcher frame = Pattern.compile("<142>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00) - tidegate (\\d+) - - (.*)\n")
                .matcher(datagram);
        assertTrue(frame.matches(), datagram);
        Instant.parse(frame.group(1).replace("+00:00", "Z"));
        Matcher m = parse(TCPLOG, frame.group(3));
        assertEquals("relay", m.group("ft"));
        assertEquals("relay", m.group("b"));
        assertEquals("e", m.group("s"));
        assertEquals("5", m.group("B"));
        assertEquals("--", m.group("ts"));
        syslog.setSoTimeout(300);
        List<String> more = new ArrayList<>();
        try {
            while (true) more.add(receive());
        } catch (SocketTimeoutException expected) {
            // nothing else: the empty session was not logged
        }
        assertEquals(List.of(), more);
    }

    /**
     * Lines HAProxy 2.6.12 (Debian) wrote for five exchanges: listen web with {@code cookie SERVERID
     * insert indirect} (no cookie, a valid one, one naming no server), listen pfx with {@code cookie
     * JSESSIONID prefix} and a server that sets JSESSIONID (no cookie, a valid prefixed one).
     */
    static final List<String> HAPROXY_26_COOKIE_LINES = List.of(
            "127.0.0.1:38642 [05/Dec/2026:14:16:15.181] web web/s1 0/0/0/0/0 200 116 - - --NI 1/1/0/0/0 0/0 \"GET /a HTTP/1.1\"",
            "127.0.0.1:38652 [05/Dec/2026:14:16:15.193] web web/s1 0/0/0/0/0 200 116 - - --VN 1/1/0/0/0 0/0 \"GET /b HTTP/1.1\"",
            "127.0.0.1:38668 [05/Dec/2026:14:16:15.203] web web/s1 0/0/0/0/0 200 116 - - --II 1/1/0/0/0 0/0 \"GET /c HTTP/1.1\"",
            "127.0.0.1:54820 [05/Dec/2026:14:16:15.217] pfx pfx/s1 0/0/0/0/0 200 148 - - --NR 1/1/0/0/0 0/0 \"GET /d HTTP/1.1\"",
            "127.0.0.1:54828 [05/Dec/2026:14:16:15.225] pfx pfx/s1 0/0/0/0/0 200 148 - - --VR 1/1/0/0/0 0/0 \"GET /e HTTP/1.1\"");

    @Test
    void persistenceCookieFlagsMatchHaproxysLinesForTheSameExchanges() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        PeerRecorder app = track(new PeerRecorder(true, "Set-Cookie: JSESSIONID=xyz; path=/\r\n"));
        int webPort = GuideConfigs.freePort();
        int pfxPort = GuideConfigs.freePort();
        Engine engine = start0("""
                defaults
                    mode http
                    log 127.0.0.1:%d format raw local0
                    option httplog
                listen web
                    bind 127.0.0.1:%d
                    cookie SERVERID insert indirect
                    server s1 127.0.0.1:%d cookie A
                listen pfx
                    bind 127.0.0.1:%d
                    cookie JSESSIONID prefix
                    server s1 127.0.0.1:%d cookie A
                """.formatted(syslog.getLocalPort(), webPort, web.port(), pfxPort, app.port()));
        String[][] exchanges = {{"" + webPort, "/a", null}, {"" + webPort, "/b", "SERVERID=A"},
                {"" + webPort, "/c", "SERVERID=zz"}, {"" + pfxPort, "/d", null}, {"" + pfxPort, "/e", "JSESSIONID=A~xyz"}};
        for (int i = 0; i < exchanges.length; i++) {
            String[] e = exchanges[i];
            try (RawClient c = new RawClient(Integer.parseInt(e[0]))) {
                assertEquals(200, c.send("GET " + e[1] + " HTTP/1.1\r\nHost: x\r\n"
                        + (e[2] == null ? "" : "Cookie: " + e[2] + "\r\n") + "Connection: close\r\n\r\n").read().status());
            }
            Matcher ours = parse(HTTPLOG, receive().stripTrailing());
            Matcher theirs = parse(HTTPLOG, HAPROXY_26_COOKIE_LINES.get(i));
            assertEquals(theirs.group("r"), ours.group("r"));
            assertEquals(theirs.group("tsc"), ours.group("tsc"), "termination state of " + ours.group("r"));
        }
        engine.setServerUp("web", "s1", false);      // D: the cookie names a server that is down
        try (RawClient c = new RawClient(webPort)) {
            assertEquals(503, c.send("GET /f HTTP/1.1\r\nHost: x\r\nCookie: SERVERID=A\r\n\r\n").read().status());
        }
        Matcher down = parse(HTTPLOG, receive().stripTrailing());
        assertEquals("SCDN", down.group("tsc"), "no server left: SC, the cookie's server is down, nothing set");
    }

    @Test
    void logToAUnixDatagramSocketAsToDevLog() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tidegate-devlog");
        java.nio.file.Path sock = dir.resolve("log");
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        try (org.newsclub.net.unix.AFUNIXDatagramSocket receiver = org.newsclub.net.unix.AFUNIXDatagramSocket.newInstance()) {
            receiver.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(sock));
            receiver.setSoTimeout(5000);
            start0("""
                    listen web
                        bind 127.0.0.1:%d
                        mode http
                        log %s local0
                        option httplog
                        server s1 127.0.0.1:%d
                    """.formatted(port, sock, web.port()));
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET /via-devlog HTTP/1.0\r\n\r\n").read().status());
            }
            byte[] b = new byte[8192];
            DatagramPacket p = new DatagramPacket(b, b.length);
            receiver.receive(p);
            String datagram = new String(b, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            // what HAProxy sends to /dev/log: rfc3164, PRI = local0 (16) * 8 + info (6)
            Matcher frame = Pattern.compile("<134>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d tidegate\\[\\d+\\]: (.*)\n")
                    .matcher(datagram);
            assertTrue(frame.matches(), datagram);
            Matcher m = parse(HTTPLOG, frame.group(1));
            assertEquals("GET /via-devlog HTTP/1.0", m.group("r"));
            assertEquals("web", m.group("ft"));
        } finally {
            java.nio.file.Files.deleteIfExists(sock);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    @Test
    void logLevelAboveInfoFiltersAccessLines() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        start0("""
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    log 127.0.0.1:%d local0 notice
                    option httplog
                    server s1 127.0.0.1:%d
                """.formatted(port, syslog.getLocalPort(), web.port()));
        try (RawClient c = new RawClient(port)) {
            assertEquals(200, c.send("GET / HTTP/1.0\r\n\r\n").read().status());
        }
        syslog.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, this::receive, "info lines are above the target's notice level");
    }

    @Test
    void captureCookieShowsTheRequestAndResponseCookies() throws Exception {
        try (java.net.ServerSocket origin = new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (Socket s = origin.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    int c;
                    while ((c = in.read()) >= 0 && !head.append((char) c).toString().endsWith("\r\n\r\n")) {
                        // the request head
                    }
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nSet-Cookie: other=1\r\n"
                            + "Set-Cookie: JSESSIONID=0123456789abcdef0123456789; path=/; HttpOnly\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception ignored) {
                    // the log line is asserted
                }
            });
            t.setDaemon(true);
            t.start();
            int port = GuideConfigs.freePort();
            start0("""
                    listen web
                        bind 127.0.0.1:%d
                        mode http
                        log 127.0.0.1:%d format raw local0
                        option httplog
                        capture cookie JSESSIONID len 20
                        server s1 127.0.0.1:%d
                    """.formatted(port, syslog.getLocalPort(), origin.getLocalPort()));
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: x\r\nCookie: a=1; JSESSIONIDX=zz; b=2\r\n\r\n")
                        .read().status());
            }
            Matcher m = parse(HTTPLOG, receive().stripTrailing());
            assertEquals("JSESSIONIDX=zz", m.group("CC"), "the first cookie whose name starts with JSESSIONID");
            assertEquals("JSESSIONID=012345678", m.group("CS"), "name=value cut to len 20");
        }
    }

    @Test
    void aSyslogServerThatIsDownDoesNotDisturbTraffic() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        int nobody;
        try (DatagramSocket closed = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            nobody = closed.getLocalPort();     // closed again: ICMP port unreachable for whatever is sent there
        }
        start0("""
                listen web
                    bind 127.0.0.1:%d
                    mode http
                    log 127.0.0.1:%d local0
                    option httplog
                    server s1 127.0.0.1:%d
                """.formatted(port, nobody, web.port()));
        for (int i = 0; i < 30; i++) {
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET /n" + i + " HTTP/1.0\r\n\r\n").read().status(), "request " + i);
            }
        }
        assertEquals(30, web.heads().size());
    }

    private Engine start0(String config) throws Exception {
        return track(io.tidegate.engine.Engine.start(io.tidegate.config.ConfigLoader.load("t.cfg", config).config()));
    }
}
