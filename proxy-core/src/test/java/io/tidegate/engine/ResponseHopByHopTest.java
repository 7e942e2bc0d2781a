package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hop-by-hop fields of a response (as Apache sends them) do not reach the client. */
class ResponseHopByHopTest extends EngineTestSupport {

    @Test
    void upgradeOfferKeepAliveAndFieldsNamedInConnectionStayBehind() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (Socket s = origin.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    int c;
                    while ((c = in.read()) >= 0 && !head.append((char) c).toString().endsWith("\r\n\r\n")) {
                        // read the request head
                    }
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nUpgrade: h2,h2c\r\n"
                            + "Connection: Upgrade, Keep-Alive, X-Internal\r\nKeep-Alive: timeout=5, max=100\r\n"
                            + "X-Internal: secret\r\nX-Public: yes\r\nContent-Length: 2\r\n\r\nok")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    Thread.sleep(500);
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.setDaemon(true);
            t.start();
            int port = GuideConfigs.freePort();
            track(GuideConfigs.start("""
                    listen web
                        bind 127.0.0.1:%d
                        mode http
                        server s1 127.0.0.1:%d
                    """.formatted(port, origin.getLocalPort())));
            try (RawClient c = new RawClient(port)) {
                RawClient.Response r = c.get("/");
                assertEquals(200, r.status());
                String head = r.head().toLowerCase();
                assertFalse(head.contains("upgrade"), head);
                assertFalse(head.contains("keep-alive"), head);
                assertFalse(head.contains("x-internal"), head);
                assertTrue(head.contains("x-public: yes"), head);
                assertEquals("ok", new String(r.body(), StandardCharsets.ISO_8859_1));
            }
        }
    }
}
