package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.backendPlan;
import static io.tidegate.engine.ProxyFixture.frontend;
import static io.tidegate.engine.ProxyFixture.plan;
import static io.tidegate.engine.ProxyFixture.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.net.ListenerParking;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade of Tidegate itself (EAR redeploy) in one JVM: the stopping engine parks its listening
 * sockets, the next one claims them; connections made in between wait in the backlog and are
 * served, in-flight exchanges finish with {@code Connection: close}.
 */
class ListenerParkingTest extends EngineTestSupport {

    @AfterEach
    void noParkedSocketLeft() {
        ListenerParking.closeAll();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static EnginePlan on(int port, EnginePlan.Server s) {
        return plan(frontend().withBinds(List.of(new InetSocketAddress("127.0.0.1", port))), backendPlan(List.of(s)));
    }

    @Test
    void theNextEngineTakesOverTheParkedSocketAndServesWhatWaitedInTheBacklog() throws Exception {
        try (SlowBackend slow = track(new SlowBackend("old", 800))) {
            TestBackend next = backend("new");
            int port = freePort();
            Engine first = Engine.start(on(port, server("old", slow.address(), 1)), 2);
            try (RawClient inFlight = new RawClient(port); RawClient idle = new RawClient(port)) {
                assertEquals(200, idle.get("/warm?sleep=1").status());
                inFlight.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> slow.active() == 1, "the slow request reached its server");
                CompletableFuture<Integer> stopping = CompletableFuture.supplyAsync(() -> first.closeForUpgrade(5_000, 15_000));
                await(() -> ListenerParking.parked().contains("127.0.0.1:" + port), "the socket is parked");
                // between the two deployments: the connection waits in the backlog, nothing is refused
                try (RawClient between = new RawClient(port)) {
                    between.send("GET /between HTTP/1.1\r\nHost: t\r\n\r\n");
                    RawClient.Response last = inFlight.read();
                    assertEquals(200, last.status());
                    assertEquals("close", last.header("Connection"), "the old engine's last response says so");
                    assertEquals(0, stopping.get(10, TimeUnit.SECONDS), "the exchange in flight drained");
                    Engine second = start(on(port, server("new", next.address(), 1)));
                    assertTrue(ListenerParking.parked().isEmpty(), "claimed");
                    RawClient.Response r = between.read();
                    assertEquals(200, r.status());
                    assertEquals("new /between", r.bodyText());
                    assertEquals(port, second.boundAddresses().get("fe").get(0).getPort());
                }
                assertTrue(idle.isClosedByPeer(5_000), "the old engine's idle keep-alive connection was closed");
            }
        }
    }

    @Test
    void whileExchangesInFlightDrainTheStoppingEngineStillServesNewClientsWithConnectionClose() throws Exception {
        try (SlowBackend slow = track(new SlowBackend("old", 1_500))) {
            int port = freePort();
            Engine first = Engine.start(on(port, server("old", slow.address(), 1)), 2);
            try (RawClient inFlight = new RawClient(port)) {
                inFlight.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                await(() -> slow.active() == 1, "the slow request reached its server");
                CompletableFuture<Integer> stopping = CompletableFuture.supplyAsync(() -> first.closeForUpgrade(10_000, 15_000));
                try (RawClient meanwhile = new RawClient(port)) {
                    RawClient.Response r = meanwhile.get("/meanwhile?sleep=1");
                    assertEquals(200, r.status());
                    assertEquals("close", r.header("Connection"));
                    assertTrue(slow.active() >= 1 && ListenerParking.parked().isEmpty(),
                            "served by the stopping engine before its socket was parked");
                }
                assertEquals("close", inFlight.read().header("Connection"));
                assertEquals(0, stopping.get(10, TimeUnit.SECONDS));
                assertTrue(ListenerParking.parked().contains("127.0.0.1:" + port));
            }
        }
    }

    @Test
    void anUnclaimedParkedSocketIsClosedAfterItsTimeout() throws Exception {
        TestBackend a = backend("A");
        int port = freePort();
        Engine first = Engine.start(on(port, server("A", a.address(), 1)), 2);
        first.closeForUpgrade(1_000, 300);
        assertTrue(ListenerParking.parked().contains("127.0.0.1:" + port));
        await(() -> ListenerParking.parked().isEmpty(), "the timeout closed it");
        assertThrows(IOException.class, () -> new RawClient(port).close(), "nobody listens any more");
    }

    @Test
    void theTimeoutOfAnEarlierParkingDoesNotCloseTheSameSocketParkedAgain() throws Exception {
        TestBackend a = backend("A");
        int port = freePort();
        Engine first = Engine.start(on(port, server("A", a.address(), 1)), 2);
        first.closeForUpgrade(1_000, 400);                     // its closer fires in 400 ms
        Engine second = Engine.start(on(port, server("A", a.address(), 1)), 2);
        assertTrue(ListenerParking.parked().isEmpty(), "claimed");
        second.closeForUpgrade(1_000, 60_000);                 // the same socket parked again
        Thread.sleep(800);                                     // past the first parking's timeout
        assertTrue(ListenerParking.parked().contains("127.0.0.1:" + port), "still parked");
        Engine third = start(on(port, server("A", a.address(), 1)));
        try (RawClient c = new RawClient(port)) {
            assertEquals("A /", c.get("/").bodyText(), "the third engine took it over");
        }
        assertEquals(port, third.boundAddresses().get("fe").get(0).getPort());
    }

    @Test
    void anEngineStartingWithoutThatAddressClosesTheParkedSocketAtOnce() throws Exception {
        TestBackend a = backend("A");
        int port = freePort();
        Engine first = Engine.start(on(port, server("A", a.address(), 1)), 2);
        first.closeForUpgrade(1_000, 60_000);
        start(plan(frontend(), backendPlan(List.of(server("A", a.address(), 1)))));
        assertTrue(ListenerParking.parked().isEmpty());
        assertThrows(IOException.class, () -> new RawClient(port).close());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1_000; i++) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(10);
        }
        throw new AssertionError("timed out waiting: " + what);
    }
}
