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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %[...]} in log-format, side by side with HAProxy (Debian's /usr/sbin/haproxy 2.6, installed
 * by ./tidegate test): the same listen section, the same backend, the same requests; each proxy logs
 * over UDP syslog, and the lines must be equal except for the ports each side's connections used
 * (those are compared with {@code %cp}/{@code %fp} of the same line instead). {@code option dontlognull}
 * keeps HAProxy from logging the connection that checks it is listening.
 */
class LogFormatSampleLineTest extends EngineTestSupport {
    /** Left of " | ": the per-connection ports; right: what must be the same in both proxies' lines. */
    private static final String FORMAT = "%cp %[src_port] %fp %[dst_port] | %[src] %[dst] %[var(txn.host)]"
            + " %{+Q}[var(txn.nope)] %[var(txn.nope)] %[str(abc),upper] %[str(ABC),lower] %[int(42)] %[always_true]"
            + " %[always_false] %[ssl_fc] %[ssl_fc_sni] %{+Q}[ssl_fc_sni] %[status] %[method] %[nbsrv(web)]"
            + " %[str(hi),hex] %[str(hi),base64] %[int(3),hex] %[src,hex] %[src,base64] %[int(-5),base64]"
            + " %[always_true,upper] %[str()] %[var(txn.host),lower,hex] %{+Q}[method,lower] %[src,upper] %{+Q}[status]"
            + " %[src,ipmask(24)] %[var(txn.host),field(1,.)] %[var(txn.host),json] %[status,length]"
            + " %[var(txn.host),regsub(\\\\.,_,g)] %[src,crc32] %[method,bytes(1,2)] %[var(txn.host),djb2]";
    private static final List<String> REQUESTS = List.of(
            "GET /a HTTP/1.1\r\nHost: Example.COM\r\nConnection: close\r\n\r\n",
            "POST /b HTTP/1.1\r\nHost: a\"b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HEAD /c?x=1 HTTP/1.1\r\nHost: x.y\r\nConnection: close\r\n\r\n");

    @TempDir
    Path dir;
    private HaproxyProcess haproxy;

    @AfterEach
    void stopHaproxy() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
    }

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
                    http-request set-var(txn.host) req.hdr(host)
                    log-format "%s"
                    server s1 127.0.0.1:%d
                """.formatted(port, syslogPort, FORMAT, serverPort);
    }

    @Test
    void sampleExpressionsLogWhatHaproxyLogsForTheSameExchanges() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        PeerRecorder server = track(new PeerRecorder(true));
        try (DatagramSocket theirLog = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             DatagramSocket ourLog = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            theirLog.setSoTimeout(5000);
            ourLog.setSoTimeout(5000);
            int theirPort = freePort();
            int ourPort = freePort();
            startHaproxy(config(theirPort, theirLog.getLocalPort(), server.port()), theirPort);
            track(Engine.start(io.tidegate.config.ConfigLoader.load("t.cfg",
                    config(ourPort, ourLog.getLocalPort(), server.port())).config()));
            for (String request : REQUESTS) {
                String theirs = exchange(theirPort, request, theirLog);
                String ours = exchange(ourPort, request, ourLog);
                assertEquals(right(theirs), right(ours), "haproxy, then tidegate, for " + request.lines().findFirst().get());
                portsAgree(ours, ourPort);
                portsAgree(theirs, theirPort);
            }
        }
    }

    /** Sends the request, reads the answer to its end, returns the line the proxy logged. */
    private static String exchange(int port, String request, DatagramSocket log) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        byte[] b = new byte[4096];
        DatagramPacket p = new DatagramPacket(b, b.length);
        log.receive(p);
        return new String(b, 0, p.getLength(), StandardCharsets.ISO_8859_1).stripTrailing();
    }

    private static String right(String line) {
        int bar = line.indexOf(" | ");
        assertTrue(bar > 0, line);
        return line.substring(bar + 3);
    }

    /** %[src_port] is %cp and %[dst_port] is %fp, the port the request came to. */
    private static void portsAgree(String line, int listenPort) {
        String[] left = line.substring(0, line.indexOf(" | ")).split(" ");
        assertEquals(left[0], left[1], "src_port = %cp in " + line);
        assertEquals(left[2], left[3], "dst_port = %fp in " + line);
        assertEquals(String.valueOf(listenPort), left[3], line);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void startHaproxy(String config, int port) throws Exception {
        haproxy = HaproxyProcess.start(dir, config, port);
    }
}
