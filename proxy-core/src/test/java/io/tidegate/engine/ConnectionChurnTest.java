package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.engine.status.FrontendStatus;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many clients at once on two IO threads, each doing what real clients do to a proxy: keep-alive
 * exchanges, pipelining, Connection: close, and giving up at every point (before sending, in the
 * middle of a head, before reading the answer). Every complete exchange must be answered right,
 * and afterwards no session and no socket may be left behind.
 */
@Timeout(120)
class ConnectionChurnTest extends EngineTestSupport {
    private static final int CLIENTS = 6;
    private static final int ROUNDS_PER_CLIENT = 150;

    @Test
    void everyKindOfClientIsServedOrCleanedUp() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        int port = port(engine);
        try (RawClient warm = new RawClient(port)) {
            assertEquals("A /warm", warm.get("/warm").bodyText());
        }
        awaitNoSessions(engine);
        int fdsBefore = openFileDescriptors();

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long seed = 4242 + c;
            clients.add(pool.submit(() -> runClient(port, new Random(seed))));
        }
        int exchanges = 0;
        for (Future<Integer> f : clients) exchanges += f.get(90, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(exchanges > CLIENTS * ROUNDS_PER_CLIENT / 2, "most rounds completed exchanges: " + exchanges);

        awaitNoSessions(engine);
        int fdsAfter = openFileDescriptors();
        if (fdsBefore >= 0) {
            // idle server connections stay pooled (both ends are in this JVM); a leak would be hundreds
            assertTrue(fdsAfter - fdsBefore < 64, "sockets left open: " + fdsBefore + " before, " + fdsAfter + " after");
        }
        try (RawClient after = new RawClient(port)) {
            assertEquals("A /after", after.get("/after").bodyText(), "the proxy still serves");
        }
    }

    /** One client's rounds; returns the number of complete exchanges it checked. */
    private static int runClient(int port, Random random) throws Exception {
        int checked = 0;
        for (int round = 0; round < ROUNDS_PER_CLIENT; round++) {
            String p = "/c" + round;
            switch (random.nextInt(6)) {
                case 0 -> {     // keep-alive exchanges
                    try (RawClient c = new RawClient(port)) {
                        for (int i = 0; i < 3; i++) {
                            assertEquals("A " + p + i, c.get(p + i).bodyText());
                            checked++;
                        }
                    }
                }
                case 1 -> new RawClient(port).close();       // connects and leaves
                case 2 -> {     // leaves in the middle of a head
                    try (RawClient c = new RawClient(port)) {
                        c.send("GET " + p + " HTTP/1.1\r\nHo");
                    }
                }
                case 3 -> {     // sends a request and leaves before the answer
                    try (RawClient c = new RawClient(port)) {
                        c.send("GET " + p + " HTTP/1.1\r\nHost: t\r\n\r\n");
                    }
                }
                case 4 -> {     // pipelines three requests in one write
                    try (RawClient c = new RawClient(port)) {
                        c.send("GET " + p + "a HTTP/1.1\r\nHost: t\r\n\r\nGET " + p + "b HTTP/1.1\r\nHost: t\r\n\r\n"
                                + "GET " + p + "c HTTP/1.1\r\nHost: t\r\n\r\n");
                        for (String s : List.of("a", "b", "c")) {
                            assertEquals("A " + p + s, c.read().bodyText());
                            checked++;
                        }
                    }
                }
                default -> {    // Connection: close
                    try (RawClient c = new RawClient(port)) {
                        c.send("GET " + p + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                        RawClient.Response r = c.read();
                        assertEquals("A " + p, r.bodyText());
                        assertEquals("close", r.header("Connection"));
                        assertTrue(c.isClosedByPeer(5_000), "closed after the answer");
                        checked++;
                    }
                }
            }
        }
        return checked;
    }

    private static void awaitNoSessions(Engine engine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long current = -1;
        while (System.nanoTime() < deadline) {
            current = 0;
            for (FrontendStatus f : engine.status().frontends()) current += f.currentSessions();
            if (current == 0) return;
            Thread.sleep(20);
        }
        fail("sessions still open 10 s after the clients left: " + current);
    }

    /** Open descriptors of this JVM (Linux), or -1 where /proc is not there. */
    private static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
