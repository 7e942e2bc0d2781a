package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.backendPlan;
import static io.tidegate.engine.ProxyFixture.frontend;
import static io.tidegate.engine.ProxyFixture.plan;
import static io.tidegate.engine.ProxyFixture.port;
import static io.tidegate.engine.ProxyFixture.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConnectionMode;
import io.tidegate.engine.status.ServerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * SPEC S10 in the engine: a reload keeps listening sockets, keep-alive clients and exchanges in
 * flight; new requests follow the new configuration. Real loopback sockets, real backends.
 */
class SeamlessReloadTest extends EngineTestSupport {

    private static EnginePlan planTo(EnginePlan.Frontend fe, EnginePlan.Server... servers) {
        return plan(fe, backendPlan(List.of(servers)));
    }

    private static EnginePlan.Server srv(TestBackend b) {
        return server(b.name(), b.address(), 1);
    }

    private static EnginePlan.Server srv(SlowBackend b) {
        return server(b.name(), b.address(), 1);
    }

    @Test
    void keepAliveClientSurvivesAReloadAndItsNextRequestFollowsTheNewConfiguration() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(planTo(frontend(), srv(a)));
        int port = port(engine);
        try (RawClient c = new RawClient(port)) {
            assertEquals("A /one", c.get("/one").bodyText());
            ReloadOutcome outcome = engine.reload(planTo(frontend(), srv(b)), ReloadLimits.NONE);
            assertEquals(1, outcome.listenersKept());
            assertEquals(0, outcome.listenersOpened());
            assertTrue(outcome.changes().contains("servers added be/B"), outcome.changes());
            assertTrue(outcome.changes().contains("servers removed be/A"), outcome.changes());
            RawClient.Response r = c.get("/two");
            assertEquals(200, r.status());
            assertEquals("B /two", r.bodyText());
            assertFalse("close".equalsIgnoreCase(r.header("Connection")));
        }
        assertEquals(port, port(engine), "the listening socket stayed");
        assertEquals(1, a.requests());
        assertEquals(1, b.requests());
    }

    @Test
    void aSlowRequestInFlightFinishesOnTheConfigurationItStartedOn() throws Exception {
        try (SlowBackend slow = track(new SlowBackend("slow", 1_000))) {
            TestBackend fast = backend("fast");
            Engine engine = start(planTo(frontend(), srv(slow)));
            try (RawClient c = new RawClient(port(engine))) {
                c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> slow.active() == 1, "the slow request reached its server");
                ReloadOutcome outcome = engine.reload(planTo(frontend(), srv(fast)), ReloadLimits.NONE);
                assertEquals(1, outcome.sessionsLeft(), "the busy session stays on the old configuration");
                RawClient.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals("slow /slow", r.bodyText());
                assertEquals("fast /next", c.get("/next").bodyText(), "the same connection follows the reload");
            }
            await(() -> engine.retirement().graphsDraining() == 0, "the old configuration retired");
        }
    }

    @Test
    void aQueuedRequestIsServedAfterAReload() throws Exception {
        try (SlowBackend slow = track(new SlowBackend("slow", 800))) {
            EnginePlan.Server limited = srv(slow).withLimits(new ServerLimits(1, 0, 0));
            Engine engine = start(planTo(frontend(), limited));
            try (RawClient first = new RawClient(port(engine)); RawClient second = new RawClient(port(engine))) {
                first.send("GET /first HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> slow.active() == 1, "the first request reached the server");
                second.send("GET /second HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> engine.status().backends().get(0).waitingForAnyServer() + engine.status().backends().get(0).servers().get(0).queued() == 1, "the second request waits in the queue");
                engine.reload(planTo(frontend(), limited.withWeight(2)), ReloadLimits.NONE);
                assertEquals(200, first.read().status());
                RawClient.Response r = second.read();
                assertEquals(200, r.status());
                assertEquals("slow /second", r.bodyText());
            }
            assertEquals(1, slow.peakConcurrency(), "maxconn held across the two configurations");
        }
    }

    @Test
    void aNewBindThatFailsLeavesTheRunningConfigurationUntouched() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(planTo(frontend(), srv(a)));
        int port = port(engine);
        try (ServerSocket taken = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
             RawClient c = new RawClient(port)) {
            assertEquals("A /", c.get("/").bodyText());
            InetSocketAddress busy = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            EnginePlan.Frontend fe = frontend().withBinds(List.of(new InetSocketAddress("127.0.0.1", 0), busy));
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.reload(planTo(fe, srv(b)), ReloadLimits.NONE));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertEquals("A /again", c.get("/again").bodyText(), "the old configuration still serves");
            try (RawClient fresh = new RawClient(port)) {
                assertEquals("A /fresh", fresh.get("/fresh").bodyText());
            }
            assertEquals(List.of(port), ports(engine.boundAddresses().get("fe")));
        }
        assertEquals(0, b.requests());
    }

    @Test
    void aBindIsAddedAndAnotherRemoved() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(planTo(frontend(), srv(a)));
        int oldPort = port(engine);
        int newPort = freePort();
        EnginePlan.Frontend moved = frontend().withBinds(List.of(new InetSocketAddress("127.0.0.1", newPort)));
        try (RawClient onOld = new RawClient(oldPort)) {
            assertEquals("A /", onOld.get("/").bodyText());
            ReloadOutcome outcome = engine.reload(planTo(moved, srv(a)), ReloadLimits.NONE);
            assertEquals(1, outcome.listenersOpened());
            assertEquals(1, outcome.listenersClosed());
            try (RawClient onNew = new RawClient(newPort)) {
                assertEquals("A /new", onNew.get("/new").bodyText());
            }
            // the keep-alive client of the removed address goes on with the frontend of the same name
            assertEquals("A /still", onOld.get("/still").bodyText());
            assertThrows(IOException.class, () -> new RawClient(oldPort).close(), "the removed address is closed");
        }
    }

    @Test
    void runtimeStateCarriesOverForServersThatStayAndNotForAServerThatMoved() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        TestBackend c = backend("C");
        Engine engine = start(planTo(frontend(), srv(a), srv(b)));
        engine.setServerAdminState("be", "A", AdminState.MAINT);
        engine.setServerUp("be", "B", false);
        engine.setServerWeight("be", "B", 7);
        // B moves to C's address
        engine.reload(planTo(frontend(), srv(a), server("B", c.address(), 1)), ReloadLimits.NONE);
        Map<String, ServerStatus> s = servers(engine);
        assertEquals(AdminState.MAINT, s.get("A").adminState());
        assertEquals(AdminState.READY, s.get("B").adminState());
        assertTrue(s.get("B").up(), "a server whose address changed starts fresh");
        assertEquals(1, s.get("B").weight());
        engine.setServerWeight("be", "A", 9);
        engine.setServerAdminState("be", "A", AdminState.READY);
        engine.reload(planTo(frontend(), srv(a), server("B", c.address(), 1)), ReloadLimits.NONE);
        assertEquals(9, servers(engine).get("A").weight(), "a weight set at run time stays while the configured one does");
        engine.reload(planTo(frontend(), server("A", a.address(), 3), server("B", c.address(), 1)), ReloadLimits.NONE);
        assertEquals(3, servers(engine).get("A").weight(), "a changed configured weight wins");
        try (RawClient client = new RawClient(port(engine))) {
            for (int i = 0; i < 4; i++) assertEquals(200, client.get("/").status());
        }
        assertEquals(0, b.requests());
    }

    @Test
    void aTunnelAfter101AndATcpSessionKeepTheirServerAcrossAReload() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread echo = echoServer(ss, 2);
            TestBackend other = backend("other");
            EnginePlan.Server raw = server("raw", new InetSocketAddress("127.0.0.1", ss.getLocalPort()), 1);
            EnginePlan.Frontend tcp = EnginePlanFrontendBuilder.builder()
                    .name("tcpfe")
                    .binds(List.of(new InetSocketAddress("127.0.0.1", 0)))
                    .mode("tcp")
                    .backend("be")
                    .connectionMode(ConnectionMode.KEEP_ALIVE)
                    .timeouts(ProxyFixture.TIMEOUTS)
                    .build();
            EnginePlan before = EnginePlanBuilder.builder()
                    .frontends(List.of(frontend(), tcp))
                    .backends(List.of(backendPlan(List.of(raw))))
                    .build();
            Engine engine = start(before);
            int tcpPort = engine.boundAddresses().get("tcpfe").get(0).getPort();
            try (RawClient ws = new RawClient(port(engine)); RawClient t = new RawClient(tcpPort)) {
                ws.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
                assertEquals(101, ws.read().status());
                t.send("hello");
                assertEquals("echo:hello", new String(t.input().readNBytes(10), StandardCharsets.US_ASCII));
                EnginePlan after = EnginePlanBuilder.builder()
                        .frontends(List.of(frontend(), tcp))
                        .backends(List.of(backendPlan(List.of(srv(other)))))
                        .build();
                ReloadOutcome outcome = engine.reload(after, ReloadLimits.NONE);
                assertEquals(2, outcome.sessionsLeft());
                for (String word : new String[] {"one", "two"}) {
                    ws.send(word);
                    assertEquals("echo:" + word, new String(ws.input().readNBytes(5 + word.length()), StandardCharsets.US_ASCII));
                    t.send(word);
                    assertEquals("echo:" + word, new String(t.input().readNBytes(5 + word.length()), StandardCharsets.US_ASCII));
                }
            }
            echo.join(5_000);
            assertEquals(0, other.requests());
        }
    }

    @Test
    void afterGraceABusySessionEndsPolitelyAfterItsExchange() throws Exception {
        try (SlowBackend slow = track(new SlowBackend("slow", 1_500))) {
            TestBackend fast = backend("fast");
            Engine engine = start(planTo(frontend(), srv(slow)));
            try (RawClient c = new RawClient(port(engine))) {
                c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> slow.active() == 1, "the slow request reached its server");
                engine.reload(planTo(frontend(), srv(fast)), new ReloadLimits(Map.of("fe", 200L), 0));
                await(() -> engine.retirement().graphsDraining() == 1 && graceAsked(engine), "grace ran out");
                RawClient.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals("close", r.header("Connection"), "the last response says so");
                assertTrue(c.isClosedByPeer(5_000));
            }
        }
    }

    @Test
    void hardStopAfterClosesWhatIsLeftOfTheOldConfiguration() throws Exception {
        try (SlowBackend slow = track(new SlowBackend("slow", 4_000))) {
            TestBackend fast = backend("fast");
            Engine engine = start(planTo(frontend(), srv(slow)));
            try (RawClient busy = new RawClient(port(engine)); RawClient idle = new RawClient(port(engine))) {
                assertEquals(200, idle.get("/favicon?sleep=1").status());
                busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> slow.active() == 1, "the slow request reached its server");
                engine.reload(planTo(frontend(), srv(fast)), new ReloadLimits(Map.of(), 300));
                assertTrue(busy.isClosedByPeer(5_000), "closed by the hard stop, before its response");
                await(() -> engine.retirement().graphsDraining() == 0, "the old configuration is gone");
                assertEquals("fast /idle", idle.get("/idle").bodyText(), "the idle keep-alive client was not touched");
            }
        }
    }

    /**
     * A bounded load — new connections in a loop and a keep-alive client — while the configuration is
     * reloaded 20 times (weights change, a server comes and goes): no connection is refused or reset,
     * every answer is a 200, the keep-alive connection is never closed.
     */
    @Test
    void noRefusedConnectionDuringRepeatedReloadsUnderLoad() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        TestBackend c = backend("C");
        Engine engine = start(planTo(frontend(), srv(a), srv(b)));
        int port = port(engine);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < 100_000 && running.get() && System.nanoTime() < deadline; i++) {
                        try (RawClient client = new RawClient(port)) {
                            RawClient.Response r = client.send("GET /new HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
                            if (r.status() == 200) ok.incrementAndGet();
                            else fail(failed, failures, "status " + r.status());
                        } catch (IOException e) {
                            fail(failed, failures, "new connection: " + e);
                        }
                    }
                }));
            }
            AtomicInteger keepAliveRequests = new AtomicInteger();
            clients.add(pool.submit(() -> {
                try (RawClient client = new RawClient(port)) {
                    for (int i = 0; i < 100_000 && running.get() && System.nanoTime() < deadline; i++) {
                        RawClient.Response r = client.get("/ka");
                        if (r.status() != 200) fail(failed, failures, "keep-alive status " + r.status());
                        else keepAliveRequests.incrementAndGet();
                        if ("close".equalsIgnoreCase(r.header("Connection"))) fail(failed, failures, "keep-alive closed");
                    }
                } catch (IOException e) {
                    fail(failed, failures, "keep-alive connection: " + e);
                }
            }));
            await(() -> ok.get() > 20 && keepAliveRequests.get() > 20, "the load runs");
            for (int i = 0; i < 20; i++) {
                int before = ok.get();
                List<EnginePlan.Server> servers = new ArrayList<>();
                servers.add(server("A", a.address(), 1 + i % 4));
                if (i % 3 != 2) servers.add(srv(b));
                if (i % 2 == 1) servers.add(srv(c));
                engine.reload(plan(frontend(), backendPlan(servers)), ReloadLimits.NONE);
                await(() -> ok.get() > before + 5, "requests flow after reload " + i);
            }
            running.set(false);
            for (Future<?> f : clients) f.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), failures);
            assertEquals(0, failed.get());
            assertTrue(keepAliveRequests.get() > 20);
            assertNotEquals(0, c.requests(), "the server added by the reloads got traffic");
        } finally {
            running.set(false);
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    // ---- helpers

    private static boolean graceAsked(Engine engine) {
        return engine.retirement().graceOverCount() > 0;
    }

    private static void fail(AtomicInteger failed, List<String> failures, String what) {
        failed.incrementAndGet();
        if (failures.size() < 20) failures.add(what);
    }

    private static Map<String, ServerStatus> servers(Engine engine) {
        Map<String, ServerStatus> m = new java.util.LinkedHashMap<>();
        for (ServerStatus s : engine.status().backends().get(0).servers()) m.put(s.name(), s);
        return m;
    }

    private static List<Integer> ports(List<InetSocketAddress> addresses) {
        List<Integer> l = new ArrayList<>();
        for (InetSocketAddress a : addresses) l.add(a.getPort());
        return l;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Answers every connection (up to {@code connections}): an HTTP head gets a 101 first, then echoes "echo:" + what it reads. */
    private static Thread echoServer(ServerSocket ss, int connections) {
        Thread t = new Thread(() -> {
            List<Thread> handlers = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    Socket s = ss.accept();
                    Thread h = new Thread(() -> echo(s));
                    h.setDaemon(true);
                    h.start();
                    handlers.add(h);
                }
                for (Thread h : handlers) h.join(10_000);
            } catch (IOException | InterruptedException e) {
                // test over
            }
        }, "echo-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void echo(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[256];
            for (int i = 0; i < 10; i++) {
                int n = in.read(buf);
                if (n < 0) return;
                String got = new String(buf, 0, n, StandardCharsets.US_ASCII);
                if (got.startsWith("GET ")) {
                    out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(("echo:" + got).getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1_000; i++) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(10);
        }
        throw new AssertionError("timed out waiting: " + what);
    }
}
