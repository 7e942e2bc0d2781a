package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The guide's §2.1/§2.2 (an L4 balancer in front probes Tidegate: monitor-uri, monitor-net) and §6
 * (one server reached from several source addresses) as written, on loopback: 127.0.0.252/31 plays
 * the Alteon, 127.0.0.2..127.0.0.14 the source addresses.
 */
class MonitorAndSourceTest extends EngineTestSupport {

    private Engine start(String config) throws Exception {
        return track(GuideConfigs.start(config));
    }

    /** A connection from {@code from} (a loopback address) to the proxy on {@code port}. */
    private static Socket connectFrom(String from, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String readAll(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void monitorUriIsAnsweredLocallyNeverForwardedNorLogged() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        try (AccessLogCapture log = new AccessLogCapture()) {
            start("""
                    listen webfarm 127.0.0.1:%d
                        mode http
                        balance roundrobin
                        cookie JSESSIONID prefix
                        option httpclose
                        option forwardfor
                        option httplog
                        option dontlognull
                        monitor-uri /haproxy-check
                        server webA 127.0.0.1:%d cookie A check
                    """.formatted(port, web.port()));
            try (RawClient c = new RawClient(port)) {
                RawClient.Response r = c.send("GET /haproxy-check HTTP/1.0\r\n\r\n").read();
                assertEquals(200, r.status());
            }
            assertEquals(List.of(), web.heads(), "the monitor's request never reaches a server");
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET /haproxy-check?x HTTP/1.0\r\n\r\n").read().status(),
                        "another URI is forwarded");
            }
            waitFor(() -> web.heads().size() == 1 && log.lines().size() == 1);
            assertEquals(1, web.heads().size());
            assertEquals(1, log.lines().size(), "only the forwarded request is logged: " + log.lines());
            assertTrue(log.lines().get(0).contains("\"GET /haproxy-check?x HTTP/1.0\""), log.lines().get(0));
        }
    }

    @Test
    void monitorNetInHttpModeAnswersHttp10OkAndClosesWithoutForwardingOrLogging() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        try (AccessLogCapture log = new AccessLogCapture()) {
            start("""
                    listen webfarm 127.0.0.1:%d
                        mode http
                        option httplog
                        monitor-net 127.0.0.252/31
                        server webA 127.0.0.1:%d
                    """.formatted(port, web.port()));
            for (String alteon : List.of("127.0.0.252", "127.0.0.253")) {
                try (Socket probe = connectFrom(alteon, port)) {
                    assertEquals("HTTP/1.0 200 OK\r\n\r\n", readAll(probe), "then closed");
                }
            }
            try (Socket client = connectFrom("127.0.0.254", port)) {
                client.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                assertTrue(readAll(client).startsWith("HTTP/1.1 200 OK"), "outside the monitor net: forwarded");
            }
            waitFor(() -> log.lines().size() == 1);
            assertEquals(1, web.peers().size(), "only the ordinary client reached the server");
            assertEquals(1, log.lines().size(), log.lines().toString());
            assertTrue(log.lines().get(0).startsWith("127.0.0.254:"), log.lines().get(0));
        }
    }

    /** Guide §2.2: a TCP relay probed by the L4 balancers: accepted, closed, nothing forwarded, nothing logged. */
    @Test
    void monitorNetInTcpModeAcceptsAndCloses() throws Exception {
        PeerRecorder relayTarget = track(new PeerRecorder(false));
        int port = GuideConfigs.freePort();
        try (AccessLogCapture log = new AccessLogCapture()) {
            start("""
                    listen tcp-relay 127.0.0.1:%d
                        mode tcp
                        option tcplog
                        monitor-net 127.0.0.252/31
                        server tse 127.0.0.1:%d
                    """.formatted(port, relayTarget.port()));
            try (Socket probe = connectFrom("127.0.0.252", port)) {
                assertEquals(-1, probe.getInputStream().read(), "closed at once");
            }
            try (Socket client = connectFrom("127.0.0.1", port)) {
                client.getOutputStream().write("ping".getBytes());
                assertEquals("ping", new String(client.getInputStream().readNBytes(4)));
            }
            waitFor(() -> log.lines().size() == 1);
            assertEquals(1, relayTarget.peers().size());
            assertEquals(1, log.lines().size(), log.lines().toString());
        }
    }

    /** Guide §6: one server reached from thirteen source addresses; the server sees each of them. */
    @Test
    void tcpRelayBindsEachServersSourceAddress() throws Exception {
        PeerRecorder target = track(new PeerRecorder(false));
        int port = GuideConfigs.freePort();
        StringBuilder servers = new StringBuilder();
        Set<String> expected = new TreeSet<>();
        for (int n = 2; n <= 14; n++) {
            servers.append("    server from").append(n).append("to1 127.0.0.1:").append(target.port())
                    .append(" source 127.0.0.").append(n).append('\n');
            expected.add("127.0.0." + n);
        }
        start("listen 127.0.0.1:" + port + "\n    mode tcp\n    balance roundrobin\n" + servers);
        for (int i = 0; i < 13; i++) {
            try (Socket c = connectFrom("127.0.0.1", port)) {
                c.getOutputStream().write("hi".getBytes());
                assertEquals("hi", new String(c.getInputStream().readNBytes(2)));
            }
        }
        Set<String> seen = new TreeSet<>();
        for (InetSocketAddress a : target.peers()) seen.add(a.getAddress().getHostAddress());
        assertEquals(expected, seen);
    }

    @Test
    void httpModeSourceWithPortRangeAndProxyLevelSource() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        int low = 20000 + (int) (ProcessHandle.current().pid() % 5000);
        Engine e = start("""
                defaults
                    mode http
                    option httpclose
                backend farm
                    source 127.0.0.9
                    server ranged 127.0.0.1:%d source 127.0.0.8:%d-%d
                    server plain 127.0.0.1:%d
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend farm
                """.formatted(web.port(), low, low + 2, web.port(), port));
        for (int i = 0; i < 4; i++) {
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.send("GET / HTTP/1.0\r\n\r\n").read().status());
            }
        }
        List<InetSocketAddress> peers = web.peers();
        assertEquals(4, peers.size());
        for (InetSocketAddress a : peers) {
            String ip = a.getAddress().getHostAddress();
            if (ip.equals("127.0.0.8")) {
                assertTrue(a.getPort() >= low && a.getPort() <= low + 2, "port in the range: " + a);
            } else {
                assertEquals("127.0.0.9", ip, "the backend's source applies to a server without its own");
            }
        }
        assertEquals(Set.of("127.0.0.8", "127.0.0.9"),
                Set.copyOf(peers.stream().map(a -> a.getAddress().getHostAddress()).toList()));
        assertNotNull(e);
    }

    /** A source address the host does not have: each attempt is a connect error, retried, then 503. */
    @Test
    void aSourceThatCannotBeBoundIsAConnectErrorCountedRetriedAndLogged() throws Exception {
        PeerRecorder web = track(new PeerRecorder(true));
        int port = GuideConfigs.freePort();
        try (AccessLogCapture log = new AccessLogCapture()) {
            Engine e = start("""
                    listen web 127.0.0.1:%d
                        mode http
                        option httplog
                        retries 2
                        server away 127.0.0.1:%d source 192.0.2.1
                    """.formatted(port, web.port()));
            try (RawClient c = new RawClient(port)) {
                assertEquals(503, c.send("GET / HTTP/1.0\r\n\r\n").read().status());
            }
            waitFor(() -> log.lines().size() == 1);
            var status = e.status().backends().get(0).servers().get(0);
            assertEquals(3, status.connectErrors(), "the first attempt and two retries");
            assertEquals(2, status.retries());
            assertEquals(List.of(), web.peers());
            assertTrue(log.lines().get(0).contains(" web/away ") && log.lines().get(0).contains(" 503 ")
                    && log.lines().get(0).contains(" SC-- ") && log.lines().get(0).contains("/2 0/0 "),
                    log.lines().get(0));
        }
    }

    /** HAProxy 2.x: a frontend without maxconn takes the global maxconn (here above the old default of 2000). */
    @Test
    void aFrontendWithoutMaxconnTakesTheGlobalMaxconn() throws Exception {
        io.tidegate.config.Config c = io.tidegate.config.ConfigLoader.load("t.cfg", """
                global
                    maxconn 9000
                frontend fe
                    mode http
                    bind 127.0.0.1:1
                    default_backend be
                frontend small
                    mode http
                    maxconn 10
                    bind 127.0.0.1:2
                    default_backend be
                backend be
                    mode http
                    server s 127.0.0.1:3
                """).config();
        EnginePlan plan = PlanBuilder.from(c);
        assertEquals(9000, plan.frontends().get(0).maxConnections());
        assertEquals(10, plan.frontends().get(1).maxConnections());
        assertEquals(901, c.effective(c.backend("be").orElseThrow()).fullconn(),
                "fullconn: 10% of 9000 + 10, as HAProxy computes it from the frontends' maxconn");
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 250 && !condition.getAsBoolean(); i++) Thread.sleep(20);
    }
}
