package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidegate.config.CheckKind;
import io.tidegate.config.HealthCheck;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** option redis-check, pgsql-check, mysql-check, smtpchk, ldap-check against scripted loopback servers. */
class ServiceChecksTest {

    private static final CheckTimeouts TIMEOUTS = CheckTimeouts.total(Duration.ofMillis(3000));
    private TestLoops worker;

    @BeforeEach
    void setUp() throws Exception {
        worker = new TestLoops("service-check-test", 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        worker.close();
    }

    /**
     * A one-connection server on a free loopback port: reads {@code expectIn} bytes (0 = none), then
     * answers {@code answer}; what it read is kept in {@code seen}.
     */
    private CheckStatus check(HealthCheck check, int expectIn, byte[] answer, AtomicReference<byte[]> seen)
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(3000);
                    InputStream in = s.getInputStream();
                    byte[] got = in.readNBytes(expectIn);
                    if (seen != null) seen.set(got);
                    OutputStream out = s.getOutputStream();
                    out.write(answer);
                    out.flush();
                    in.read();     // until the check closes
                } catch (Exception ignored) {
                    // the check closed first
                }
            });
            t.start();
            CheckResult r = HealthProbe.of(check, null).run(worker.group.get(0),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), TIMEOUTS)
                    .get(10, TimeUnit.SECONDS);
            t.join(5000);
            return r.status();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void redisPingPong() throws Exception {
        HealthCheck redis = HealthCheck.service(CheckKind.REDIS, List.of());
        AtomicReference<byte[]> seen = new AtomicReference<>();
        assertEquals(CheckStatus.L7OK, check(redis, 14, ascii("+PONG\r\n"), seen));
        assertArrayEquals(ascii("*1\r\n$4\r\nPING\r\n"), seen.get());
        assertEquals(CheckStatus.L7STS, check(redis, 14, ascii("-NOAUTH Authentication required.\r\n"), null));
    }

    @Test
    void pgsqlStartupAndAuthenticationRequest() throws Exception {
        HealthCheck pg = HealthCheck.service(CheckKind.PGSQL, List.of("user", "haproxy"));
        AtomicReference<byte[]> seen = new AtomicReference<>();
        byte[] startup = ServiceCheckProtocol.pgsqlStartup("haproxy");
        assertEquals(CheckStatus.L7OK, check(pg, startup.length, new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, 0}, seen));
        assertArrayEquals(startup, seen.get());
        assertEquals(22, startup.length, "length, protocol 3.0, user haproxy");
        assertEquals(CheckStatus.L7STS, check(pg, startup.length, new byte[] {'E', 0, 0, 0, 4}, null));
    }

    @Test
    void mysqlGreetingSmtpBannerAndLdapBind() throws Exception {
        byte[] greeting = {0x0a, 0, 0, 0, 0x0a, '8', '.', '0', 0};
        assertEquals(CheckStatus.L7OK, check(HealthCheck.service(CheckKind.MYSQL, List.of()), 0, greeting, null));
        assertEquals(CheckStatus.L7STS, check(HealthCheck.service(CheckKind.MYSQL, List.of()), 0,
                new byte[] {0x10, 0, 0, 0, (byte) 0xff, 0x6a, 0x04}, null));
        assertEquals(CheckStatus.L7OK, check(HealthCheck.service(CheckKind.SMTP, List.of()), 0,
                ascii("220 mail.example.com ESMTP\r\n"), null));
        assertEquals(CheckStatus.L7STS, check(HealthCheck.service(CheckKind.SMTP, List.of()), 0,
                ascii("554 go away\r\n"), null));
        byte[] bindOk = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
        byte[] bindFail = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x31, 0x04, 0x00, 0x04, 0x00};
        assertEquals(CheckStatus.L7OK, check(HealthCheck.service(CheckKind.LDAP, List.of()), 14, bindOk, null));
        assertEquals(CheckStatus.L7STS, check(HealthCheck.service(CheckKind.LDAP, List.of()), 14, bindFail, null));
    }
}
