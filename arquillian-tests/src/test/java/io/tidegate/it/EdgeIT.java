package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15 inside WildFly: the guide's §2.1/§2.2 probes (monitor-uri, monitor-net) answered by the
 * deployed EAR, httplog lines over UDP syslog ({@code log global} to the global section's target),
 * and, for a proxy without any log line, the same lines in server.log under category
 * {@code io.tidegate.access}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EdgeIT {
    private static final String DEPLOYMENT = "tidegate";

    @ArquillianResource
    private Deployer deployer;
    private NamedBackends backends;
    private DatagramSocket syslog;
    private boolean deployed;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() {
        if (deployed) deployer.undeploy(DEPLOYMENT);
        if (backends != null) backends.close();
        if (syslog != null) syslog.close();
    }

    @Test
    void probesAreAnsweredLocallyAndLinesReachSyslogAndServerLog() throws Exception {
        backends = new NamedBackends("webA");
        syslog = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        syslog.setSoTimeout(10_000);
        int farm = ItEnvironment.freePort();
        int quiet = ItEnvironment.freePort();
        ItEnvironment.writeConfig("""
                global
                    log 127.0.0.1:%d local0
                listen webfarm 127.0.0.1:%d
                    mode http
                    log global
                    option httplog
                    option dontlognull
                    monitor-uri /haproxy-check
                    monitor-net 127.0.0.252/31
                    server webA 127.0.0.1:%d source 127.0.0.1
                listen wildflylogged 127.0.0.1:%d
                    mode http
                    option httplog
                    server webA 127.0.0.1:%d
                """.formatted(syslog.getLocalPort(), farm, backends.port("webA"), quiet, backends.port("webA")));
        ServerLog log = ServerLog.fromNow();
        deployer.deploy(DEPLOYMENT);
        deployed = true;

        assertTrue(exchange(null, farm, "GET /haproxy-check HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 200 OK"));
        assertEquals("HTTP/1.0 200 OK\r\n\r\n", exchange("127.0.0.252", farm, ""), "the L4 balancer's probe");
        assertEquals(0, backends.hits("webA"), "neither probe reached the server");

        assertTrue(exchange(null, farm, "GET /through HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 200"));
        byte[] b = new byte[4096];
        DatagramPacket p = new DatagramPacket(b, b.length);
        syslog.receive(p);
        String line = new String(b, 0, p.getLength(), StandardCharsets.ISO_8859_1);
        assertTrue(line.matches("<134>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d tidegate\\[\\d+\\]: 127\\.0\\.0\\.1:\\d+ "
                + "\\[[^]]+\\] webfarm webfarm/webA \\d+/\\d+/\\d+/\\d+/\\d+ 200 \\d+ - - ---- .* \"GET /through HTTP/1\\.0\"\n"),
                line);

        assertTrue(exchange(null, quiet, "GET /into-server-log HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 200"));
        Duration took = log.await(l -> l.contains("io.tidegate.access") && l.contains("\"GET /into-server-log HTTP/1.0\""),
                Duration.ofSeconds(20));
        assertNotNull(took, "the access line in server.log: " + log.linesContaining("into-server-log"));
        assertEquals(2, backends.hits("webA"));
    }

    /**
     * {@code log PATH} to a UNIX datagram socket (as {@code log /dev/log}) from inside WildFly, where
     * junixsocket unpacks its native library, and {@code monitor fail} answering the monitor 503.
     */
    @Test
    void linesReachAUnixDatagramSocketAndMonitorFailAnswers503() throws Exception {
        backends = new NamedBackends("webA");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tidegate-devlog");
        java.nio.file.Path sock = dir.resolve("log");
        try (org.newsclub.net.unix.AFUNIXDatagramSocket devlog = org.newsclub.net.unix.AFUNIXDatagramSocket.newInstance()) {
            devlog.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(sock));
            devlog.setSoTimeout(10_000);
            int port = ItEnvironment.freePort();
            ItEnvironment.writeConfig("""
                    listen devlogged 127.0.0.1:%d
                        mode http
                        log %s local0
                        option httplog
                        monitor-uri /alive
                        monitor fail unless { nbsrv(devlogged) ge 2 }
                        server webA 127.0.0.1:%d
                    """.formatted(port, sock, backends.port("webA")));
            deployer.deploy(DEPLOYMENT);
            deployed = true;

            assertTrue(exchange(null, port, "GET /alive HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 503"),
                    "one server of the two the monitor asks for");
            assertTrue(exchange(null, port, "GET /via-devlog HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 200"));
            byte[] b = new byte[4096];
            DatagramPacket p = new DatagramPacket(b, b.length);
            devlog.receive(p);
            String line = new String(b, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            assertTrue(line.matches("<134>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d tidegate\\[\\d+\\]: 127\\.0\\.0\\.1:\\d+ "
                    + "\\[[^]]+\\] devlogged devlogged/webA .* 200 .* \"GET /via-devlog HTTP/1\\.0\"\n"), line);
            assertEquals(1, backends.hits("webA"), "the monitor's request never reached the server");
        } finally {
            java.nio.file.Files.deleteIfExists(sock);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    /** Sends {@code request} (from {@code from} when not null) and reads until the proxy closes. */
    private static String exchange(String from, int port, String request) throws Exception {
        try (Socket s = new Socket()) {
            if (from != null) s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            if (!request.isEmpty()) s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
