package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code option clitcpka|srvtcpka|tcpka} (SO_KEEPALIVE on the client / server sockets, read back from
 * the kernel's socket table) and {@code on-marked-down shutdown-sessions} (a server marked down has
 * its connections ended at once), in TCP mode against a plain socket server on loopback.
 */
class ServerSocketOptionsTest extends EngineTestSupport {

    /** A server that accepts connections and keeps them open, silent. */
    private static final class HoldingServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Thread thread;

        HoldingServer() throws Exception {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try {
                    while (true) accepted.add(socket.accept());
                } catch (Exception ended) {
                    // closed
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }

    private Engine start(String options, int port, HoldingServer server, String serverOptions) throws Exception {
        return track(GuideConfigs.start("""
                listen db 127.0.0.1:%d
                    mode tcp
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                %s
                    server s1 127.0.0.1:%d %s
                """.formatted(port, options, server.port(), serverOptions)));
    }

    /**
     * Whether the kernel runs a keep-alive timer on the loopback TCP socket from {@code localPort} to
     * {@code remotePort} (field "tr" of /proc/net/tcp: 2 = keep-alive timer; established and idle
     * sockets without SO_KEEPALIVE have none).
     */
    private static Boolean keepAliveTimer(int localPort, int remotePort) throws Exception {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        for (String line : socketTable()) {
            String[] f = line.trim().split("\\s+");
            if (f[1].endsWith(local) && f[2].endsWith(remote) && f[3].equals("01")) {
                return f[5].startsWith("02:");
            }
        }
        return null;
    }

    /** The IPv4 and IPv6 TCP sockets of the machine (Java may open loopback sockets as IPv6 ones). */
    private static List<String> socketTable() throws Exception {
        List<String> all = new java.util.ArrayList<>();
        for (String f : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(f);
            if (Files.isReadable(p)) {
                List<String> lines = Files.readAllLines(p);
                all.addAll(lines.subList(1, lines.size()));
            }
        }
        return all;
    }

    /** The proxy's socket to the server: local port unknown, remote port the server's. */
    private static Boolean serverSideKeepAlive(int serverPort) throws Exception {
        String remote = String.format(":%04X", serverPort);
        for (String line : socketTable()) {
            String[] f = line.trim().split("\\s+");
            if (f[2].endsWith(remote) && f[3].equals("01")) {
                return f[5].startsWith("02:");
            }
        }
        return null;
    }

    private void connectAndCheck(String options, boolean clientSide, boolean serverSide) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        HoldingServer server = track(new HoldingServer());
        int port = GuideConfigs.freePort();
        start(options, port, server, "");
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.accepted.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, server.accepted.size(), "the proxy connected to the server");
            assertEquals(clientSide, keepAliveTimer(port, c.getLocalPort()), "client side keep-alive with '" + options + "'");
            assertEquals(serverSide, serverSideKeepAlive(server.port()), "server side keep-alive with '" + options + "'");
        }
    }

    @Test
    void tcpkaSetsKeepAliveOnBothSides() throws Exception {
        connectAndCheck("    option tcpka", true, true);
    }

    @Test
    void clitcpkaAndSrvtcpkaEachSetOneSide() throws Exception {
        connectAndCheck("    option clitcpka", true, false);
        connectAndCheck("    option srvtcpka", false, true);
    }

    @Test
    void withoutTheOptionsNoKeepAliveProbes() throws Exception {
        connectAndCheck("", false, false);
    }

    private static boolean endsWithin(Socket c, int millis) throws Exception {
        c.setSoTimeout(millis);
        InputStream in = c.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    @Test
    void onMarkedDownShutdownSessionsEndsTheConnectionsOfAServerMarkedDown() throws Exception {
        HoldingServer server = track(new HoldingServer());
        int port = GuideConfigs.freePort();
        Engine e = start("", port, server, "on-marked-down shutdown-sessions");
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.accepted.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, server.accepted.size());
            // the backend accepts before the proxy's IO thread has finished its connect and tracks the
            // connection: mark the server down only once the proxy holds it
            RuntimeServer s1 = e.runtimeServer("db", "s1");
            while (s1.trackedConnections() < 1 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, s1.trackedConnections());
            e.setServerUp("db", "s1", false);
            assertTrue(endsWithin(c, 5000), "the client's session ends when its server is marked down");
            assertEquals(-1, server.accepted.get(0).getInputStream().read(), "the server's side got a FIN");
        }
    }

    @Test
    void withoutTheOptionASessionOutlivesTheServersDownState() throws Exception {
        HoldingServer server = track(new HoldingServer());
        int port = GuideConfigs.freePort();
        Engine e = start("", port, server, "");
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.accepted.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            e.setServerUp("db", "s1", false);
            assertFalse(endsWithin(c, 300), "HAProxy's default: established sessions go on");
        }
    }
}
