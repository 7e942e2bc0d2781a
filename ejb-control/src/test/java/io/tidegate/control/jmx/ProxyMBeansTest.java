package io.tidegate.control.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

import io.tidegate.control.ServerManagement;
import io.tidegate.control.TestEngines;
import io.tidegate.control.state.ServerStateFile;
import io.tidegate.engine.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-proxy MBeans as a JMX client sees them, in a private MBeanServer. */
class ProxyMBeansTest {

    @TempDir
    Path dir;

    private MBeanServer mbeans;
    private ServerManagement management;
    private ProxyMBeans registrar;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        mbeans = MBeanServerFactory.newMBeanServer();
        management = new ServerManagement(ServerStateFile.besideConfig(dir.resolve("tidegate.cfg")));
        registrar = new ProxyMBeans(management, mbeans);
        engine = TestEngines.farm(8081);
        management.attach(engine);
        registrar.publish(engine);
    }

    @AfterEach
    void stop() {
        registrar.unregisterAll();
        if (engine != null) engine.close();
    }

    @Test
    void everyProxyAndServerHasItsMBean() throws Exception {
        Set<ObjectName> names = mbeans.queryNames(MBeanNames.all(), null);
        assertEquals(Set.of(new ObjectName("tidegate:type=Frontend,name=farm"), new ObjectName("tidegate:type=Backend,name=farm"),
                new ObjectName("tidegate:type=Server,backend=farm,name=webA"),
                new ObjectName("tidegate:type=Server,backend=farm,name=webB")), names);

        ObjectName backend = MBeanNames.backend("farm");
        assertEquals("cookie SERVERID insert indirect", mbeans.getAttribute(backend, "Persistence"));
        assertEquals(2, mbeans.getAttribute(backend, "UsableServers"));
        assertArrayEquals(new String[] {"webA", "webB"}, (String[]) mbeans.getAttribute(backend, "Servers"));
        assertEquals("http", mbeans.getAttribute(MBeanNames.frontend("farm"), "Mode"));

        ObjectName webA = MBeanNames.server("farm", "webA");
        assertEquals("127.0.0.1:8081", mbeans.getAttribute(webA, "Address"));
        assertEquals("A", mbeans.getAttribute(webA, "Cookie"));
        assertEquals(10, mbeans.getAttribute(webA, "Weight"));
        assertEquals("READY", mbeans.getAttribute(webA, "State"));
        assertEquals("UP", mbeans.getAttribute(webA, "Health"));
        assertEquals(0, mbeans.getAttribute(webA, "ConnectionLimit"), "no maxconn on webA");
        assertEquals(0L, mbeans.getAttribute(webA, "QueueLength"));
        assertEquals(0L, mbeans.getAttribute(webA, "QueueTimeouts"));
        assertEquals(0L, mbeans.getAttribute(backend, "QueueTimeouts"));
    }

    @Test
    void aFrontendAndABackendOfOneNameHaveOneMBeanEach() throws Exception {
        Engine shared = Engine.start(io.tidegate.config.ConfigLoader.load("shared.cfg", """
                frontend www
                    bind 127.0.0.1:%d
                    mode tcp
                    default_backend www
                backend www
                    mode http
                    server s1 127.0.0.1:9
                """.formatted(TestEngines.freePort())).config());
        try {
            management.attach(shared);
            registrar.publish(shared);
            assertEquals(Set.of(new ObjectName("tidegate:type=Frontend,name=www"), new ObjectName("tidegate:type=Backend,name=www"),
                    new ObjectName("tidegate:type=Server,backend=www,name=s1")), mbeans.queryNames(MBeanNames.all(), null),
                    "the MBeans of the previous engine's proxies are gone, the two of www both registered");
            assertEquals("tcp", mbeans.getAttribute(MBeanNames.frontend("www"), "Mode"), "the frontend's own mode");
            assertArrayEquals(new String[] {"s1"}, (String[]) mbeans.getAttribute(MBeanNames.backend("www"), "Servers"));
        } finally {
            registrar.stopListening(shared);
            shared.close();
        }
    }

    @Test
    void latencyPercentilesFollowTheTraffic() throws Exception {
        com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8);
        slow.createContext("/", ex -> {
            try {
                Thread.sleep(30);       // every response takes at least 30 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "slow".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        slow.start();
        Engine traffic = TestEngines.farm(slow.getAddress().getPort());
        try {
            management.attach(traffic);
            ObjectName webA = MBeanNames.server("farm", "webA");
            assertEquals(0.0, mbeans.getAttribute(webA, "ResponseTimeP50Millis"), "no exchange yet");
            int port = traffic.boundAddresses().get("farm").get(0).getPort();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < 5; i++) {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
                        .header("Cookie", "SERVERID=A").timeout(java.time.Duration.ofSeconds(10)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals("slow", r.body());
            }
            for (int i = 0; i < 1000 && traffic.serverLatency("farm", "webA").orElseThrow().total().count() < 5; i++) {
                Thread.sleep(10);     // the last exchange is recorded when it ends on the proxy
            }
            double p50 = (double) mbeans.getAttribute(webA, "ResponseTimeP50Millis");
            double p99 = (double) mbeans.getAttribute(webA, "ResponseTimeP99Millis");
            assertTrue(p50 >= 25, "every response took 30 ms or more, so the median lies in the 25..50 ms bucket: " + p50);
            assertTrue(p99 >= p50, p99 + " >= " + p50);
            assertTrue((double) mbeans.getAttribute(webA, "TotalTimeP99Millis") >= 25);
            assertEquals(p50, (double) mbeans.getAttribute(MBeanNames.backend("farm"), "ResponseTimeP50Millis"), 1e-9,
                    "webB took no traffic: the backend's figures are webA's");
        } finally {
            traffic.close();
            slow.stop(0);
        }
    }

    @Test
    void jconsoleShowsASentenceForEveryAttributeAndOperation() throws Exception {
        MBeanInfo info = mbeans.getMBeanInfo(MBeanNames.server("farm", "webA"));
        assertTrue(info.getDescription().startsWith("A server of a Tidegate backend"));
        Arrays.stream(info.getAttributes()).forEach(a ->
                assertTrue(a.getDescription().length() > a.getName().length() + 5, a.getName() + ": " + a.getDescription()));
        Arrays.stream(info.getOperations()).forEach(o ->
                assertTrue(o.getDescription().length() > 20, o.getName() + ": " + o.getDescription()));
        assertTrue(Arrays.stream(info.getAttributes()).anyMatch(a -> a.getName().equals("Weight") && a.isWritable()));
        assertEquals(AttributeChangeNotification.ATTRIBUTE_CHANGE, info.getNotifications()[0].getNotifTypes()[0]);
    }

    @Test
    void writesAndOperationsChangeTheEngineAndNotify() throws Exception {
        ObjectName webA = MBeanNames.server("farm", "webA");
        BlockingQueue<Notification> heard = new LinkedBlockingQueue<>();
        mbeans.addNotificationListener(webA, (n, handback) -> heard.add(n), null, null);

        mbeans.setAttribute(webA, new Attribute("Weight", 0));
        assertEquals(1, engine.usableServers("farm", false), "weight 0 takes webA out of balancing at once");
        assertEquals("farm/webA is now DRAIN", mbeans.invoke(webA, "drain", new Object[0], new String[0]));
        mbeans.setAttribute(webA, new Attribute("State", "maint"));
        mbeans.invoke(webA, "disableHealthCheck", new Object[0], new String[0]);
        engine.setServerUp("farm", "webA", false);    // a health check's verdict: ignored while checks are off, no change

        AttributeChangeNotification weight = next(heard);
        assertEquals("Weight", weight.getAttributeName());
        assertEquals(10, weight.getOldValue());
        assertEquals(0, weight.getNewValue());
        assertEquals(webA, weight.getSource());
        AttributeChangeNotification drained = next(heard);
        assertEquals("State", drained.getAttributeName());
        assertEquals("READY", drained.getOldValue());
        assertEquals("DRAIN", drained.getNewValue());
        assertEquals("MAINT", next(heard).getNewValue());
        assertEquals("HealthChecksEnabled", next(heard).getAttributeName());
        assertTrue(weight.getSequenceNumber() < drained.getSequenceNumber());

        mbeans.invoke(webA, "enableHealthCheck", new Object[0], new String[0]);
        assertEquals("HealthChecksEnabled", next(heard).getAttributeName());
        AttributeChangeNotification down = next(heard);
        assertEquals("Health", down.getAttributeName());
        assertEquals("DOWN", down.getNewValue(), "the ignored verdict applies again");
        assertEquals("DOWN", mbeans.getAttribute(webA, "Health"));
    }

    @Test
    void invalidValuesAreRefusedWithAReason() {
        ObjectName webA = MBeanNames.server("farm", "webA");
        RuntimeMBeanException weight = assertThrows(RuntimeMBeanException.class,
                () -> mbeans.setAttribute(webA, new Attribute("Weight", 257)));
        assertTrue(weight.getCause().getMessage().contains("0..256"), weight.getCause().getMessage());
        RuntimeMBeanException state = assertThrows(RuntimeMBeanException.class,
                () -> mbeans.setAttribute(webA, new Attribute("State", "SLEEP")));
        assertTrue(state.getCause().getMessage().contains("READY, DRAIN or MAINT"));
    }

    @Test
    void aReloadKeepsMBeansOfRemainingServersWithTheirListenersAndRemovesTheOthers() throws Exception {
        ObjectName webA = MBeanNames.server("farm", "webA");
        BlockingQueue<Notification> heard = new LinkedBlockingQueue<>();
        mbeans.addNotificationListener(webA, (n, handback) -> heard.add(n), null, null);
        String next = """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    server webA 127.0.0.1:8081
                backend pool
                    mode http
                    server only 127.0.0.1:9
                """.formatted(TestEngines.freePort());
        registrar.stopListening(engine);
        management.detach(engine);
        engine.close();
        engine = Engine.start(io.tidegate.config.ConfigLoader.load("next.cfg", next).config());
        management.attach(engine);
        registrar.publish(engine);
        assertEquals(Set.of(MBeanNames.frontend("farm"), MBeanNames.backend("farm"), webA,
                MBeanNames.backend("pool"), MBeanNames.server("pool", "only")), mbeans.queryNames(MBeanNames.all(), null));

        mbeans.invoke(webA, "maint", new Object[0], new String[0]);
        assertEquals("MAINT", next(heard).getNewValue(), "a JConsole subscription outlives the reload");
        assertEquals(0, engine.usableServers("farm", false), "and changes reach the new engine");

        registrar.unregisterAll();
        assertTrue(mbeans.queryNames(MBeanNames.all(), null).isEmpty(), "nothing is left after undeploy");
    }

    @Test
    void namesThatJmxCannotTakeAsTheyAreAreQuoted() throws Exception {
        ObjectName n = MBeanNames.frontend("127.0.0.1:8080");
        assertEquals("127.0.0.1:8080", ObjectName.unquote(n.getKeyProperty("name")));
        assertNotNull(MBeanNames.server("a,b", "c=d"));
    }

    private static AttributeChangeNotification next(BlockingQueue<Notification> q) throws InterruptedException {
        Notification n = q.poll(5, TimeUnit.SECONDS);
        assertNotNull(n, "notification within 5 s");
        return (AttributeChangeNotification) n;
    }
}
