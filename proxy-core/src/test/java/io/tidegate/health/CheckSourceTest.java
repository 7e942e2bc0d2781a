package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Health checks leave from the server's {@code source} address, as HAProxy's do. */
class CheckSourceTest {

    @Test
    void aTcpCheckBindsTheSourceAddressFirst() throws Exception {
        try (TestLoops worker = new TestLoops("check-source", 1);
             ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(5000);
            var result = HealthProbe.tcp().run(worker.group.get(0),
                    new InetSocketAddress("127.0.0.13", 0),
                    new InetSocketAddress("127.0.0.1", server.getLocalPort()),
                    CheckTimeouts.total(Duration.ofSeconds(2)));
            try (Socket accepted = server.accept()) {
                assertEquals("127.0.0.13", accepted.getInetAddress().getHostAddress());
            }
            assertEquals(CheckStatus.L4OK, result.get(10, TimeUnit.SECONDS).status());
        }
    }

    @Test
    void aSourceTheHostDoesNotHaveFailsTheCheckAsALayer4Problem() throws Exception {
        try (TestLoops worker = new TestLoops("check-source", 1);
             ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            CheckResult r = HealthProbe.tcp().run(worker.group.get(0),
                    new InetSocketAddress("192.0.2.1", 0),
                    new InetSocketAddress("127.0.0.1", server.getLocalPort()),
                    CheckTimeouts.total(Duration.ofSeconds(2))).get(10, TimeUnit.SECONDS);
            assertFalse(r.passed(), r.toString());
        }
    }

    @Test
    void theCheckOfAServerTakesItsSource() throws Exception {
        var cfg = io.tidegate.config.ConfigLoader.load("t.cfg", """
                backend b
                    mode tcp
                    server s 127.0.0.1:80 check source 127.0.0.5:3000-3010
                    server t 127.0.0.1:80 check source 127.0.0.6:3000
                """).config();
        var checks = ServerChecks.of(cfg);
        assertEquals(new InetSocketAddress("127.0.0.5", 0), checks.get(0).source(), "a range: any port");
        assertEquals(new InetSocketAddress("127.0.0.6", 3000), checks.get(1).source());
    }
}
