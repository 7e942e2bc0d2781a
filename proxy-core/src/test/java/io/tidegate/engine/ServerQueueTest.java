package io.tidegate.engine;

import java.time.Duration;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConnectionMode;
import io.tidegate.config.CookieSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server maxconn, request queues, timeout queue, option abortonclose and the minconn/fullconn ramp
 * (S9), against slow backends on loopback that count how many requests they handle at once.
 */
class ServerQueueTest extends EngineTestSupport {
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stopClients() throws InterruptedException {
        clients.shutdownNow();
        assertTrue(clients.awaitTermination(10, TimeUnit.SECONDS), "client threads ended");
    }

    private SlowBackend slow(String name, long delayMs) {
        return track(new SlowBackend(name, delayMs));
    }

    private static EnginePlan.Server server(SlowBackend b, ServerLimits limits) {
        return EnginePlanServerBuilder.builder()
                .name(b.name())
                .address(b.address())
                .weight(1)
                .cookie(b.name())
                .limits(limits)
                .build();
    }

    private static EnginePlan plan(io.tidegate.config.Timeouts timeouts, EnginePlan.QueuePolicy queue, CookieSpec cookie,
                                   EnginePlan.Server... servers) {
        EnginePlan.Backend be = EnginePlanBackendBuilder.builder()
                .name("be")
                .balance("roundrobin")
                .servers(List.of(servers))
                .cookie(cookie)
                .retries(3)
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(timeouts)
                .build().withQueue(queue);
        EnginePlan.Frontend fe = EnginePlanFrontendBuilder.builder()
                .name("fe")
                .binds(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .mode("http")
                .backend("be")
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(timeouts)
                .accessLog(true)
                .build();
        return EnginePlanBuilder.builder()
                .frontends(List.of(fe))
                .backends(List.of(be))
                .build();
    }

    private static EnginePlan plan(EnginePlan.Server... servers) {
        return plan(ProxyFixture.TIMEOUTS, EnginePlan.QueuePolicy.DEFAULT, null, servers);
    }

    /** One client connection sending one GET; the status it got (or -1 when the connection failed). */
    private Future<Integer> request(int port, String path) {
        return clients.submit(get(port, path));
    }

    private static Callable<Integer> get(int port, String path) {
        return () -> {
            try (RawClient c = new RawClient(port)) {
                return c.get(path).status();
            } catch (IOException e) {
                return -1;
            }
        };
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    private static io.tidegate.engine.status.BackendStatus backendStatus(Engine e) {
        return e.status().backends().get(0);
    }

    @Test
    void serverMaxconnBoundsConcurrencyAndQueuedRequestsAllGetServed() throws Exception {
        SlowBackend a = slow("A", 100);
        Engine engine = start(plan(server(a, ServerLimits.maxconn(2))));
        int port = ProxyFixture.port(engine);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) answers.add(request(port, "/r" + i));
        for (Future<Integer> f : answers) assertEquals(200, f.get(30, TimeUnit.SECONDS));
        assertEquals(20, a.arrivals().size(), "every request reached the server");
        assertEquals(2, a.peakConcurrency(), "never more than maxconn at once, and the limit was used");
        var s = backendStatus(engine).servers().get(0);
        assertEquals(2, s.maxRequests());
        assertEquals(0, s.queued(), "nothing left waiting");
        assertEquals(0, backendStatus(engine).queueTimeouts());
    }

    @Test
    void queuedRequestsGoOutInArrivalOrder() throws Exception {
        SlowBackend a = slow("A", 50);
        Engine engine = start(plan(server(a, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        Future<Integer> first = request(port, "/first?sleep=400");
        await(() -> a.active() == 1, "the first request holds the only slot");
        List<Future<Integer>> waiting = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            waiting.add(request(port, "/q" + i));
            int expected = i;
            await(() -> backendStatus(engine).queued() == expected, expected + " requests queued");
        }
        assertEquals(200, first.get(10, TimeUnit.SECONDS));
        for (Future<Integer> f : waiting) assertEquals(200, f.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("/first", "/q1", "/q2", "/q3", "/q4", "/q5", "/q6"), a.arrivals());
        assertEquals(1, a.peakConcurrency());
    }

    @Test
    void aRequestWaitingLongerThanTimeoutQueueGets503AndCountsAsQueueTimeout() throws Exception {
        SlowBackend a = slow("A", 50);
        io.tidegate.config.Timeouts t = ProxyFixture.TIMEOUTS.withQueue(Duration.ofMillis(300));
        Engine engine = start(plan(t, EnginePlan.QueuePolicy.DEFAULT, null, server(a, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        try (AccessLogCapture log = new AccessLogCapture()) {
            Future<Integer> busy = request(port, "/busy?sleep=2000");
            await(() -> a.active() == 1, "the slot is taken");
            long started = System.nanoTime();
            int status = get(port, "/late").call();
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(503, status);
            assertTrue(waitedMs >= 250 && waitedMs < 1_900, "answered after about timeout queue, took " + waitedMs + " ms");
            assertEquals(200, busy.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("/busy"), a.arrivals(), "the timed-out request never reached the server");
            var be = backendStatus(engine);
            assertEquals(1, be.queueTimeouts(), "counted as a queue timeout");
            assertEquals(0, be.servers().get(0).connectErrors(), "not as a connect failure");
            await(() -> log.lines().stream().anyMatch(l -> l.contains("\"GET /late HTTP/1.1\"")), "the log line");
            String line = log.lines().stream().filter(l -> l.contains("GET /late")).findFirst().orElseThrow();
            assertTrue(line.contains(" 503 ") && line.contains(" sQ-- "), line);
            assertTrue(line.contains(" be/<NOSRV> "), "it waited for any server: " + line);
        }
    }

    @Test
    void timeoutQueueDefaultsToTimeoutConnect() throws Exception {
        SlowBackend a = slow("A", 50);
        io.tidegate.config.Timeouts t = ProxyFixture.TIMEOUTS.withConnect(Duration.ofMillis(300));
        Engine engine = start(plan(t, EnginePlan.QueuePolicy.DEFAULT, null, server(a, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        Future<Integer> busy = request(port, "/busy?sleep=1500");
        await(() -> a.active() == 1, "the slot is taken");
        long started = System.nanoTime();
        assertEquals(503, get(port, "/late").call());
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waitedMs >= 250 && waitedMs < 1_400, "took " + waitedMs + " ms");
        assertEquals(200, busy.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aPersistentRequestWaitsForItsOwnServerAndItsTimeoutCountsThere() throws Exception {
        SlowBackend a = slow("A", 50);
        SlowBackend b = slow("B", 50);
        io.tidegate.config.Timeouts t = ProxyFixture.TIMEOUTS.withQueue(Duration.ofMillis(300));
        Engine engine = start(plan(t, EnginePlan.QueuePolicy.DEFAULT, CookieSpec.insert("SERVERID", false, false),
                server(a, ServerLimits.maxconn(1)), server(b, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        Future<Integer> busy = clients.submit(() -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET /busy?sleep=1500 HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=A\r\n\r\n");
                return c.read().status();
            }
        });
        await(() -> a.active() == 1, "A is busy");
        Future<Integer> pinned = clients.submit(() -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET /pinned HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=A\r\n\r\n");
                return c.read().status();
            }
        });
        await(() -> backendStatus(engine).servers().get(0).queued() == 1, "the pinned request waits in A's queue");
        assertEquals(200, get(port, "/free").call(), "a request without cookie takes the free server B meanwhile");
        assertEquals(List.of("/free"), b.arrivals());
        assertEquals(503, pinned.get(10, TimeUnit.SECONDS), "it did not go to B: it waits for A, then times out");
        assertEquals(200, busy.get(10, TimeUnit.SECONDS));
        var servers = backendStatus(engine).servers();
        assertEquals(1, servers.get(0).queueTimeouts());
        assertEquals(0, servers.get(1).queueTimeouts());
        assertEquals(List.of("/busy"), a.arrivals());
    }

    private Future<Integer> withCookie(int port, String path, String cookie) {
        return clients.submit(() -> {
            try (RawClient c = new RawClient(port)) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=" + cookie + "\r\n\r\n");
                return c.read().status();
            }
        });
    }

    @Test
    void withRedispatchRequestsWaitingForAServerGoneToMaintenanceMoveToAnotherServer() throws Exception {
        SlowBackend a = slow("A", 50);
        SlowBackend b = slow("B", 50);
        EnginePlan p = plan(ProxyFixture.TIMEOUTS, EnginePlan.QueuePolicy.DEFAULT,
                CookieSpec.insert("SERVERID", false, false),
                server(a, ServerLimits.maxconn(1)), server(b, ServerLimits.maxconn(1)));
        Engine engine = start(EnginePlanBuilder.builder()
                .frontends(p.frontends())
                .backends(List.of(p.backends().get(0).withRedispatch(true)))
                .build());
        int port = ProxyFixture.port(engine);
        Future<Integer> busy = withCookie(port, "/busy?sleep=1500", "A");
        await(() -> a.active() == 1, "A is busy");
        Future<Integer> pinned = withCookie(port, "/pinned", "A");
        await(() -> backendStatus(engine).servers().get(0).queued() == 1, "waiting for A");

        engine.setServerAdminState("be", "A", AdminState.MAINT);
        assertEquals(200, pinned.get(1_000, TimeUnit.MILLISECONDS), "served by B long before A frees its slot");
        assertEquals(List.of("/pinned"), b.arrivals());
        assertEquals(200, busy.get(10, TimeUnit.SECONDS), "the request in progress on A finished");
        assertEquals(List.of("/busy"), a.arrivals());
    }

    @Test
    void maxqueueRefusesPersistentRequestsBeyondItOrRedispatchesThem() throws Exception {
        SlowBackend a = slow("A", 50);
        SlowBackend b = slow("B", 50);
        EnginePlan p = plan(ProxyFixture.TIMEOUTS, EnginePlan.QueuePolicy.DEFAULT,
                CookieSpec.insert("SERVERID", false, false),
                server(a, ServerLimits.maxconn(1).withMaxqueue(1)), server(b, ServerLimits.maxconn(1)));
        Engine strict = start(p);
        int port = ProxyFixture.port(strict);
        try (AccessLogCapture log = new AccessLogCapture()) {
            Future<Integer> busy = withCookie(port, "/busy?sleep=800", "A");
            await(() -> a.active() == 1, "A is busy");
            Future<Integer> queued = withCookie(port, "/queued", "A");
            await(() -> backendStatus(strict).servers().get(0).queued() == 1, "A's queue holds maxqueue requests");
            long started = System.nanoTime();
            assertEquals(503, withCookie(port, "/refused", "A").get(10, TimeUnit.SECONDS));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 700, "refused at once, not after waiting");
            assertEquals(200, busy.get(10, TimeUnit.SECONDS));
            assertEquals(200, queued.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("/busy", "/queued"), a.arrivals());
            assertTrue(b.arrivals().isEmpty());
            await(() -> log.lines().stream().anyMatch(l -> l.contains("GET /refused")), "its log line");
            String line = log.lines().stream().filter(l -> l.contains("GET /refused")).findFirst().orElseThrow();
            assertTrue(line.contains(" 503 ") && line.contains(" SQVN ") && line.contains(" be/A "), line);
        }

        Engine lenient = start(EnginePlanBuilder.builder()
                .frontends(p.frontends())
                .backends(List.of(p.backends().get(0).withRedispatch(true)))
                .build());
        int port2 = ProxyFixture.port(lenient);
        Future<Integer> busy = withCookie(port2, "/busy2?sleep=800", "A");
        await(() -> a.active() == 1, "A is busy");
        Future<Integer> queued = withCookie(port2, "/queued2", "A");
        await(() -> backendStatus(lenient).servers().get(0).queued() == 1, "A's queue is full");
        assertEquals(200, withCookie(port2, "/redispatched", "A").get(10, TimeUnit.SECONDS));
        assertEquals(List.of("/redispatched"), b.arrivals(), "option redispatch: another server took it");
        assertEquals(200, busy.get(10, TimeUnit.SECONDS));
        assertEquals(200, queued.get(10, TimeUnit.SECONDS));
    }

    @Test
    void abortoncloseDropsAQueuedRequestWhoseClientClosed() throws Exception {
        SlowBackend a = slow("A", 50);
        Engine engine = start(plan(ProxyFixture.TIMEOUTS, EnginePlanQueuePolicyBuilder.builder()
                .abortOnClose(true)
                .build(), null,
                server(a, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        try (AccessLogCapture log = new AccessLogCapture()) {
            Future<Integer> busy = request(port, "/busy?sleep=600");
            await(() -> a.active() == 1, "the slot is taken");
            RawClient gone = new RawClient(port);
            gone.send("GET /gone HTTP/1.1\r\nHost: t\r\n\r\n");
            await(() -> backendStatus(engine).queued() == 1, "the request is queued");
            gone.close();
            await(() -> backendStatus(engine).queued() == 0, "the request left the queue");
            assertEquals(200, busy.get(10, TimeUnit.SECONDS));
            assertEquals(200, get(port, "/after").call());
            assertEquals(List.of("/busy", "/after"), a.arrivals(), "the server never saw the abandoned request");
            await(() -> log.lines().stream().anyMatch(l -> l.contains("GET /gone")), "its log line");
            String line = log.lines().stream().filter(l -> l.contains("GET /gone")).findFirst().orElseThrow();
            assertTrue(line.contains(" CQ-- "), line);
        }
    }

    @Test
    void withoutAbortoncloseAHalfClosedClientStillGetsItsQueuedRequestServed() throws Exception {
        SlowBackend a = slow("A", 50);
        Engine engine = start(plan(server(a, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        Future<Integer> busy = request(port, "/busy?sleep=400");
        await(() -> a.active() == 1, "the slot is taken");
        try (RawClient c = new RawClient(port)) {
            c.send("GET /halfclosed HTTP/1.1\r\nHost: t\r\n\r\n");
            await(() -> backendStatus(engine).queued() == 1, "the request is queued");
            c.shutdownOutput();
            assertEquals(200, c.read().status());
        }
        assertEquals(200, busy.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("/busy", "/halfclosed"), a.arrivals());
    }

    @Test
    void minconnAppliesAtLowLoadAndMaxconnOnceTheBackendLoadReachesFullconn() throws Exception {
        SlowBackend a = slow("A", 300);
        Engine engine = start(plan(ProxyFixture.TIMEOUTS, EnginePlanQueuePolicyBuilder.builder()
                .fullconn(8)
                .build(), null,
                server(a, new ServerLimits(4, 1, 0))));
        int port = ProxyFixture.port(engine);
        // low load: 2 requests -> limit max(1, 2*4/8) = 1
        List<Future<Integer>> low = List.of(request(port, "/l1"), request(port, "/l2"));
        for (Future<Integer> f : low) assertEquals(200, f.get(10, TimeUnit.SECONDS));
        assertEquals(1, a.peakConcurrency(), "minconn at low load");
        // high load: 16 requests >= fullconn 8 -> maxconn 4
        List<Future<Integer>> high = new ArrayList<>();
        for (int i = 0; i < 16; i++) high.add(request(port, "/h" + i));
        await(() -> backendStatus(engine).servers().get(0).limit() == 4, "the limit grew to maxconn");
        for (Future<Integer> f : high) assertEquals(200, f.get(30, TimeUnit.SECONDS));
        assertEquals(4, a.peakConcurrency(), "maxconn under full load, never more");
        await(() -> backendStatus(engine).servers().get(0).limit() == 1, "back to minconn when idle");
    }

    @Test
    void balancedRequestsTakeWhicheverServerFreesFirst() throws Exception {
        SlowBackend a = slow("A", 50);
        SlowBackend b = slow("B", 50);
        Engine engine = start(plan(server(a, ServerLimits.maxconn(1)), server(b, ServerLimits.maxconn(1))));
        int port = ProxyFixture.port(engine);
        Future<Integer> longA = request(port, "/long?sleep=1500");
        await(() -> a.active() + b.active() == 1, "one server busy for long");
        Future<Integer> shortB = request(port, "/short?sleep=200");
        await(() -> a.active() + b.active() == 2, "both servers busy");
        Future<Integer> queued = request(port, "/queued");
        await(() -> backendStatus(engine).queued() == 1, "a request waits for any server");
        assertEquals(200, queued.get(1_200, TimeUnit.MILLISECONDS), "served by the server that freed first");
        SlowBackend shortServer = a.arrivals().contains("/short") ? a : b;
        assertTrue(shortServer.arrivals().contains("/queued"));
        assertEquals(200, longA.get(10, TimeUnit.SECONDS));
        assertEquals(200, shortB.get(10, TimeUnit.SECONDS));
    }

    @Test
    void frontendMaxconnPausesAcceptingWithoutRefusingClients() throws Exception {
        SlowBackend a = slow("A", 10);
        EnginePlan base = plan(server(a, ServerLimits.NONE));
        EnginePlan limited = EnginePlanBuilder.builder()
                .frontends(List.of(base.frontends().get(0).withMaxConnections(2)))
                .backends(base.backends())
                .build();
        Engine engine = start(limited);
        int port = ProxyFixture.port(engine);
        RawClient first = track(new RawClient(port));
        RawClient second = track(new RawClient(port));
        assertEquals(200, first.get("/1").status());
        assertEquals(200, second.get("/2").status());
        RawClient third = track(new RawClient(port));     // the kernel completes the handshake: not refused
        third.send("GET /3 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertFalse(third.answersWithin(500), "not served while the frontend holds maxconn connections");
        assertEquals(List.of("/1", "/2"), a.arrivals());
        first.close();
        assertEquals(200, third.read().status(), "accepted once a connection closed");
        assertEquals(List.of("/1", "/2", "/3"), a.arrivals());
    }
}
