package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineLifecycleTest extends EngineTestSupport {

    private static boolean ioThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("tidegate"));
    }

    private static boolean accepts(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void closeReleasesPortsConnectionsAndThreads() throws Exception {
        TestBackend a = backend("A");
        EnginePlan.Frontend fe = frontend().withBinds(List.of(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("::1", 0)));
        Engine engine = track(Engine.start(plan(fe, backendOf(a)), 2));
        List<InetSocketAddress> bound = engine.boundAddresses().get("fe");
        assertEquals(2, bound.size());
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("tidegate-io-")));
        RawClient open = new RawClient(bound.get(0).getPort());
        assertEquals(200, open.get("/").status());
        try (Socket v6 = new Socket()) {
            v6.connect(bound.get(1), 2_000);
            v6.getOutputStream().write("GET /six HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes());
            String text = new String(v6.getInputStream().readAllBytes());
            assertTrue(text.endsWith("A /six"), text);
        }
        assertEquals(List.of("127.0.0.1:" + bound.get(0).getPort(), "[::1]:" + bound.get(1).getPort()),
                engine.status().frontends().get(0).binds());

        engine.close();

        assertTrue(open.isClosedByPeer(5_000), "open client connections are closed");
        open.close();
        for (InetSocketAddress b : bound) assertFalse(accepts(b), "no listener left on " + b);
        for (int i = 0; i < 50 && ioThreadsAlive(); i++) Thread.sleep(100);
        assertFalse(ioThreadsAlive(), "no tidegate thread left");
    }

    @Test
    void bindFailureNamesProxyAndAddressAndLeavesNothingBehind() throws Exception {
        TestBackend a = backend("A");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EnginePlan.Frontend fe = frontend().withBinds(List.of(new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", taken.getLocalPort())));
            EngineException e = assertThrows(EngineException.class, () -> Engine.start(plan(fe, backendOf(a)), 1));
            assertTrue(e.getMessage().contains("fe"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
        for (int i = 0; i < 50 && ioThreadsAlive(); i++) Thread.sleep(100);
        assertFalse(ioThreadsAlive(), "the worker of the failed start is shut down: " + Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tidegate")).map(Thread::getName).toList());
    }
}
