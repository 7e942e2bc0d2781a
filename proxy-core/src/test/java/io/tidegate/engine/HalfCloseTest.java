package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Half-closed tunnels on loopback sockets (mode tcp): a client's FIN reaches the server as a FIN
 * while the server's answer still reaches the client; {@code timeout client-fin} then bounds how
 * long the half-closed tunnel may stay idle (HAProxy's semantics).
 */
class HalfCloseTest extends EngineTestSupport {

    private ServerSocket backend;

    @AfterEach
    void closeBackend() throws IOException {
        if (backend != null) backend.close();
    }

    private int start(String timeouts) throws Exception {
        backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String text = """
                listen tunnel
                    mode tcp
                    bind 127.0.0.1:%d
                %s
                    server s 127.0.0.1:%d
                """.formatted(port, timeouts, backend.getLocalPort());
        var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("fin.cfg", text)), SupportedFeatures.CURRENT);
        track(Engine.start(loaded.config(), Map.of()));
        return port;
    }

    /** Everything until the end of the stream (bounded by the socket's read timeout). */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        for (int n; (n = in.read(b)) >= 0; ) out.write(b, 0, n);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHalfClosedTunnelKeepsDeliveringTheOtherDirection() throws Exception {
        int port = start("""
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                """);
        CompletableFuture<String> serverSaw = CompletableFuture.supplyAsync(() -> {
            try (Socket s = backend.accept()) {
                s.setSoTimeout(10_000);
                String request = readToEnd(s.getInputStream());      // ends only with the relayed FIN
                s.getOutputStream().write(("answer to " + request).getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                return request;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write("question".getBytes(StandardCharsets.ISO_8859_1));
            c.shutdownOutput();
            assertEquals("answer to question", readToEnd(c.getInputStream()),
                    "the server's answer, sent after the client's FIN, reaches the client, then the end");
        }
        assertEquals("question", serverSaw.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theClientFinTimeoutClosesAnIdleHalfClosedTunnel() throws Exception {
        int port = start("""
                    timeout connect 5s
                    timeout client 1h
                    timeout server 1h
                    timeout tunnel 1h
                    timeout client-fin 200ms
                """);
        java.util.concurrent.CountDownLatch testDone = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Integer> serverSaw = CompletableFuture.supplyAsync(() -> {
            try (Socket s = backend.accept()) {
                s.setSoTimeout(10_000);
                int n = readToEnd(s.getInputStream()).length();
                // the server says nothing more and keeps its side open: only the fin timeout ends the tunnel
                testDone.await(15, TimeUnit.SECONDS);
                return n;
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write("x".getBytes(StandardCharsets.ISO_8859_1));
            c.shutdownOutput();
            assertEquals("", readToEnd(c.getInputStream()),
                    "the proxy ends the half-closed tunnel (tunnel, client and server timeouts are 1h)");
        } finally {
            testDone.countDown();
        }
        assertEquals(1, serverSaw.get(15, TimeUnit.SECONDS));
    }
}
