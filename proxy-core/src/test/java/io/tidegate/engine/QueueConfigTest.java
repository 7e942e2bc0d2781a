package io.tidegate.engine;

import java.time.Duration;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queueing keywords from configuration text: the guide's §7 examples as written, timeout tunnel. */
class QueueConfigTest extends EngineTestSupport {
    /** Health checks run in ejb-control; here the servers simply count as up. */
    private static final SupportedFeatures FEATURES = SupportedFeatures.CURRENT.with("server check", "option httpchk",
            "mode tcp");
    private final ExecutorService clients = Executors.newFixedThreadPool(200);

    @AfterEach
    void stopClients() throws InterruptedException {
        clients.shutdownNow();
        assertTrue(clients.awaitTermination(10, TimeUnit.SECONDS), "client threads ended");
    }

    private static Config load(String text) throws io.tidegate.config.ConfigException {
        return ConfigLoader.loadSources(List.of(new ConfigSource("queue.cfg", text)), FEATURES).config();
    }

    /** The plan of {@code config} with every frontend bound to 127.0.0.1 on a free port instead. */
    private Engine startOnFreePorts(Config config) throws EngineException {
        EnginePlan p = PlanBuilder.from(config);
        List<EnginePlan.Frontend> fs = new ArrayList<>();
        for (EnginePlan.Frontend f : p.frontends()) fs.add(f.withBinds(List.of(new InetSocketAddress("127.0.0.1", 0))));
        return start(EnginePlanBuilder.builder()
                .frontends(fs)
                .backends(p.backends())
                .maxConnections(p.maxConnections())
                .build());
    }

    private static int port(Engine e, String frontend) {
        return e.boundAddresses().get(frontend).get(0).getPort();
    }

