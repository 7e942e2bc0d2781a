package io.tidegate.cli;

import static io.tidegate.cli.CliSocketServerTest.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show errors} with a server that answers with a malformed response: the client gets a 502
 * and the backend keeps the response (HAProxy's "invalid response" capture), listed with the
 * client's frontend, the server and the bytes; {@code request|response} and the proxy select.
 */
class CliResponseErrorsTest {
    /** A header name with a NUL in it: no HTTP/1.1 parser may accept it. */
    static final byte[] BROKEN = "HTTP/1.1 200 OK\r\nX-B\u0000d: y\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;
    Engine engine;
    ServerSocket broken;
    CliSocketServer cli;
    Path operator;
    final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            try {
                while (true) {
                    try (Socket s = broken.accept()) {
                        s.setSoTimeout(10_000);
                        readHead(s.getInputStream());
                        s.getOutputStream().write(BROKEN);
                        s.getOutputStream().flush();
                        s.getInputStream().read();         // until the proxy closes
                    } catch (IOException perConnection) {
                        if (broken.isClosed()) return;
                    }
                }
            } catch (RuntimeException e) {
                // test over
            }
        }, "broken-server");
        server.setDaemon(true);
        server.start();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                frontend fe
                    mode http
                    bind 127.0.0.1:%d
                    default_backend app
                backend other
                    mode http
                    server x 127.0.0.1:9
                backend app
                    mode http
                    server broken 127.0.0.1:%d
                """.formatted(port, broken.getLocalPort())).config());
        operator = dir.resolve("oper.sock");
        cli = CliSocketServer.open(new StatsSocket(operator.toString(), 0600, StatsSocket.Level.OPERATOR, false, null),
                new CliCommands(new EngineOperations(() -> engine)), 10_000, 10);
    }

    @AfterEach
    void stop() throws IOException {
        if (cli != null) cli.close();
        for (Socket s : clients) s.close();
        if (engine != null) engine.close();
        broken.close();
    }

    static void readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int i = 0; i < 65536 && matched < 4; i++) {
            int c = in.read();
            if (c < 0) return;
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
    }

    /** Sends {@code request} through the frontend and returns the answer and the client's port. */
    Object[] exchange(String request) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.boundAddresses().get("fe").get(0).getPort());
        s.setSoTimeout(10_000);
        clients.add(s);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        s.getInputStream().transferTo(answer);
        return new Object[] {answer.toString(StandardCharsets.ISO_8859_1), s.getLocalPort()};
    }

    @Test
    void aMalformedResponseIsAnswered502AndListedUnderItsBackend() throws Exception {
        Object[] bad = exchange("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n");
        assertTrue(((String) bad[0]).startsWith("HTTP/1.1 400 "), (String) bad[0]);
        Object[] got = exchange("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(((String) got[0]).startsWith("HTTP/1.1 502 "), (String) got[0]);

        String all = ask(operator, "show errors\n");
        String response = " \n\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}] backend app \\(#3\\): invalid response\n"
                + "  frontend fe \\(#1\\), server broken \\(#1\\), event #(\\d+), src 127\\.0\\.0\\.1:" + got[1] + "\n"
                + "  buffer starts at 0 \\(including 0 out\\), " + (16384 - BROKEN.length) + " free,\n"
                + "  len " + BROKEN.length + ", wraps at 16384, error at position " + indexOfNul() + "\n"
                + "  session 0x[0-9a-f]+, answered 502: .+\n"
                + "  \n"
                + "  00000  HTTP/1\\.1 200 OK\\\\r\\\\n\n"
                + "  00017  X-B\\\\x00d: y\\\\r\\\\n\n"
                + "  00027  Content-Length: 0\\\\r\\\\n\n"
                + "  00046  \\\\r\\\\n\n";
        String request = " \n\\[[^]]+] frontend fe \\(#1\\): invalid request\n"
                + "  backend <NONE> \\(#-1\\), server <NONE> \\(#-1\\), event #(\\d+), src 127\\.0\\.0\\.1:" + bad[1] + "\n"
                + "(?:  .*\n)+";
        Matcher both = Pattern.compile("Total events captured on \\[[^]]+] : (\\d+)\n" + request + response + "\n").matcher(all);
        assertTrue(both.matches(), all);
        int requestEvent = Integer.parseInt(both.group(2));
        int responseEvent = Integer.parseInt(both.group(3));
        assertTrue(responseEvent > requestEvent, "events numbered in order: " + all);
        assertTrue(Integer.parseInt(both.group(1)) > responseEvent, "numbered from 0 as HAProxy, so the total exceeds the last: " + all);

        String requestsOnly = ask(operator, "show errors -1 request\n");
        assertTrue(requestsOnly.contains("frontend fe (#1): invalid request"), requestsOnly);
        assertFalse(requestsOnly.contains("invalid response"), requestsOnly);

        String responsesOnly = ask(operator, "show errors -1 response\n");
        assertTrue(Pattern.compile("Total events captured on \\[[^]]+] : \\d+\n" + response + "\n").matcher(responsesOnly).matches(),
                responsesOnly);
        assertEquals(responsesOnly.lines().skip(1).toList(), ask(operator, "show errors app\n").lines().skip(1).toList(),
                "the backend's name selects its response");
        assertEquals(responsesOnly.lines().skip(1).toList(), ask(operator, "show errors 3\n").lines().skip(1).toList(),
                "so does its id");
        assertEquals(1, ask(operator, "show errors fe response\n").split("\n").length, "fe keeps no response");
        assertEquals(1, ask(operator, "show errors other\n").split("\n").length, "other has no capture");
    }

    static int indexOfNul() {
        for (int i = 0; i < BROKEN.length; i++) if (BROKEN[i] == 0) return i;
        throw new AssertionError();
    }
}
