package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

/**
 * {@code option redispatch-drained} in the deployed EAR: an operator drains a server over JMX (as
 * from JConsole); its cookie holders stay on it for T, then they are moved to the other server and
 * receive its cookie, so the drain ends.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedispatchDrainedIT {

    private static final String DEPLOYMENT = "tidegate-redispatch-drained";
    private static final ObjectName WEB_A = name("tidegate:type=Server,backend=farm,name=webA");
    private static final long DRAIN_MS = 3_000;

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private boolean deployed;
    private int proxyPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @BeforeEach
    void setUp() throws Exception {
        Files.deleteIfExists(stateFile());
        backends = new NamedBackends("webA", "webB");
        proxyPort = ItEnvironment.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (deployed) {
            deployer.undeploy(DEPLOYMENT);
        }
        backends.close();
        Files.deleteIfExists(stateFile());
    }

    /** Admin states are saved across redeploys; this test starts from READY. */
    private static Path stateFile() {
        Path config = Path.of(ItEnvironment.property("tidegate.it.config"));
        return config.resolveSibling(config.getFileName() + ".state");
    }

    @Test
    void drainedOverJmxKeepsCookieHoldersForTThenMovesThemWithANewCookie() throws Exception {
        ItEnvironment.writeConfig("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    option redispatch-drained %dms
                listen farm
                    bind 127.0.0.1:%d
                    balance roundrobin
                    cookie SERVERID insert indirect
                    server webA 127.0.0.1:%d cookie A
                    server webB 127.0.0.1:%d cookie B
                """.formatted(DRAIN_MS, proxyPort, backends.port("webA"), backends.port("webB")));
        deployer.deploy(DEPLOYMENT);
        deployed = true;

        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            long drainedAt = System.nanoTime();
            jmx.invoke(WEB_A, "drain", new Object[0], new String[0]);
            assertEquals("DRAIN", jmx.getAttribute(WEB_A, "State"));

            HttpResponse<String> before = get("SERVERID=A");
            assertTrue(elapsedMs(drainedAt) < DRAIN_MS, "the first request ran within T");
            assertEquals("webA", before.body(), "before T a cookie holder stays on the drained server");
            assertTrue(before.headers().firstValue("Set-Cookie").isEmpty(), "and keeps its cookie");
            assertEquals("webB", get(null).body(), "a new client goes to the other server");

            long left = DRAIN_MS + 200 - elapsedMs(drainedAt);
            if (left > 0) Thread.sleep(left);
            int servedByA = backends.hits("webA");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> after = get("SERVERID=A");
                assertEquals("webB", after.body(), "after T the cookie holder is moved");
                assertEquals("SERVERID=B; path=/", after.headers().firstValue("Set-Cookie").orElse(""),
                        "and is pinned to the server that answered");
            }
            assertEquals(servedByA, backends.hits("webA"), "the drained server got nothing after T");
            assertEquals("DRAIN", jmx.getAttribute(WEB_A, "State"));
        }
    }

    private static long elapsedMs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private HttpResponse<String> get(String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) b.header("Cookie", cookie);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r;
    }


    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
