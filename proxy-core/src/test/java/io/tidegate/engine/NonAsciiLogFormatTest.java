package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The literals of a log-format written in a UTF-8 file (and a {@code str()} argument) reach the
 * syslog line as their UTF-8 bytes, as HAProxy 2.6 sends them for the same file ({@code dontlognull}
 * keeps HAProxy from logging the connection that checks it is listening).
 */
class NonAsciiLogFormatTest extends EngineTestSupport {
    @TempDir
    Path dir;

    private static String config(int port, int syslogPort, int serverPort) {
        return """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                    option dontlognull
                listen web
                    bind 127.0.0.1:%d
                    log 127.0.0.1:%d format raw local0
                    log-format "Grüße aus %%[str(Zürich)] → %%ST"
                    server s1 127.0.0.1:%d
                """.formatted(port, syslogPort, serverPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One request; the bytes of the line the proxy logged for it, without its trailing newline. */
    private static byte[] logged(int port, DatagramSocket log) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
        }
        byte[] b = new byte[4096];
        DatagramPacket p = new DatagramPacket(b, b.length);
        log.receive(p);
        int n = p.getLength();
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == 0)) n--;
        return Arrays.copyOf(b, n);
    }

    @Test
    void logFormatLiteralsAreTheirUtf8Bytes() throws Exception {
        PeerRecorder server = track(new PeerRecorder(true));
        byte[] expected = "Grüße aus Zürich → 200".getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket ourLog = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket theirLog = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            ourLog.setSoTimeout(5000);
            theirLog.setSoTimeout(5000);
            int ourPort = freePort();
            track(Engine.start(io.tidegate.config.ConfigLoader.load("t.cfg",
                    config(ourPort, ourLog.getLocalPort(), server.port())).config()));
            assertArrayEquals(expected, logged(ourPort, ourLog));
            int theirPort = freePort();
            try (HaproxyProcess h = HaproxyProcess.start(dir, config(theirPort, theirLog.getLocalPort(), server.port()), theirPort)) {
                assertArrayEquals(expected, logged(theirPort, theirLog), "HAProxy sends the same bytes");
            }
        }
    }
}
