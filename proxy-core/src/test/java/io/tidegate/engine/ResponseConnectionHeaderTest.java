package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the Connection header of a forwarded response says: a server's "keep-alive" is dropped for
 * HTTP/1.1 clients (their default, as HAProxy does), kept for HTTP/1.0 keep-alive clients, and a
 * server's "close" never reaches a client whose connection stays open.
 */
class ResponseConnectionHeaderTest extends EngineTestSupport {
    private ScriptedServer server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) server.close();
    }

    @Test
    void redundantKeepAliveIsDroppedForHttp11Clients() throws Exception {
        server = new ScriptedServer("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server(server.name(), server.address(), 1)))));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = c.get("/k" + i);
                assertEquals(200, r.status());
                assertEquals("ok", r.bodyText());
                assertNull(r.header("Connection"), "no Connection header in: " + r.head());
            }
        }
    }

    @Test
    void http10KeepAliveClientsStillGetKeepAlive() throws Exception {
        server = new ScriptedServer("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server(server.name(), server.address(), 1)))));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /ten HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Response r = c.read();
                assertEquals("ok", r.bodyText());
                assertEquals("keep-alive", r.header("Connection").toLowerCase());
            }
        }
    }

    @Test
    void aServerClosingDoesNotCloseTheClient() throws Exception {
        server = new ScriptedServer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        Engine engine = start(plan(frontend(), backendPlan(List.of(server(server.name(), server.address(), 1)))));
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 3; i++) {
                RawClient.Response r = c.get("/c" + i);
                assertEquals("ok", r.bodyText());
                assertNull(r.header("Connection"), "the client's connection stays open: " + r.head());
            }
        }
        assertEquals(3, server.connections(), "the server closed each of its connections");
    }

    /** Answers every request with the same bytes; closes after it when they say Connection: close. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket;
        private final byte[] answer;
        private final boolean closes;
        private final Thread thread;
        private volatile int connections;

        ScriptedServer(String answer) throws IOException {
            this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            this.answer = answer.getBytes(StandardCharsets.ISO_8859_1);
            this.closes = answer.contains("Connection: close");
            this.thread = new Thread(this::serve, "scripted-server");
            thread.setDaemon(true);
            thread.start();
        }

        String name() {
            return "scripted";
        }

        InetSocketAddress address() {
            return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }

        int connections() {
            return connections;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    connections++;
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (int served = 0; served < 100 && readHead(in); served++) {
                        out.write(answer);
                        out.flush();
                        if (closes) break;
                    }
                } catch (IOException e) {
                    // closed by the test or the proxy
                }
            }
        }

        private static boolean readHead(InputStream in) throws IOException {
            int state = 0;
            int b;
            while ((b = in.read()) >= 0) {
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
                if (state == 4) return true;
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
