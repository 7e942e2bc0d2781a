package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code option forwardfor [except NET] [header NAME] [if-none]} written in a configuration. */
class ForwardForConfigTest extends EngineTestSupport {

    private RecordingBackend server;
    private int port;

    private void start(String forwardfor) throws Exception {
        server = track(new RecordingBackend("A"));
        port = GuideConfigs.freePort();
        track(GuideConfigs.start("""
                listen web 127.0.0.1:%d
                    mode http
                    %s
                    server webA 127.0.0.1:%d
                """.formatted(port, forwardfor, server.port())));
    }

    private RecordingBackend.Seen send(RawClient c, String headers) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: lb\r\n" + headers + "\r\n");
        assertEquals(200, c.read().status());
        return server.take();
    }

    @Test
    void headerNameAndIfNone() throws Exception {
        start("option forwardfor except 10.0.0.0/8 header X-Client-IP if-none");
        try (RawClient c = new RawClient(port)) {
            RecordingBackend.Seen plain = send(c, "");
            assertEquals(List.of("127.0.0.1"), plain.all("X-Client-IP"));
            assertEquals(List.of(), plain.all("X-Forwarded-For"), "the configured name replaces X-Forwarded-For");
            RecordingBackend.Seen already = send(c, "x-client-ip: 192.0.2.9\r\n");
            assertEquals(List.of("192.0.2.9"), already.all("X-Client-IP"), "if-none: the client's header alone");
        }
    }

    @Test
    void exceptANetworkThatHoldsTheClient() throws Exception {
        start("option forwardfor except 127.0.0.0/8");
        try (RawClient c = new RawClient(port)) {
            assertEquals(List.of(), send(c, "").all("X-Forwarded-For"));
            assertEquals(List.of("192.0.2.1"), send(c, "X-Forwarded-For: 192.0.2.1\r\n").all("X-Forwarded-For"),
                    "a client inside NET keeps its own header");
        }
    }
}
