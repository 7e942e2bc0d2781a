package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
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
 * The per-server MBeans over WildFly's management interface, connected exactly as JConsole does
 * (remote+http, management user): weight and admin state steer real traffic at once, changes arrive
 * as notifications, and weights and states survive a redeploy; a server moved by the configuration
 * loses its saved state.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerMBeanIT {

    private static final String DEPLOYMENT = "tidegate-servers";
    private static final ObjectName WEB_A = name("tidegate:type=Server,backend=farm,name=webA");
    private static final ObjectName WEB_B = name("tidegate:type=Server,backend=farm,name=webB");
    private static final ObjectName BACKEND = name("tidegate:type=Backend,name=farm");

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
        backends = new NamedBackends("webA", "webB", "moved");
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

    private static Path stateFile() {
        Path config = Path.of(ItEnvironment.property("tidegate.it.config"));
        return config.resolveSibling(config.getFileName() + ".state");
    }

    private void writeConfig(String webBBackend) {
        ItEnvironment.writeConfig("""
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    server webA 127.0.0.1:%d cookie A weight 10
                    server webB 127.0.0.1:%d cookie B weight 10
                """.formatted(proxyPort, backends.port("webA"), backends.port(webBBackend)));
    }

    private void deploy() {
        deployer.deploy(DEPLOYMENT);
        deployed = true;
    }


    @Test
    void weightAndAdminStateSteerTrafficAtOnceAndAreNotified() throws Exception {
        writeConfig("webB");
        deploy();
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            BlockingQueue<Notification> heard = new LinkedBlockingQueue<>();
            NotificationListener listener = (n, handback) -> heard.add(n);
            jmx.addNotificationListener(WEB_A, listener, null, null);

            assertEquals(10, jmx.getAttribute(WEB_A, "Weight"));
            assertEquals("READY", jmx.getAttribute(WEB_A, "State"));
            assertEquals("UP", jmx.getAttribute(WEB_A, "Health"));
            assertEquals("cookie SERVERID insert indirect", jmx.getAttribute(BACKEND, "Persistence"));

            // weight 0 on webB: every new session goes to webA, without a reload
            jmx.setAttribute(WEB_B, new Attribute("Weight", 0));
            assertEquals(0, jmx.getAttribute(WEB_B, "Weight"));
            for (int i = 0; i < 6; i++) assertEquals("webA", get(null).body());
            jmx.setAttribute(WEB_B, new Attribute("Weight", 10));
            jmx.setAttribute(WEB_A, new Attribute("Weight", 5));
            assertEquals(5, jmx.getAttribute(WEB_A, "Weight"));
            assertChange(heard, "Weight", 10, 5);

            // drain webA: no new sessions, but a client holding its cookie is still served by it
            jmx.invoke(WEB_A, "drain", new Object[0], new String[0]);
            assertChange(heard, "State", "READY", "DRAIN");
            assertEquals(1, jmx.getAttribute(BACKEND, "UsableServers"));
            int servedByA = backends.hits("webA");
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = get(null);
                assertEquals("webB", r.body(), "a drained server gets no new session");
                assertEquals("SERVERID=B; path=/", r.headers().firstValue("Set-Cookie").orElse(""));
            }
            for (int i = 0; i < 3; i++) assertEquals("webA", get("SERVERID=A").body(), "cookie holders stay on webA");
            assertEquals(servedByA + 3, backends.hits("webA"));

            // maint webA: nothing at all, cookie holders are moved and re-pinned
            jmx.invoke(WEB_A, "maint", new Object[0], new String[0]);
            assertChange(heard, "State", "DRAIN", "MAINT");
            HttpResponse<String> moved = get("SERVERID=A");
            assertEquals("webB", moved.body());
            assertEquals("SERVERID=B; path=/", moved.headers().firstValue("Set-Cookie").orElse(""));
            assertEquals(servedByA + 3, backends.hits("webA"), "nothing reached webA in maintenance");

            // ready again
            jmx.invoke(WEB_A, "ready", new Object[0], new String[0]);
            assertChange(heard, "State", "MAINT", "READY");
            assertEquals("webA", get("SERVERID=A").body());
            jmx.removeNotificationListener(WEB_A, listener);
        }
    }

    @Test
    void weightsAndStatesSurviveARedeployAndAMovedServerIsReset() throws Exception {
        writeConfig("webB");
        deploy();
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            jmx.setAttribute(WEB_A, new Attribute("Weight", 3));
            jmx.invoke(WEB_B, "drain", new Object[0], new String[0]);
        }
        assertTrue(Files.readString(stateFile()).contains("webB"), "saved beside the configuration");

        deployer.undeploy(DEPLOYMENT);
        deployed = false;
        try (JMXConnector connector = ItEnvironment.jmx()) {
            assertEquals(Set.of(), connector.getMBeanServerConnection().queryNames(name("tidegate:*"), null),
                    "undeploy leaves no Tidegate MBean behind");
        }
        deploy();
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertEquals(3, jmx.getAttribute(WEB_A, "Weight"), "weight kept across the redeploy");
            assertEquals("DRAIN", jmx.getAttribute(WEB_B, "State"), "admin state kept across the redeploy");
            for (int i = 0; i < 4; i++) assertEquals("webA", get(null).body(), "webB is still drained");

            // the configuration moves webB to another address: its saved state is reset on reload
            writeConfig("moved");
            assertEquals("reloaded", jmx.invoke(name("tidegate:type=Tidegate"), "reload", new Object[0], new String[0]));
            assertEquals("READY", jmx.getAttribute(WEB_B, "State"));
            assertEquals(3, jmx.getAttribute(WEB_A, "Weight"), "webA did not move: kept");
            boolean reachedMoved = false;
            for (int i = 0; i < 4 && !reachedMoved; i++) reachedMoved = "moved".equals(get(null).body());
            assertTrue(reachedMoved, "webB at its new address takes new sessions again");
        }
    }

    private HttpResponse<String> get(String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) b.header("Cookie", cookie);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r;
    }

    private static void assertChange(BlockingQueue<Notification> heard, String attribute, Object before, Object after)
            throws InterruptedException {
        Notification n = heard.poll(10, TimeUnit.SECONDS);
        assertNotNull(n, "a notification for " + attribute + " within 10 s");
        AttributeChangeNotification change = (AttributeChangeNotification) n;
        assertEquals(attribute, change.getAttributeName(), change.getMessage());
        assertEquals(before, change.getOldValue(), change.getMessage());
        assertEquals(after, change.getNewValue(), change.getMessage());
        assertEquals(WEB_A, change.getSource());
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
