package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslHelloCheckTest {

    private static final CheckTimeouts TIMEOUTS = CheckTimeouts.total(Duration.ofMillis(3000));

    @TempDir
    static Path dir;

    /** One key pair and TLS server for the class: keytool takes most of a second. */
    private static TestTlsServer tls;

    private TestLoops worker;
    private TestHttpBackend http;
    private SilentServers silent;

    @BeforeAll
    static void startTls() throws Exception {
        tls = new TestTlsServer(dir);
    }

    @AfterAll
    static void stopTls() throws Exception {
        tls.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        worker = new TestLoops("ssl-check-test", 1);
        http = new TestHttpBackend();
        silent = new SilentServers();
    }

    @AfterEach
    void tearDown() throws Exception {
        silent.close();
        http.close();
        worker.close();
    }

    private CheckResult check(InetSocketAddress target, CheckTimeouts t) throws Exception {
        return HealthProbe.sslHello().run(worker.group.get(0), target, t).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTlsServerPasses() throws Exception {
        CheckResult r = check(tls.address(), TIMEOUTS);
        assertEquals(CheckStatus.L6OK, r.status());
        assertTrue(r.passed());
    }

    @Test
    void theHelloIsAnsweredWithAServerHelloByTheJdkServer() throws Exception {
        try (Socket s = new Socket(tls.address().getAddress(), tls.address().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(TlsClientHello.record());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] head = new byte[6];
            in.readFully(head);
            assertEquals(TlsClientHello.CONTENT_HANDSHAKE, head[0] & 0xff, "record type");
            assertEquals(3, head[1], "record major version");
            assertEquals(TlsClientHello.HANDSHAKE_SERVER_HELLO, head[5] & 0xff, "handshake type");
        }
    }

    @Test
    void aPlainHttpServerIsAnInvalidLayer6Response() throws Exception {
        CheckResult r = check(http.address(), TIMEOUTS);
        assertEquals(CheckStatus.L6RSP, r.status());
    }

    @Test
    void aSilentServerIsALayer6Timeout() throws Exception {
        CheckResult r = check(silent.neverAnswers(), CheckTimeouts.total(Duration.ofMillis(500)));
        assertEquals(CheckStatus.L6TOUT, r.status());
        assertTrue(r.duration().toMillis() >= 450, "duration " + r.duration());
    }

    @Test
    void aClosedPortIsALayer4ConnectionProblem() throws Exception {
        assertEquals(CheckStatus.L4CON, check(SilentServers.closedPort(), TIMEOUTS).status());
    }

    @Test
    void anAlertRecordAlsoCountsAsATlsSpeakerAsInHaproxy() {
        ByteBuffer alert = ByteBuffer.wrap(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46});
        assertEquals(CheckStatus.L6OK, SslHelloProtocol.INSTANCE.judge(alert, false).status());
        ByteBuffer shortAnswer = ByteBuffer.wrap(new byte[] {0x16, 0x03});
        assertEquals(null, SslHelloProtocol.INSTANCE.judge(shortAnswer, false));
        assertEquals(CheckStatus.L6RSP, SslHelloProtocol.INSTANCE.judge(shortAnswer, true).status());
    }
}
