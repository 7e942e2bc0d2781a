package io.tidegate.cli;

import static io.tidegate.cli.CliSocketServerTest.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.Engine;
import io.tidegate.engine.HaproxyProcess;
import io.tidegate.stats.HealthLookup;
import io.tidegate.stats.PrometheusExporter;
import io.tidegate.stats.StatColumn;
import io.tidegate.stats.StatsSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The denied counters of frontends (HAProxy 2.6's dcon, dses, dreq, with stot and conn_tot) after
 * tcp-request connection rejects, tcp-request content rejects (mode tcp and http) and http-request
 * denies, in {@code show stat} side by side with HAProxy 2.6 fed the same configuration and traffic,
 * and in the Prometheus families of the same names.
 */
class CliDeniedCountersTest {
    @TempDir
    Path dir;
    Engine engine;
    CliSocketServer server;

    private static final String BODY = """
            defaults
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            frontend ready
                mode tcp
                bind 127.0.0.1:%d
                default_backend tcpbe
            frontend tcpconn
                mode tcp
                bind 127.0.0.1:%d
                tcp-request connection reject if { src 127.0.0.1 }
                default_backend tcpbe
            frontend tcpcont
                mode tcp
                bind 127.0.0.1:%d
                tcp-request content reject
                default_backend tcpbe
            frontend httpcont
                mode http
                bind 127.0.0.1:%d
                tcp-request content reject if { src 127.0.0.1 }
                http-request return status 200
            frontend httpdeny
                mode http
                bind 127.0.0.1:%d
                http-request deny if { path /deny }
                http-request return status 200
            backend tcpbe
                mode tcp
                server s 127.0.0.1:9
            """;
    private static final List<String> FRONTENDS = List.of("tcpconn", "tcpcont", "httpcont", "httpdeny");
    private static final List<Integer> COLUMNS = List.of(StatColumn.STOT, StatColumn.DREQ, StatColumn.EREQ,
            StatColumn.CONN_TOT, StatColumn.DCON, StatColumn.DSES);

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (engine != null) engine.close();
    }

    private static int[] freePorts(int n) throws Exception {
        List<ServerSocket> open = new ArrayList<>();
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) s.close();
        }
        return ports;
    }

    private static String config(int[] p) {
        return BODY.formatted(p[0], p[1], p[2], p[3], p[4]);
    }

    /** Sends {@code text} on a new connection and reads until the proxy closes it (a reset counts as closed). */
    private static void exchange(int port, String text) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                in.readAllBytes();
            } catch (IOException closedFirst) {
                // the proxy closed (or reset) before or while we wrote: what a reject does
            }
        }
    }

    private static void traffic(int[] p) throws Exception {
        for (int i = 0; i < 2; i++) {
            exchange(p[1], "hello\n");
            exchange(p[2], "hello\n");
            exchange(p[3], "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        }
        exchange(p[4], "GET /deny HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        exchange(p[4], "GET /ok HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        exchange(p[4], "GET /deny HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    }

    /** name: the chosen columns of each FRONTEND row, one line per frontend of interest. */
    private static String denied(Path socket) {
        StringBuilder sb = new StringBuilder();
        for (String line : ask(socket, "show stat\n").split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length < StatColumn.COUNT || !"FRONTEND".equals(f[1]) || !FRONTENDS.contains(f[0])) continue;
            sb.append(f[0]);
            for (int c : COLUMNS) sb.append(' ').append(StatColumn.NAMES.get(c)).append('=').append(f[c]);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The counters once they stop changing (a proxy counts a close just after the client saw it; bounded wait). */
    private static String settled(Path socket) throws Exception {
        String before = denied(socket);
        for (int i = 0; i < 50; i++) {
            Thread.sleep(20);
            String now = denied(socket);
            if (now.equals(before) && i >= 5) return now;
            before = now;
        }
        return before;
    }

    @Test
    void rejectsAndDeniesCountAsHaproxyCountsThem() throws Exception {
        int[] ports = freePorts(5);
        engine = Engine.start(ConfigLoader.load("t.cfg", config(ports)).config());
        Path admin = dir.resolve("tg.sock");
        server = CliSocketServer.open(new StatsSocket(admin.toString(), null, StatsSocket.Level.ADMIN, false, null),
                new CliCommands(new EngineOperations(() -> engine)), 10_000, 10);
        traffic(ports);
        String tidegate = settled(admin);

        int[] hxPorts = freePorts(5);
        Path hxSocket = dir.resolve("hx.sock");
        try (HaproxyProcess haproxy = HaproxyProcess.start(dir,
                "global\n    nbthread 1\n    stats socket " + hxSocket + " level admin\n" + config(hxPorts), hxPorts[0])) {
            traffic(hxPorts);
            assertEquals(settled(hxSocket), tidegate);
        }
        assertTrue(tidegate.contains("tcpconn stot=0 dreq=0 ereq=0 conn_tot=2 dcon=2 dses=0"), tidegate);

        String metrics = PrometheusExporter.text(StatsSnapshot.of(engine, HealthLookup.NONE,
                new StatsSnapshot.Process("Tidegate", "t", java.time.Instant.now(), 1, 0, "n"), java.time.Instant.now()),
                engine::serverLatency);
        for (String line : tidegate.split("\n")) {
            String name = line.substring(0, line.indexOf(' '));
            assertEquals(Long.parseLong(line.replaceAll(".* dcon=(\\d+).*", "$1")),
                    sample(metrics, "haproxy_frontend_denied_connections_total", name), name);
            assertEquals(Long.parseLong(line.replaceAll(".* dreq=(\\d+).*", "$1")),
                    sample(metrics, "haproxy_frontend_requests_denied_total", name), name);
            assertEquals(0, sample(metrics, "haproxy_frontend_denied_sessions_total", name), name);
            assertEquals(Long.parseLong(line.replaceAll(".* conn_tot=(\\d+).*", "$1")),
                    sample(metrics, "haproxy_frontend_connections_total", name), name);
        }
    }

    /** The value of {@code metric} for {@code proxy} in the exposition text, or -1 when absent. */
    private static long sample(String text, String metric, String proxy) {
        String prefix = metric + "{proxy=\"" + proxy + "\"} ";
        for (String l : text.split("\n")) {
            if (l.startsWith(prefix)) return (long) Double.parseDouble(l.substring(prefix.length()).trim());
        }
        return -1;
    }
}
