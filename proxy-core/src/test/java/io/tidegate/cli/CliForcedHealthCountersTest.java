package io.tidegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.Engine;
import io.tidegate.health.EngineHealthChecks;
import io.tidegate.health.HealthSnapshot;
import io.tidegate.health.ServerKey;
import io.tidegate.health.TestHttpBackend;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set server B/S health up|down} resets the health check counter as HAProxy 2.6 does (its
 * {@code check.health} becomes {@code rise+fall-1} for up and stopping, 0 for down): after a forced
 * down, {@code rise} passing checks bring the server back; after a forced up, {@code fall} failing
 * checks take it down, whatever the checks said before.
 */
class CliForcedHealthCountersTest {
    @TempDir
    Path dir;
    private final TestHttpBackend web = new TestHttpBackend();
    private Engine engine;
    private CliSocketServer socket;
    private EngineHealthChecks checks;
    private final ServerKey webA = new ServerKey("farm", "webA");

    @AfterEach
    void tearDown() {
        if (socket != null) socket.close();
        if (engine != null) engine.close();
        web.close();
    }

    private void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    option httpchk GET /health
                    timeout connect 2s
                    server webA 127.0.0.1:%d check rise 2 fall 3
                """.formatted(port, web.address().getPort())).config());
        socket = CliSocketServer.open(new StatsSocket(dir.resolve("admin.sock").toString(), 0600, StatsSocket.Level.ADMIN,
                false, null), new CliCommands(new EngineOperations(() -> engine)), 10_000, 4);
        checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
    }

    private String ask(String command) {
        return CliSocketServerTest.ask(dir.resolve("admin.sock"), command + "\n");
    }

    /** srv_op_state of webA in {@code show servers state}: 2 running, 0 stopped. */
    private String opState() {
        for (String line : ask("show servers state farm").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 5 && f[3].equals("webA")) return f[5];
        }
        throw new AssertionError("no webA line");
    }

    private void check() throws Exception {
        checks.check(webA).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aForcedDownNeedsRisePassingChecksToComeBack() throws Exception {
        start();
        web.status.set(200);
        check();
        check();
        assertEquals("2", opState(), "up and checked fully up");
        assertEquals("\n", ask("set server farm/webA health down"));
        assertEquals("0", opState());
        assertEquals(0, checks.state(webA).orElseThrow().health(), "the counter starts from down");
        check();
        assertEquals("0", opState(), "one passing check of rise 2 is not enough");
        check();
        assertEquals("2", opState(), "the second one brings it back");
    }

    @Test
    void aForcedUpNeedsFallFailingChecksToGoDown() throws Exception {
        start();
        web.status.set(500);
        for (int i = 0; i < 3; i++) check();
        assertEquals("0", opState(), "down by its checks");
        assertEquals("\n", ask("set server farm/webA health up"));
        assertEquals("2", opState());
        assertEquals(4, checks.state(webA).orElseThrow().health(), "rise + fall - 1");
        check();
        check();
        assertEquals("2", opState(), "two failing checks of fall 3 keep it up");
        check();
        assertEquals("0", opState(), "the third takes it down");
        assertTrue(checks.state(webA).orElseThrow().downTransitions() >= 2);
    }
}
