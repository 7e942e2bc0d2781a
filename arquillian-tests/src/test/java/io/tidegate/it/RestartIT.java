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

import javax.management.Attribute;
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
 * Weights and admin states survive a WildFly restart: a second, manual-mode server (see
 * arquillian.xml) is started, Tidegate deployed and changed over JMX, the JVM stopped, and a new
 * JVM on a freshly copied server finds the state again in the file beside the configuration.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestartIT {

    private static final String CONTAINER = "wildfly-restart";
    private static final String DEPLOYMENT = "tidegate-restart";

    @ArquillianResource
    private ContainerController controller;

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;

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
        if (backends != null) {
            backends.close();
        }
        Files.deleteIfExists(stateFile());
    }

    private static Path configFile() {
        return Path.of(ItEnvironment.property("tidegate.it.restart.config"));
    }

    private static Path stateFile() {
        return configFile().resolveSibling(configFile().getFileName() + ".state");
    }

    @Test
    void weightsAndStatesSurviveAWildFlyRestart() throws Exception {
        backends = new NamedBackends("webA", "webB");
        int proxyPort = ItEnvironment.freePort();
        Files.deleteIfExists(stateFile());
        Files.writeString(configFile(), """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    server webA 127.0.0.1:%d weight 10
                    server webB 127.0.0.1:%d weight 10
                """.formatted(proxyPort, backends.port("webA"), backends.port("webB")));
        ObjectName webA = new ObjectName("tidegate:type=Server,backend=farm,name=webA");
        ObjectName webB = new ObjectName("tidegate:type=Server,backend=farm,name=webB");

        controller.start(CONTAINER);
        deployer.deploy(DEPLOYMENT);
        try (JMXConnector connector = connect()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            jmx.setAttribute(webA, new Attribute("Weight", 7));
            jmx.invoke(webB, "maint", new Object[0], new String[0]);
        }
        assertTrue(Files.isRegularFile(stateFile()));

        controller.stop(CONTAINER);     // the JVM exits with Tidegate deployed
        controller.start(CONTAINER);    // a new JVM on a fresh copy of the server
        deployer.deploy(DEPLOYMENT);
        try (JMXConnector connector = connect()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertEquals(7, jmx.getAttribute(webA, "Weight"));
            assertEquals("MAINT", jmx.getAttribute(webB, "State"));
        }
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("webA", r.body(), "webB is still in maintenance after the restart");
        }
        assertEquals(0, backends.hits("webB"));
    }

    private static JMXConnector connect() throws Exception {
        return ItEnvironment.jmx(Integer.parseInt(ItEnvironment.property("tidegate.it.restart.management.port")));
    }
}
