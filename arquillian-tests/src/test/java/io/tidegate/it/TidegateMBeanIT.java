package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tidegate:type=Tidegate} over WildFly's management interface, exactly as JConsole
 * connects (remote+http, management user): configuration path, check, and reload that rejects an
 * invalid file and applies a valid one.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TidegateMBeanIT {

    private static final String DEPLOYMENT = "tidegate-jmx";

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() {
        deployer.undeploy(DEPLOYMENT);
        if (backends != null) {
            backends.close();
        }
    }

    private static String config(int proxyPort, String serverName, int serverPort) {
        return """
                listen jmxdemo
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    server %s 127.0.0.1:%d
                """.formatted(proxyPort, serverName, serverPort);
    }

    @Test
    void reloadRejectsAnInvalidFileAndAppliesAValidOne() throws Exception {
        backends = new NamedBackends("first", "second");
        int proxyPort = ItEnvironment.freePort();
        Path configPath = ItEnvironment.writeConfig(config(proxyPort, "first", backends.port("first")));
        deployer.deploy(DEPLOYMENT);

        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName tidegate = new ObjectName("tidegate:type=Tidegate");

            assertEquals(configPath.toAbsolutePath().toString(), jmx.getAttribute(tidegate, "ConfigPath"));
            assertEquals("first", get(proxyPort));

            String checked = (String) jmx.invoke(tidegate, "checkConfig",
                    new Object[] {"listen x\n    bogus-keyword 1\n"}, new String[] {String.class.getName()});
            assertTrue(checked.contains(":2:") && checked.contains("bogus-keyword"), checked);

            ItEnvironment.writeConfig("listen broken\n    server nowhere\n");
            String rejected = (String) jmx.invoke(tidegate, "reload", new Object[0], new String[0]);
            assertTrue(rejected.contains(":2:"), "the error names the line: " + rejected);
            assertEquals("first", get(proxyPort), "the running configuration keeps serving");

            ItEnvironment.writeConfig(config(proxyPort, "second", backends.port("second")));
            assertEquals("reloaded", jmx.invoke(tidegate, "reload", new Object[0], new String[0]));
            assertEquals("second", get(proxyPort));
        }
    }

    @Test
    void aBindFailureIsReportedAndTheDeploymentStaysUp() throws Exception {
        backends = new NamedBackends("only");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int busyPort = taken.getLocalPort();
            ItEnvironment.writeConfig(config(busyPort, "only", backends.port("only")));
            deployer.deploy(DEPLOYMENT);

            try (JMXConnector connector = ItEnvironment.jmx()) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                String problem = (String) jmx.getAttribute(new ObjectName("tidegate:type=Tidegate"), "Problem");
                assertTrue(problem.contains("jmxdemo") && problem.contains("127.0.0.1:" + busyPort),
                        "the problem names the proxy and the address: " + problem);
            }
            HttpResponse<String> login = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ItEnvironment.wildflyHttpPort() + "/tidegate/login.html"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), "the admin app is still deployed");
        }
    }


    private static String get(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}
