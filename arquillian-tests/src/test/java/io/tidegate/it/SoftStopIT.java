package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

/**
 * The seed guide's two soft-stop procedures in the deployed EAR, with its configurations as written
 * (1.4 spellings, unnamed {@code listen ADDR:PORT}) on loopback and short check intervals (SPEC S5):
 * §4.1 removes the check file ({@code option persist} + {@code redispatch}), §4.2 stops the check port
 * of a server whose backup twin shares its cookie.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SoftStopIT {

    private static final String DEPLOYMENT = "tidegate-softstop";
    private static final int INTER_MS = 300;
    private static final Duration SLACK = Duration.ofSeconds(4);

    @ArquillianResource
    private Deployer deployer;

    private final List<SwitchableBackend> backends = new ArrayList<>();
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
    void tearDown() {
        if (deployed) {
            deployer.undeploy(DEPLOYMENT);
        }
        backends.forEach(SwitchableBackend::close);
    }

    private SwitchableBackend backend(String name) {
        SwitchableBackend b = new SwitchableBackend(name);
        backends.add(b);
        return b;
    }

    private void deploy(String config) {
        ItEnvironment.writeConfig(config);
        deployer.deploy(DEPLOYMENT);
        deployed = true;
    }

    private HttpResponse<String> get(int port, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app"))
                .timeout(Duration.ofSeconds(15));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response;
    }

    private static String setCookie(HttpResponse<String> r) {
        return r.headers().firstValue("Set-Cookie").orElse(null);
    }

    @Test
    void section4_1RemovingTheCheckFileDrainsTheServerPersistKeepsItsClientsRedispatchMovesThem() throws Exception {
        SwitchableBackend a = backend("A");
        SwitchableBackend b = backend("B");
        SwitchableBackend c = backend("C");
        int port = ItEnvironment.freePort();
        deploy("""
                listen 127.0.0.1:%1$d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    option httpchk HEAD /running HTTP/1.0
                    server webA 127.0.0.1:%2$d cookie A check inter %5$d rise 2 fall 2
                    server webB 127.0.0.1:%3$d cookie B check inter %5$d rise 2 fall 2
                    server webC 127.0.0.1:%4$d cookie C check inter %5$d rise 2 fall 2
                    option persist
                    redispatch
                    contimeout 1000
                """.formatted(port, a.port(), b.port(), c.port(), INTER_MS));
        String proxy = "127.0.0.1:" + port;
        assertEquals("A", get(port, "SERVERID=A").body(), "webA serves its clients");

        a.running(false);    // rm -f /home/httpd/www/running
        assertNotNull(log.awaitLine("Server " + proxy + "/webA is DOWN", Duration.ofMillis(2L * INTER_MS).plus(SLACK)),
                "webA seen down: " + log.linesContaining(proxy));
        int aTraffic = a.traffic.get();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> fresh = get(port, null);
            assertNotEquals("A", fresh.body(), "no new session on the drained server");
            assertEquals("SERVERID=" + fresh.body() + "; path=/", setCookie(fresh));
        }
        assertEquals(aTraffic, a.traffic.get());
        HttpResponse<String> persistent = get(port, "SERVERID=A");
        assertEquals("A", persistent.body(), "option persist: its clients still reach it while it answers");
        assertEquals(aTraffic + 1, a.traffic.get());

        a.stopServer();      // /etc/init.d/httpd stop
        HttpResponse<String> moved = get(port, "SERVERID=A");
        assertTrue(List.of("B", "C").contains(moved.body()), "redispatch once it refuses connections: " + moved.body());
        assertEquals("SERVERID=" + moved.body() + "; path=/", setCookie(moved), "the client gets its new server's cookie");
    }

    @Test
    void section4_2BackupTwinKeepsTheClientsOfAServerWhoseCheckPortStopped() throws Exception {
        SwitchableBackend a = backend("A");
        SwitchableBackend b = backend("B");
        int a81 = a.openCheckPort(0);    // the guide's port 81, redirected to the web server
        int b81 = b.openCheckPort(0);
        int port = ItEnvironment.freePort();
        deploy("""
                listen 127.0.0.1:%1$d
                    mode http
                    balance roundrobin
                    redispatch
                    cookie SERVERID insert indirect
                    option httpchk HEAD / HTTP/1.0
                    server webA 127.0.0.1:%2$d cookie A check port %3$d inter %6$d
                    server webB 127.0.0.1:%4$d cookie B check port %5$d inter %6$d

                    server bkpA 127.0.0.1:%2$d cookie A check port %2$d inter %6$d backup
                    server bkpB 127.0.0.1:%4$d cookie B check port %4$d inter %6$d backup
                """.formatted(port, a.port(), a81, b.port(), b81, INTER_MS));
        String proxy = "127.0.0.1:" + port;
        assertEquals("A", get(port, "SERVERID=A").body());

        a.closeCheckPort();  // iptables -t nat -D PREROUTING ... --dport 81 ...
        assertNotNull(log.awaitLine("Server " + proxy + "/webA is DOWN", Duration.ofMillis(3L * INTER_MS).plus(SLACK)),
                "webA down after fall (3) failed checks: " + log.linesContaining(proxy));
        assertTrue(log.linesContaining("Server " + proxy + "/webA is DOWN").get(0)
                .contains("1 active and 2 backup servers left."), log.linesContaining(proxy).toString());

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> existing = get(port, "SERVERID=A");
            assertEquals("A", existing.body(), "SERVERID=A clients keep reaching A through bkpA");
            assertEquals(null, setCookie(existing), "their cookie stays valid");
            HttpResponse<String> fresh = get(port, null);
            assertEquals("B", fresh.body(), "new clients go to the remaining normal server");
        }

        a.stopServer();      // /etc/init.d/httpd stop: the backup twin fails too
        assertNotNull(log.awaitLine("Backup Server " + proxy + "/bkpA is DOWN", Duration.ofMillis(3L * INTER_MS).plus(SLACK)),
                "bkpA down once A stops: " + log.linesContaining(proxy));
        HttpResponse<String> moved = get(port, "SERVERID=A");
        assertEquals("B", moved.body(), "the last clients of A are sent elsewhere");
        assertEquals("SERVERID=B; path=/", setCookie(moved));
    }
}
