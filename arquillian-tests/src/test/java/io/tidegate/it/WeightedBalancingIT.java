package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

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
 * The deployed EAR balances real HTTP traffic over real backends with the seed guide's weights
 * (§2: 12/12/26/26), and an undeploy parks its listening port for the redeploy to take over.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WeightedBalancingIT {

    private static final String DEPLOYMENT = "tidegate";

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private boolean deployed;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() {
        if (deployed) {
            deployer.undeploy(DEPLOYMENT);
        }
        if (backends != null) {
            backends.close();
        }
    }

    private int deployWithWeights() {
        backends = new NamedBackends("webA", "webB", "webC", "webD");
        int proxyPort = ItEnvironment.freePort();
        ItEnvironment.writeConfig("""
                # guide §2, weighted variant, on loopback
                listen webfarm 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    server webA 127.0.0.1:%d weight 12
                    server webB 127.0.0.1:%d weight 12
                    server webC 127.0.0.1:%d weight 26
                    server webD 127.0.0.1:%d weight 26
                """.formatted(proxyPort, backends.port("webA"), backends.port("webB"),
                backends.port("webC"), backends.port("webD")));
        deployer.deploy(DEPLOYMENT);
        deployed = true;
        return proxyPort;
    }

    @Test
    void weightsGiveTheirSharesOverKeepAliveConnections() throws Exception {
        int proxyPort = deployWithWeights();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Integer> seenByClient = new HashMap<>();
        int total = 1040;
        for (int i = 0; i < total; i++) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/r" + i))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), "request " + i);
            seenByClient.merge(response.body(), 1, Integer::sum);
        }
        // weights 12/12/26/26 of 76: expected shares 164.2 / 164.2 / 355.8 / 355.8 of 1040.
        // Smooth weighted round robin is exact per cycle of 76, so the error is below one cycle's
        // worth of any one server; allow 2% of the total.
        double tolerance = total * 0.02;
        Map<String, Integer> weights = Map.of("webA", 12, "webB", 12, "webC", 26, "webD", 26);
        for (String name : backends.names()) {
            double expected = total * weights.get(name) / 76.0;
            int actual = backends.hits(name);
            assertTrue(Math.abs(actual - expected) <= tolerance,
                    name + " served " + actual + ", expected " + expected + " +- " + tolerance);
            assertEquals(actual, seenByClient.getOrDefault(name, 0), "client and backend agree for " + name);
        }
    }

    @Test
    void undeployParksTheListenerAndRedeployTakesItOver() throws Exception {
        int proxyPort = deployWithWeights();
        assertTrue(canConnect(proxyPort), "listening after deploy");

        deployer.undeploy(DEPLOYMENT);
        deployed = false;
        // the listening socket is parked for the next deployment (SPEC S10): a client connecting now
        // waits in the backlog and is answered once the EAR is deployed again
        try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            waiting.setSoTimeout(60_000);
            waiting.getOutputStream().write("GET /waited HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            deployer.deploy(DEPLOYMENT);
            deployed = true;
            String answer = new String(waiting.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200"), "the waiting client is served: " + answer);
        }
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/again"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(backends.names().contains(response.body()), "answered by a backend: " + response.body());
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
