package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import com.sun.net.httpserver.HttpServer;
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
 * Server maxconn and timeout queue in the deployed EAR: the keywords load, a request that waits too
 * long for the only slot gets 503, and JMX shows the queue while it waits and the timeout afterwards.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class QueueIT {

    private static final String DEPLOYMENT = "tidegate-queue";
    private static final ObjectName SERVER = name("tidegate:type=Server,backend=farm,name=slow");
    private static final ObjectName BACKEND = name("tidegate:type=Backend,name=farm");

    @ArquillianResource
    private Deployer deployer;

    private boolean deployed;
    private HttpServer slow;
    private final ExecutorService slowThreads = Executors.newFixedThreadPool(8);
    private final AtomicInteger served = new AtomicInteger();
    private int proxyPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @BeforeEach
    void setUp() throws IOException {
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        slow.createContext("/", exchange -> {
            served.incrementAndGet();
            try {
                Thread.sleep(exchange.getRequestURI().getPath().startsWith("/long") ? 2_500 : 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "slow".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        slow.setExecutor(slowThreads);
        slow.start();
        proxyPort = ItEnvironment.freePort();
    }

    @AfterEach
    void tearDown() {
        if (deployed) deployer.undeploy(DEPLOYMENT);
        slow.stop(0);
        slowThreads.shutdownNow();
    }

    @Test
    void aRequestWaitingPastTimeoutQueueGets503AndJmxCountsIt() throws Exception {
        ItEnvironment.writeConfig("""
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    maxconn 100
                    timeout connect 5s
                    timeout queue 600ms
                    timeout client 30s
                    timeout server 30s
                    server slow 127.0.0.1:%d maxconn 1 maxqueue 10
                """.formatted(proxyPort, slow.getAddress().getPort()));
        deployer.deploy(DEPLOYMENT);
        deployed = true;
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertEquals(1, jmx.getAttribute(SERVER, "ConnectionLimit"));

            CompletableFuture<HttpResponse<String>> longOne = send("/long");
            awaitServed(1);
            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> late = send("/late");
            awaitQueueLength(jmx, 1);
            HttpResponse<String> lateAnswer = late.get(10, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(503, lateAnswer.statusCode());
            assertTrue(ms >= 500 && ms < 2_400, "answered after about timeout queue, took " + ms + " ms");
            assertEquals(200, longOne.get(10, TimeUnit.SECONDS).statusCode());
            assertEquals(1, served.get(), "the timed-out request never reached the server");

            assertEquals(1L, jmx.getAttribute(BACKEND, "QueueTimeouts"));
            assertEquals(0L, jmx.getAttribute(BACKEND, "QueueLength"));
            assertEquals(0L, jmx.getAttribute(SERVER, "ConnectErrors"), "a queue timeout is not a connect failure");
            assertEquals(200, send("/after").get(10, TimeUnit.SECONDS).statusCode());
        }
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + path))
                .timeout(Duration.ofSeconds(10)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitServed(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (served.get() < n) {
            if (System.nanoTime() > deadline) fail("the backend did not get request " + n);
            Thread.sleep(10);
        }
    }

    private static void awaitQueueLength(MBeanServerConnection jmx, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((long) jmx.getAttribute(BACKEND, "QueueLength") != n) {
            if (System.nanoTime() > deadline) fail("queue length never reached " + n);
            Thread.sleep(10);
        }
    }


    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