    private List<Integer> burst(int port, int clientsCount) throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < clientsCount; i++) {
            String path = "/c" + i;
            answers.add(clients.submit(() -> {
                try (RawClient c = new RawClient(port)) {
                    return c.get(path).status();
                } catch (IOException e) {
                    return -1;
                }
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) statuses.add(f.get(60, TimeUnit.SECONDS));
        return statuses;
    }

    @Test
    void guideSection7ThreeServersWithMaxconn4HoldTheirBoundUnderA200ClientBurst() throws Exception {
        SlowBackend a = track(new SlowBackend("railsA", 20));
        SlowBackend b = track(new SlowBackend("railsB", 20));
        SlowBackend c = track(new SlowBackend("railsC", 20));
        Config config = load("""
                listen appfarm 127.0.0.1:80
                  mode http
                  maxconn 10000
                  option httpclose
                  option forwardfor
                  balance roundrobin
                  cookie SERVERID insert indirect
                  option httpchk HEAD /index.html HTTP/1.0
                  server railsA 127.0.0.1:%d cookie A maxconn 4 check
                  server railsB 127.0.0.1:%d cookie B maxconn 4 check
                  server railsC 127.0.0.1:%d cookie C maxconn 4 check
                  contimeout 60000
                """.formatted(a.address().getPort(), b.address().getPort(), c.address().getPort()));
        Engine engine = startOnFreePorts(config);
        EnginePlan.Backend be = engine.plan().backends().get(0);
        assertEquals(Duration.ofMillis(60_000), be.timeouts().effectiveQueue(), "contimeout is also the queue timeout");
        assertEquals(10_000, engine.plan().frontends().get(0).maxConnections());

        List<Integer> statuses = burst(port(engine, "appfarm"), 200);
        assertEquals(200, statuses.stream().filter(s -> s == 200).count(), "every client answered 200: " + statuses);
        for (SlowBackend s : List.of(a, b, c)) {
            assertTrue(s.peakConcurrency() <= 4, s.name() + " saw " + s.peakConcurrency() + " requests at once");
        }
        assertEquals(200, a.arrivals().size() + b.arrivals().size() + c.arrivals().size());
        assertEquals(4, Math.max(a.peakConcurrency(), Math.max(b.peakConcurrency(), c.peakConcurrency())),
                "the burst filled the servers: requests queued");
        var status = engine.status().backends().get(0);
        assertEquals(0, status.queued());
        assertEquals(0, status.queueTimeouts());
        for (var s : status.servers()) {
            assertEquals(4, s.limit());
            assertTrue(s.maxRequests() <= 4);
        }
    }

    @Test
    void guideSection7MinconnExampleKeepsMinconnBelowFullconn() throws Exception {
        SlowBackend a = track(new SlowBackend("railsA", 30));
        SlowBackend b = track(new SlowBackend("railsB", 30));
        SlowBackend c = track(new SlowBackend("railsC", 30));
        Config config = load("""
                listen appfarm 127.0.0.1:80
                mode http
                maxconn 10000
                option httpclose
                option abortonclose
                option forwardfor
                balance roundrobin
                # The servers will get 4 concurrent connections under low
                # loads, and 12 when there will be 10000 clients.
                server railsA 127.0.0.1:%d minconn 4 maxconn 12 check
                server railsB 127.0.0.1:%d minconn 4 maxconn 12 check
                server railsC 127.0.0.1:%d minconn 4 maxconn 12 check
                contimeout 6000
                """.formatted(a.address().getPort(), b.address().getPort(), c.address().getPort()));
        Engine engine = startOnFreePorts(config);
        EnginePlan.Backend be = engine.plan().backends().get(0);
        assertEquals(EnginePlanQueuePolicyBuilder.builder()
                .fullconn(1_000)
                .abortOnClose(true)
                .build(), be.queue(), "fullconn = 10% of maxconn 10000");
        assertEquals(new ServerLimits(12, 4, 0), be.servers().get(0).limits());
        assertEquals(Duration.ofMillis(6_000), be.timeouts().effectiveQueue());

        List<Integer> statuses = burst(port(engine, "appfarm"), 60);
        assertEquals(60, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        for (SlowBackend s : List.of(a, b, c)) {
            assertTrue(s.peakConcurrency() <= 4, "a load of 60 is far below fullconn 1000: minconn 4 holds, "
                    + s.name() + " saw " + s.peakConcurrency());
        }
        for (var s : engine.status().backends().get(0).servers()) assertEquals(4, s.limit());
    }

    @Test
    void timeoutQueueAndProxyMaxconnFromTheFile() throws Exception {
        SlowBackend a = track(new SlowBackend("A", 10));
        Config config = load("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout queue 250ms
                    maxconn 3
                frontend www
                    bind 127.0.0.1:80
                    default_backend app
                backend app
                    fullconn 50
                    server s1 127.0.0.1:%d maxconn 2 maxqueue 10
                """.formatted(a.address().getPort()));
        Engine engine = startOnFreePorts(config);
        assertEquals(3, engine.plan().frontends().get(0).maxConnections());
        EnginePlan.Backend be = engine.plan().backends().get(0);
        assertEquals(Duration.ofMillis(250), be.timeouts().queue());
        assertEquals(50, be.queue().fullconn());
        assertEquals(new ServerLimits(2, 2, 10), be.servers().get(0).limits());
        assertEquals(List.of(200, 200, 200), burst(port(engine, "www"), 3));
    }

    @Test
    void timeoutTunnelClosesAnIdleTcpSessionSoonerThanClientAndServerTimeouts() throws Exception {
        try (ServerSocket quiet = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket s = quiet.accept()) {
                    s.getInputStream().read();     // holds the connection, says nothing
                } catch (IOException ignored) {
                    // the proxy closed it: what the test expects
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Config config = load("""
                    listen quiet 127.0.0.1:25
                        mode tcp
                        timeout connect 5s
                        timeout client 50s
                        timeout server 50s
                        timeout tunnel 300ms
                        server s 127.0.0.1:%d
                    """.formatted(quiet.getLocalPort()));
            Engine engine = startOnFreePorts(config);
            assertEquals(Duration.ofMillis(300), engine.plan().backends().get(0).timeouts().tunnel());
            try (Socket client = new Socket("127.0.0.1", port(engine, "quiet"))) {
                client.setSoTimeout(10_000);
                long started = System.nanoTime();
                InputStream in = client.getInputStream();
                int r;
                try {
                    r = in.read();
                } catch (SocketTimeoutException e) {
                    r = -2;
                } catch (IOException reset) {
                    r = -1;
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals(-1, r, "closed by the proxy");
                assertTrue(ms >= 200 && ms < 5_000, "after about timeout tunnel, took " + ms + " ms");
            }
            acceptor.join(5_000);
        }
    }
}
