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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * {@code stats admin if LOCALHOST} in the deployed EAR: the page a browser gets has HAProxy's admin
 * form; posting it as the browser would (checked server, action drain, the hidden backend id) sets
 * the server to DRAIN through the management service, which JMX shows at once, and the answer is
 * HAProxy's 303 to {@code ;st=DONE}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StatsAdminIT {

    private static final String DEPLOYMENT = "tidegate-stats-admin";

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private boolean deployed;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (deployed) deployer.undeploy(DEPLOYMENT);
        if (backends != null) backends.close();
        Path config = Path.of(ItEnvironment.property("tidegate.it.config"));
        Files.deleteIfExists(config.resolveSibling(config.getFileName() + ".state"));
    }

    @Test
    void drainPostedFromThePageShowsInJmx() throws Exception {
        backends = new NamedBackends("webA", "webB");
        int proxyPort = ItEnvironment.freePort();
        ItEnvironment.writeConfig("""
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    stats uri /lb?stats
                    stats auth ops:secret
                    stats admin if LOCALHOST
                    server webA 127.0.0.1:%d
                    server webB 127.0.0.1:%d
                """.formatted(proxyPort, backends.port("webA"), backends.port("webB")));
        deployer.deploy(DEPLOYMENT);
        deployed = true;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("ops:secret".getBytes());
        String base = "http://127.0.0.1:" + proxyPort;

        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/lb?stats")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<input type=\"checkbox\" name=\"s\" value=\"webB\">"), page);
        Matcher b = Pattern.compile("<input type=\"hidden\" name=\"b\" value=\"(#[0-9]+)\">").matcher(page);
        assertTrue(b.find(), page);

        String form = "s=webB&action=drain&b=" + b.group(1).replace("#", "%23");
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/lb?stats"))
                .header("Authorization", auth).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, posted.statusCode(), posted.body());
        assertEquals("/lb?stats;st=DONE", posted.headers().firstValue("Location").orElse(""));

        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertEquals("DRAIN", jmx.getAttribute(new ObjectName("tidegate:type=Server,backend=farm,name=webB"), "State"));
            assertEquals("READY", jmx.getAttribute(new ObjectName("tidegate:type=Server,backend=farm,name=webA"), "State"));
        }
        String after = http.send(HttpRequest.newBuilder(URI.create(base + "/lb?stats;st=DONE")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(after.contains("Action processed successfully."), after);
    }
}
