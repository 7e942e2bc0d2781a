package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.backendPlan;
import static io.tidegate.engine.ProxyFixture.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConnectionMode;
import io.tidegate.net.ConnectionParking;
import io.tidegate.net.ListenerParking;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade of Tidegate itself (EAR redeploy) in one JVM, for tunnels: the stopping engine hands
 * its upgraded (101) and {@code mode tcp} connections to the next engine (both sockets and what it
 * had buffered) instead of closing them; the client and the server keep their sockets and go on
 * talking through the next engine.
 */
class TunnelHandoverTest extends EngineTestSupport {

    @AfterEach
    void nothingParkedLeft() {
        ConnectionParking.closeAll();
        ListenerParking.closeAll();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** An HTTP frontend ("fe", upgrades pass) and a TCP one ("tcpfe") on fixed ports, both to one raw server. */
    private static EnginePlan plan(int httpPort, int tcpPort, int serverPort) {
        EnginePlan.Server raw = server("raw", new InetSocketAddress("127.0.0.1", serverPort), 1);
        EnginePlan.Frontend http = EnginePlanFrontendBuilder.builder()
                .name("fe")
                .binds(List.of(new InetSocketAddress("127.0.0.1", httpPort)))
                .mode("http")
                .backend("be")
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build();
        EnginePlan.Frontend tcp = EnginePlanFrontendBuilder.builder()
                .name("tcpfe")
                .binds(List.of(new InetSocketAddress("127.0.0.1", tcpPort)))
                .mode("tcp")
                .backend("be")
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build();
        return EnginePlanBuilder.builder()
                .frontends(List.of(http, tcp))
                .backends(List.of(backendPlan(List.of(raw))))
                .build();
    }

    @Test
    void anUpgradedAndATcpConnectionKeepTalkingAcrossTwoUpgrades() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread echo = echoServer(ss, 2, accepted);
            int httpPort = freePort();
            int tcpPort = freePort();
            EnginePlan p = plan(httpPort, tcpPort, ss.getLocalPort());
            Engine first = track(Engine.start(p, 2));
            try (RawClient ws = new RawClient(httpPort); RawClient tcp = new RawClient(tcpPort)) {
                ws.send("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
                assertEquals(101, ws.read().status());
                assertEchoes(ws, "before");
                assertEchoes(tcp, "before");

                assertEquals(0, first.closeForUpgrade(2_000, 15_000), "tunnels are not waited for");
                assertEquals(2, ConnectionParking.parkedCount(), "both tunnels parked, not closed");
                ws.send("between");                  // waits in the socket buffers until the next engine relays it
                tcp.send("between");
                Engine second = track(Engine.start(p, 2));
                assertEquals(0, ConnectionParking.parkedCount(), "claimed");
                assertEquals("echo:between", read(ws, 12));
                assertEquals("echo:between", read(tcp, 12));
                assertEquals(2, second.status().backends().get(0).servers().get(0).currentRequests(),
                        "the next engine counts both tunnels against their server");
                assertEquals(1, second.status().frontends().get(0).currentSessions());

                assertEquals(0, second.closeForUpgrade(2_000, 15_000));
                assertEquals(0, second.status().backends().get(0).servers().get(0).currentRequests());
                Engine third = start(p);
                assertEchoes(ws, "after");
                assertEchoes(tcp, "after");
                assertEquals(2, third.status().backends().get(0).servers().get(0).currentRequests());
            }
            echo.join(5_000);
            assertEquals(2, accepted.get(), "the server kept its two connections: no reconnect");
        }
    }

    @Test
    void bytesBufferedInTheRelayAtTheHandoverArriveInOrderBothWays() throws Exception {
        int total = 32 * 1024 * 1024;     // more than the socket buffers on the way hold: the relay's own buffers fill too
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int tcpPort = freePort();
            EnginePlan p = plan(freePort(), tcpPort, ss.getLocalPort());
            Engine first = track(Engine.start(p, 2));
            try (RawClient client = new RawClient(tcpPort); Socket server = ss.accept()) {
                server.setSoTimeout(20_000);
                // neither side reads: both directions back up into the sockets and the relay
                CompletableFuture<Void> up = CompletableFuture.runAsync(() -> writePattern(client.output(), total, 7));
                CompletableFuture<Void> down = CompletableFuture.runAsync(() -> writePattern(output(server), total, 11));
                Thread.sleep(500);
                assertEquals(0, first.closeForUpgrade(2_000, 15_000));
                assertEquals(1, ConnectionParking.parkedCount());
                start(p);
                CompletableFuture<Boolean> serverGot = CompletableFuture.supplyAsync(() -> readPattern(input(server), total, 7));
                assertTrue(readPattern(client.input(), total, 11), "the client got every byte of the server, in order");
                assertTrue(serverGot.get(20, TimeUnit.SECONDS), "the server got every byte of the client, in order");
                up.get(20, TimeUnit.SECONDS);
                down.get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aTunnelNobodyClaimsIsClosedAfterTheParkingTimeout() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread echo = echoServer(ss, 1, new AtomicInteger());
            int tcpPort = freePort();
            Engine first = track(Engine.start(plan(freePort(), tcpPort, ss.getLocalPort()), 2));
            try (RawClient tcp = new RawClient(tcpPort)) {
                assertEchoes(tcp, "hello");
                first.closeForUpgrade(1_000, 300);
                assertEquals(1, ConnectionParking.parkedCount());
                await(() -> ConnectionParking.parkedCount() == 0, "the timeout closed it");
                assertTrue(tcp.isClosedByPeer(5_000), "the client's connection is closed, not left hanging");
            }
            echo.join(5_000);
        }
    }

    private static void assertEchoes(RawClient c, String word) throws IOException {
        c.send(word);
        assertEquals("echo:" + word, read(c, 5 + word.length()));
    }

    private static String read(RawClient c, int n) throws IOException {
        return new String(c.input().readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static OutputStream output(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream input(Socket s) {
        try {
            return s.getInputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePattern(OutputStream out, int total, int seed) {
        byte[] chunk = new byte[64 * 1024];
        try {
            for (int off = 0; off < total; off += chunk.length) {
                for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) ((off + i) * seed % 251);
                out.write(chunk);
            }
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean readPattern(InputStream in, int total, int seed) {
        byte[] chunk = new byte[64 * 1024];
        byte[] expected = new byte[chunk.length];
        try {
            for (int off = 0; off < total; off += chunk.length) {
                byte[] got = in.readNBytes(chunk.length);
                for (int i = 0; i < chunk.length; i++) expected[i] = (byte) ((off + i) * seed % 251);
                assertArrayEquals(expected, got, "bytes from " + off);
            }
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts {@code connections} connections: an HTTP head gets a 101 first, then each read is echoed as "echo:" + it. */
    private static Thread echoServer(ServerSocket ss, int connections, AtomicInteger accepted) {
        Thread t = new Thread(() -> {
            List<Thread> handlers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    Socket s = ss.accept();
                    accepted.incrementAndGet();
                    Thread h = new Thread(() -> echo(s));
                    h.setDaemon(true);
                    h.start();
                    handlers.add(h);
                }
                for (Thread h : handlers) h.join(20_000);
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
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[256];
            for (int i = 0; i < 100; i++) {
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
