package io.tidegate.control.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.TestEngines;
import io.tidegate.control.audit.AuditEntry;
import io.tidegate.control.state.ServerStateFile;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.stats.HealthLookup;
import io.tidegate.stats.StatsPages;
import io.tidegate.stats.StatsSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats page's admin form ({@code stats admin if ...}) changes servers through the one management
 * service: the change is what ServerManagement (and so JMX) reports, is audited under the page's
 * user, and is kept in the state file.
 */
class StatsPageActionsTest {
    @TempDir
    Path dir;
    Engine engine;
    final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        if (engine != null) engine.close();
        runner.shutdownNow();
    }

    @Test
    void aDrainPostedFromThePageGoesThroughServerManagementAndIsAudited() throws Exception {
        int port = TestEngines.freePort();
        ServerManagement management = start(port);
        ServerStateFile file = ServerStateFile.besideConfig(dir.resolve("tidegate.cfg"));
        String answer = post(port, "s=webB&action=drain&b=farm");
        assertTrue(answer.startsWith("HTTP/1.1 303 See Other\r\n") && answer.contains("\r\nLocation: /st;st=DONE\r\n"), answer);
        assertEquals(AdminState.DRAIN, management.server("farm", "webB").orElseThrow().adminState());
        assertEquals(AdminState.READY, management.server("farm", "webA").orElseThrow().adminState());
        AuditEntry last = management.history().get(0);
        assertEquals("set state", last.action());
        assertEquals("stats page ops", last.who());
        assertTrue(Files.readString(file.path()).contains("webB"), "kept in the state file like a JMX change");
    }

    @Test
    void forceNolbFromThePageGoesThroughServerManagementAndIsAudited() throws Exception {
        int port = TestEngines.freePort();
        ServerManagement management = start(port);
        String answer = post(port, "s=webA&action=hnolb&b=farm");
        assertTrue(answer.startsWith("HTTP/1.1 303 See Other\r\n") && answer.contains("\r\nLocation: /st;st=DONE\r\n"), answer);
        assertEquals("NOLB", management.server("farm", "webA").orElseThrow().health());
        AuditEntry last = management.history().get(0);
        assertEquals(List.of("force health", "farm/webA", "NOLB", "stats page ops"),
                List.of(last.action(), last.target(), last.after(), last.who()));
    }

    private ServerManagement start(int port) throws Exception {
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    stats uri /st
                    stats auth ops:secret
                    stats admin if LOCALHOST
                    server webA 127.0.0.1:9
                    server webB 127.0.0.1:9
                """.formatted(port)).config());
        ServerStateFile file = ServerStateFile.besideConfig(dir.resolve("tidegate.cfg"));
        ServerManagement management = new ServerManagement(file);
        management.attach(engine);
        StatsSnapshot.Process p = new StatsSnapshot.Process("Tidegate", "t", Instant.now(), 1, 0, "n");
        StatsPages.install(engine, () -> Optional.of(StatsSnapshot.of(engine, HealthLookup.NONE, p, Instant.now())),
                new StatsPageActions(management), runner);
        return management;
    }

    private static String post(int port, String body) throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /st HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            for (int n; (n = in.read(b)) > 0; ) got.write(b, 0, n);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
