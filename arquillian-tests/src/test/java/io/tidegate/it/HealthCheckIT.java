package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks in the deployed EAR (SPEC S4): EJB timers check real backends on loopback whose check
 * endpoint the test turns off and on; a server goes down within {@code inter * fall} and comes back
 * within {@code inter * rise} (plus slack), a down server gets no new request, HAProxy's log line is
 * written once per transition, and undeploy leaves no timer behind.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthCheckIT {

    private static final String DEPLOYMENT = "tidegate-health";
    private static final int INTER_MS = 300;
    /** Room for timer jitter, a loaded 2-core machine and log polling. */
    private static final Duration SLACK = Duration.ofSeconds(4);

    @ArquillianResource
    private Deployer deployer;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private boolean deployed;
    private HttpClient client;
    private ServerLog log;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @BeforeEach
    void setUp() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        log = ServerLog.fromNow();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (deployed) {
            deployer.undeploy(DEPLOYMENT);
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private void deploy(String config) {
        ItEnvironment.writeConfig(config);
        deployer.deploy(DEPLOYMENT);
        deployed = true;
    }

    private String get(int port, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static Duration times(int n) {
        return Duration.ofMillis((long) INTER_MS * n);
    }

    @Test
    void httpCheckTakesAServerOutAndBackAndLogsEachTransitionOnce() throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        SwitchableBackend b = track(new SwitchableBackend("B"));
        int port = ItEnvironment.freePort();
        deploy("""
                listen farm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    option httpchk HEAD /running HTTP/1.0
                    server webA 127.0.0.1:%d check inter %d rise 2 fall 2
                    server webB 127.0.0.1:%d check inter %d rise 2 fall 2
                """.formatted(port, a.port(), INTER_MS, b.port(), INTER_MS));
        assertNotNull(log.awaitLine("Health checks scheduled for 2 servers", SLACK), "timers created");

        a.running(false);
        Duration down = log.awaitLine("Server farm/webA is DOWN", times(2).plus(SLACK));
        assertNotNull(down, "webA down within inter*fall + slack; log: " + log.linesContaining("farm/"));
        int aTraffic = a.traffic.get();
        for (int i = 0; i < 10; i++) {
            assertEquals("B", get(port, null), "request " + i + " while webA is down");
        }
        assertEquals(aTraffic, a.traffic.get(), "no new request reached the down server");

        a.running(true);
        Duration up = log.awaitLine("Server farm/webA is UP", times(2).plus(SLACK));
        assertNotNull(up, "webA up within inter*rise + slack");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(get(port, null));
        }
        assertTrue(seen.contains("A") && seen.contains("B"), "webA serves again: " + seen);

        Thread.sleep(times(4).toMillis());   // more checks pass: nothing more to log
        List<String> transitions = log.linesContaining("Server farm/webA is ");
        assertEquals(2, transitions.size(), "one line per transition: " + transitions);
        assertTrue(transitions.get(0).contains("Server farm/webA is DOWN, reason: Layer7 wrong status, code: 404")
                && transitions.get(0).contains("1 active and 0 backup servers left."), transitions.get(0));
        assertTrue(transitions.get(1).contains("Server farm/webA is UP, reason: Layer7 check passed, code: 200")
                && transitions.get(1).contains("2 active and 0 backup servers online."), transitions.get(1));
        assertTrue(log.linesContaining("farm/webB is").isEmpty(), "webB never changed");
    }

    @Test
    void tcpCheckOnASeparatePortFollowsThatPort() throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        SwitchableBackend b = track(new SwitchableBackend("B"));
        CheckPort checkPort = track(new CheckPort());
        int port = ItEnvironment.freePort();
        deploy("""
                listen tcpfarm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    server webA 127.0.0.1:%d check port %d inter %d rise 2 fall 2
                    server webB 127.0.0.1:%d check inter %d
                """.formatted(port, a.port(), checkPort.port(), INTER_MS, b.port(), INTER_MS));
        assertTrue(checkPort.awaitAccepts(3, times(3).plus(SLACK)), "webA is checked on its check port");

        checkPort.close();
        assertNotNull(log.awaitLine("Server tcpfarm/webA is DOWN, reason: Layer4 connection problem",
                times(2).plus(SLACK)), "down when its check port refuses: " + log.linesContaining("tcpfarm/"));
        int aTraffic = a.traffic.get();
        for (int i = 0; i < 6; i++) {
            assertEquals("B", get(port, null));
        }
        assertEquals(aTraffic, a.traffic.get(), "no new request reached the down server");

        checkPort.reopen();
        assertNotNull(log.awaitLine("Server tcpfarm/webA is UP, reason: Layer4 check passed", times(2).plus(SLACK)));
    }

    @Test
    void sslHelloCheckTellsATlsServerFromAPlainOne(@TempDir Path dir) throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        SwitchableBackend b = track(new SwitchableBackend("B"));
        TlsEndpoint tls = track(new TlsEndpoint(dir));
        int port = ItEnvironment.freePort();
        // ssl-hello-chk is meant for mode tcp, which validation does not accept yet; HAProxy allows it
        // in any mode, so the check is shown on an http listen whose servers' check ports differ
        deploy("""
                listen sslfarm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    option ssl-hello-chk
                    timeout check 1500
                    server tls 127.0.0.1:%d check port %d inter %d rise 1 fall 2
                    server plain 127.0.0.1:%d check inter %d rise 1 fall 1
                """.formatted(port, a.port(), tls.port(), INTER_MS, b.port(), INTER_MS));
        // the plain server waits for an HTTP request line that never comes: no ServerHello in time.
        // (timeout check 1500 and fall 2 for the TLS server: its JDK peer's first handshakes can be
        // slow on a loaded machine, and that must not read as "down")
        assertNotNull(log.awaitLine("Server sslfarm/plain is DOWN, reason: Layer6 ",
                times(1).plus(Duration.ofMillis(1500)).plus(SLACK)),
                "a plain HTTP server does not answer a ClientHello: " + log.linesContaining("sslfarm/"));
        assertTrue(tls.awaitHandshakes(3, times(3).plus(SLACK)), "the TLS server keeps being checked");
        assertTrue(log.linesContaining("sslfarm/tls is").isEmpty(), "the TLS server stays up");
        for (int i = 0; i < 4; i++) {
            assertEquals("A", get(port, null));
        }
    }

    @Test
    void aDownServerIsCheckedAtDowninterAndBackAtInterOnceUp() throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        int port = ItEnvironment.freePort();
        deploy("""
                listen paced 127.0.0.1:%d
                    mode http
                    option httpchk HEAD /running HTTP/1.0
                    server webA 127.0.0.1:%d check inter 100 downinter 1500 rise 1 fall 1
                """.formatted(port, a.port()));
        a.running(false);
        assertNotNull(log.awaitLine("Server paced/webA is DOWN", SLACK));
        Thread.sleep(400);                   // the timer at inter is replaced at its next firing
        int before = a.checks.get();
        Thread.sleep(3_000);                 // 30 checks at inter, 2 at downinter
        int whileDown = a.checks.get() - before;
        assertTrue(whileDown >= 1 && whileDown <= 4, "checked at downinter (1.5 s) while down: " + whileDown);

        a.running(true);
        assertNotNull(log.awaitLine("Server paced/webA is UP", Duration.ofMillis(1500).plus(SLACK)));
        Thread.sleep(1_600);                 // the downinter timer is replaced at its next firing
        before = a.checks.get();
        Thread.sleep(1_000);
        int whileUp = a.checks.get() - before;
        assertTrue(whileUp >= 5, "checked at inter (100 ms) again once up: " + whileUp);
    }

    @Test
    void reloadKeepsTheHealthOfAServerWhoseCheckDidNotChange() throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        SwitchableBackend b = track(new SwitchableBackend("B"));
        int port = ItEnvironment.freePort();
        deploy("""
                listen kept 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    option httpchk HEAD /running HTTP/1.0
                    server webA 127.0.0.1:%d check inter %d rise 10 fall 1
                    server webB 127.0.0.1:%d check inter %d
                """.formatted(port, a.port(), INTER_MS, b.port(), INTER_MS));
        a.running(false);
        assertNotNull(log.awaitLine("Server kept/webA is DOWN", times(1).plus(SLACK)));
        a.running(true);                     // it needs 10 passed checks (3 s) to come back

        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertEquals("reloaded", jmx.invoke(new ObjectName("tidegate:type=Tidegate"), "reload",
                    new Object[0], new String[0]));
        }
        int aTraffic = a.traffic.get();
        for (int i = 0; i < 6; i++) {
            assertEquals("B", get(port, null), "still down right after the reload (a new server would start up)");
        }
        assertEquals(aTraffic, a.traffic.get());
        assertTrue(log.linesContaining("Server kept/webA is UP").isEmpty(), "not up yet: " + log.linesContaining("kept/"));
        assertNotNull(log.awaitLine("Server kept/webA is UP", times(10).plus(SLACK)), "up after rise checks");
    }

    @Test
    void oneNonPersistentTimerPerCheckedServerAndNoneLeftOverByReloads() throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        int port = ItEnvironment.freePort();
        deploy("""
                listen timed 127.0.0.1:%1$d
                    mode http
                    server s1 127.0.0.1:%2$d check inter 1s
                    server s2 127.0.0.1:%2$d check inter 2s
                    server s3 127.0.0.1:%2$d check inter 3s
                    server unchecked 127.0.0.1:%2$d
                """.formatted(port, a.port()));
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            // the EJB timers as WildFly's management model lists them (ejb3 subsystem of the deployment)
            ObjectName timers = new ObjectName("jboss.as:singleton-bean=HealthCheckScheduler,service=timer-service,timer=*,*");
            Set<ObjectName> names = jmx.queryNames(timers, null);
            assertEquals(3, names.size(), "one timer per checked server: " + names);
            for (ObjectName n : names) {
                assertEquals(Boolean.FALSE, jmx.getAttribute(n, "persistent"), n.toString());
            }
            ObjectName tidegate = new ObjectName("tidegate:type=Tidegate");
            for (int i = 0; i < 2; i++) {
                assertEquals("reloaded", jmx.invoke(tidegate, "reload", new Object[0], new String[0]));
            }
            assertEquals(3, jmx.queryNames(timers, null).size(), "a reload replaces the timers, it does not add to them");
        }
    }

    @Test
    void undeployLeavesNoTimer() throws Exception {
        SwitchableBackend a = track(new SwitchableBackend("A"));
        int port = ItEnvironment.freePort();
        deploy("""
                listen once 127.0.0.1:%d
                    mode http
                    option httpchk HEAD /running HTTP/1.0
                    server webA 127.0.0.1:%d check inter 100
                """.formatted(port, a.port()));
        long deadline = System.nanoTime() + SLACK.toNanos();
        while (a.checks.get() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(a.checks.get() >= 5, "checks run every 100 ms while deployed: " + a.checks.get());

        deployer.undeploy(DEPLOYMENT);
        deployed = false;
        Thread.sleep(300);                 // a check started just before undeploy may still land
        int after = a.checks.get();
        Thread.sleep(1_500);               // 15 intervals
        assertEquals(after, a.checks.get(), "no check after undeploy: no timer was left");
        assertTrue(log.linesContaining("Timer").stream().noneMatch(l -> l.contains("HealthCheckScheduler")
                && (l.contains("ERROR") || l.contains("WARN"))), "no timer complaint in server.log");
    }

    /** A plain TCP listener on a fixed free port that the test closes and reopens (TCP check target). */
    static final class CheckPort implements AutoCloseable {
        private final int port;
        private final AtomicInteger accepts = new AtomicInteger();
        private volatile ServerSocket socket;
        private Thread acceptor;

        CheckPort() throws IOException {
            this.port = ItEnvironment.freePort();
            reopen();
        }

        int port() {
            return port;
        }

        void reopen() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            socket = s;
            acceptor = new Thread(() -> {
                while (!s.isClosed()) {
                    try (Socket c = s.accept()) {
                        accepts.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "check-port-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        boolean awaitAccepts(int n, Duration limit) throws InterruptedException {
            int start = accepts.get();
            long deadline = System.nanoTime() + limit.toNanos();
            while (accepts.get() - start < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return accepts.get() - start >= n;
        }

        @Override
        public void close() throws IOException {
            ServerSocket s = socket;
            if (s != null) {
                s.close();
            }
        }
    }
}
