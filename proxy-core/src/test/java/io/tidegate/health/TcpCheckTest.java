package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpCheckTest {

    private static final CheckTimeouts TIMEOUTS = CheckTimeouts.total(Duration.ofMillis(2000));

    private TestLoops worker;
    private SilentServers silent;
    private ServerSocket listening;

    @BeforeEach
    void setUp() throws Exception {
        worker = new TestLoops("tcp-check-test", 1);
        silent = new SilentServers();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listening != null) {
            listening.close();
        }
        silent.close();
        worker.close();
    }

    private CheckResult check(InetSocketAddress target, CheckTimeouts t) throws Exception {
        return HealthProbe.tcp().run(worker.group.get(0), target, t).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aListeningServerPasses() throws Exception {
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CheckResult r = check(new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort()), TIMEOUTS);
        assertEquals(CheckStatus.L4OK, r.status());
        assertTrue(r.passed());
    }

    @Test
    void aClosedPortIsALayer4ConnectionProblem() throws Exception {
        CheckResult r = check(SilentServers.closedPort(), TIMEOUTS);
        assertEquals(CheckStatus.L4CON, r.status());
        assertTrue(r.info().toLowerCase().contains("refused"), r.info());
    }

    @Test
    void aConnectThatNeverCompletesTimesOutWithinTheTimeout() throws Exception {
        InetSocketAddress target = silent.neverConnects();
        long start = System.nanoTime();
        CheckResult r = check(target, CheckTimeouts.total(Duration.ofMillis(500)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(CheckStatus.L4TOUT, r.status());
        assertTrue(r.duration().toMillis() >= 450, "duration " + r.duration());
        assertTrue(tookMs < 3000, "took " + tookMs + " ms");
    }

    @Test
    void theConnectTimeoutIsTheSmallerOfTimeoutConnectAndInterWhenTimeoutCheckIsSet() throws Exception {
        CheckTimeouts t = CheckTimeouts.of(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(4));
        assertEquals(Duration.ofMillis(300), t.connect());
        CheckResult r = check(silent.neverConnects(), t);
        assertEquals(CheckStatus.L4TOUT, r.status());
        assertTrue(r.duration().toMillis() < 3000, "duration " + r.duration());
    }
}
