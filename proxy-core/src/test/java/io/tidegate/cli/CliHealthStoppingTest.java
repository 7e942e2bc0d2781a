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
import io.tidegate.stats.StatColumn;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set server B/S health stopping} over the runtime API socket, as HAProxy 2.6: the server
 * shows NOLB in {@code show stat}, new requests without its cookie go to the other servers, a client
 * holding its cookie still reaches it, and its next health check overrides the forced state.
 */
class CliHealthStoppingTest {
    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TestHttpBackend a = new TestHttpBackend();
    private final TestHttpBackend b = new TestHttpBackend();
    private Engine engine;
    private CliSocketServer socket;

    @AfterEach
    void tearDown() {
        if (socket != null) socket.close();
        if (engine != null) engine.close();
        a.close();
        b.close();
    }

    private int start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        a.body.set("A");
        b.body.set("B");
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    option httpchk GET /health
                    timeout connect 2s
                    server webA 127.0.0.1:%d cookie A check rise 1 fall 2
                    server webB 127.0.0.1:%d cookie B check rise 1 fall 2
                """.formatted(port, a.address().getPort(), b.address().getPort())).config());
        Path admin = dir.resolve("admin.sock");
        socket = CliSocketServer.open(new StatsSocket(admin.toString(), 0600, StatsSocket.Level.ADMIN, false, null),
                new CliCommands(new EngineOperations(() -> engine)), 10_000, 4);
        return port;
    }

    private String get(int port, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page"))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) r.header("Cookie", cookie);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String status(String server) {
        for (String line : CliSocketServerTest.ask(dir.resolve("admin.sock"), "show stat\n").split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > StatColumn.STATUS && f[0].equals("farm") && f[1].equals(server)) return f[StatColumn.STATUS];
        }
        throw new AssertionError("no row farm/" + server);
    }

    @Test
    void healthStoppingIsNolbUntilTheNextCheck() throws Exception {
        int port = start();
        Path admin = dir.resolve("admin.sock");
        assertEquals("\n", CliSocketServerTest.ask(admin, "set server farm/webA health stopping\n"));
        assertEquals("NOLB", status("webA"));
        String running = status("webB");     // "no check" here: this test's socket has no health-check view
        assertTrue(!running.equals("NOLB"), running);
        for (int i = 0; i < 6; i++) {
            assertEquals("B", get(port, null), "no new load-balanced request goes to the stopping server");
        }
        assertEquals("A", get(port, "SERVERID=A"), "a client holding its cookie still reaches it");
        // show servers state: srv_op_state 3 (SRV_ST_STOPPING), as HAProxy
        assertTrue(CliSocketServerTest.ask(admin, "show servers state farm\n").contains(" webA 127.0.0.1 3 0 "));

        // 'health up' ends it at once
        assertEquals("\n", CliSocketServerTest.ask(admin, "set server farm/webA health up\n"));
        assertEquals(running, status("webA"));
        assertTrue(balancedTo(port).contains("A"));

        // with checks enabled, the next check overrides the forced state (as for up/down)
        assertEquals("\n", CliSocketServerTest.ask(admin, "set server farm/webA health stopping\n"));
        assertEquals("NOLB", status("webA"));
        EngineHealthChecks checks = EngineHealthChecks.start(engine, HealthSnapshot.EMPTY);
        checks.check(new ServerKey("farm", "webA")).get(10, TimeUnit.SECONDS);
        assertEquals(running, status("webA"));
        assertTrue(balancedTo(port).contains("A"), "a passing check puts it back in load balancing");

        assertEquals("'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n",
                CliSocketServerTest.ask(admin, "set server farm/webA health nolb\n"));
    }

    private List<String> balancedTo(int port) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) seen.add(get(port, null));
        return seen;
    }
}
