package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HAProxy's runtime API in the deployed EAR: {@code set server B/S state drain} over the stats socket
 * moves new traffic away from the server, shows in JMX at once, is kept in the state file and is still
 * in force after a WildFly restart (the restart pattern of {@link RestartIT}: the manual container).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RuntimeApiIT {

    private static final String CONTAINER = "wildfly-restart";
    private static final String DEPLOYMENT = "tidegate-runtime-api";

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private ServerSocket holding;
    private final java.util.List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path socket;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (controller.isStarted(CONTAINER)) {
            deployer.undeploy(DEPLOYMENT);
            controller.stop(CONTAINER);
        }
        if (backends != null) backends.close();
        if (holding != null) holding.close();
        for (Socket s : held) s.close();
        Files.deleteIfExists(stateFile());
        if (socket != null) Files.deleteIfExists(socket);
    }

    private static Path configFile() {
        return Path.of(ItEnvironment.property("tidegate.it.restart.config"));
    }

    private static Path stateFile() {
        return configFile().resolveSibling(configFile().getFileName() + ".state");
    }

    @Test
    void drainOverTheSocketMovesTrafficShowsInJmxAndSurvivesARestart() throws Exception {
        backends = new NamedBackends("webA", "webB");
        int proxyPort = ItEnvironment.freePort();
        // a short path: UNIX socket paths are limited to about 100 bytes
        socket = Path.of("/tmp", "tg-it-" + ProcessHandle.current().pid() + "-" + proxyPort + ".sock");
        Files.deleteIfExists(stateFile());
        holding = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());    // accepts, never answers
        Thread holder = new Thread(() -> {
            try {
                while (true) held.add(holding.accept());
            } catch (IOException e) {
                // closed by the test
            }
        });
        holder.setDaemon(true);
        holder.start();
        int holdPort = ItEnvironment.freePort();
        Files.writeString(configFile(), """
                global
                    stats socket %s mode 600 level admin
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    stats uri /lb?stats
                    http-request use-service prometheus-exporter if { path /metrics }
                    server webA 127.0.0.1:%d
                    server webB 127.0.0.1:%d
                listen hold
                    bind 127.0.0.1:%d
                    mode http
                    server slow 127.0.0.1:%d
                """.formatted(socket, proxyPort, backends.port("webA"), backends.port("webB"), holdPort, holding.getLocalPort()));
        ObjectName webB = new ObjectName("tidegate:type=Server,backend=farm,name=webB");

        controller.start(CONTAINER);
        deployer.deploy(DEPLOYMENT);
        awaitSocket();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        String stat = ask("show stat\n");
        assertTrue(stat.startsWith("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,"
                + "wredis,status,weight,act,bck,"), stat);
        assertEquals("no check", statusOf(stat, "webB"));
        sessionsOnALiveConnection(holdPort);

        assertEquals("\n", ask("set server farm/webB state drain\n"));
        try (JMXConnector connector = connect()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertEquals("DRAIN", jmx.getAttribute(webB, "State"), "JMX sees the socket's change at once");
        }
        assertEquals("DRAIN", statusOf(ask("show stat\n"), "webB"));
        String page = get(http(), proxyPort, "/lb?stats;csv");
        assertEquals("DRAIN", statusOf(page, "webB"), "the frontend's stats page (stats uri) shows it too");
        int webBBefore = backends.hits("webB");
        HttpClient http = http();
        for (int i = 0; i < 6; i++) {
            assertEquals("webA", get(http, proxyPort), "a drained server takes no new sessions");
        }
        assertEquals(webBBefore, backends.hits("webB"));
        // HAProxy's own exporter line serves the same state, and the response-time histograms of the traffic
        String metrics = get(http, proxyPort, "/metrics");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("haproxy_server_status{") && l.contains("server=\"webB\"")
                && l.contains("state=\"DRAIN\"") && l.endsWith(" 1.0")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.contains("_bucket{") && l.contains("server=\"webA\"")),
                "latency histograms per server: " + metrics);
        assertEquals(webBBefore, backends.hits("webB"), "/metrics is answered by Tidegate, never forwarded");
        assertTrue(Files.readString(stateFile()).contains("webB"), "kept in the state file");

        controller.stop(CONTAINER);
        controller.start(CONTAINER);
        deployer.deploy(DEPLOYMENT);
        awaitSocket();
        try (JMXConnector connector = connect()) {
            assertEquals("DRAIN", connector.getMBeanServerConnection().getAttribute(webB, "State"));
        }
        assertEquals("DRAIN", statusOf(ask("show stat\n"), "webB"));
        String state = ask("show servers state farm\n");
        assertTrue(state.contains(" farm 2 webB 127.0.0.1 2 8 "), "HAProxy's drain flag (0x08) in format 1: " + state);
        for (int i = 0; i < 4; i++) assertEquals("webA", get(http, proxyPort));

        assertEquals("\n", ask("set server farm/webB state ready\n"));
        boolean webBServed = false;
        for (int i = 0; i < 4; i++) webBServed |= get(http, proxyPort).equals("webB");
        assertTrue(webBServed, "ready again: webB takes its turn in the round robin");

        assertEquals("\n", ask("set weight farm/webA 7\n"));
        assertEquals("Success=1\n\n", ask("reload\n"), "the socket's reload re-reads the file like JMX reload()");
        assertEquals("7 (initial 1)\n\n", ask("get weight farm/webA\n"),
                "the unchanged socket stays open and the weight set over it is kept across the reload");
    }

    /**
     * {@code show sess} lists a client waiting for its server; {@code shutdown sessions server} closes
     * it in the deployed EAR, through the management service (audited with the socket as actor).
     */
    private void sessionsOnALiveConnection(int holdPort) throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), holdPort)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String prefix = " src=127.0.0.1:" + client.getLocalPort() + " fe=hold be=hold srv=slow ";
            String sessions = "";
            for (int i = 0; i < 100 && !sessions.contains(prefix); i++) {
                sessions = ask("show sess\n");
                Thread.sleep(100);
            }
            assertTrue(sessions.lines().anyMatch(l -> l.matches("0x[0-9a-f]+: proto=tcpv4" + java.util.regex.Pattern.quote(prefix) + "age=.*")),
                    sessions);
            assertEquals("\n", ask("shutdown sessions server hold/slow\n"));
            int read;
            try {
                read = client.getInputStream().read();
            } catch (IOException reset) {
                read = -1;
            }
            assertEquals(-1, read, "the client's connection was closed by the proxy");
        }
        String audit = Files.readString(configFile().resolveSibling(configFile().getFileName() + ".audit"));
        assertTrue(audit.lines().anyMatch(l -> l.contains("shutdown sessions") && l.contains("hold/slow") && l.contains("1 closed")), audit);
        assertTrue(ask("show sess\n").lines().noneMatch(l -> l.contains(" fe=hold ")), "no session is left on hold");
    }

    private static HttpClient http() {
        return HttpClient.newHttpClient();
    }

    private static String get(HttpClient http, int port) throws Exception {
        return get(http, port, "/");
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static String statusOf(String csv, String server) {
        for (String line : csv.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && f[1].equals(server)) return f[17];
        }
        throw new AssertionError("no row for " + server + " in\n" + csv);
    }

    private void awaitSocket() throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(100);
        assertTrue(Files.exists(socket), "the stats socket was created: " + socket);
    }

    /** As {@code echo CMD | socat - unix:PATH}. */
    private String ask(String command) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8)));
                ch.shutdownOutput();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (ch.read(buf) >= 0) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                return out.toString(StandardCharsets.UTF_8);
            }
        });
    }

    private static JMXConnector connect() throws Exception {
        return ItEnvironment.jmx(Integer.parseInt(ItEnvironment.property("tidegate.it.restart.management.port")));
    }
}
