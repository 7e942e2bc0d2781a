package io.tidegate.control.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.cli.CliCommands;
import io.tidegate.config.StatsSocket.Level;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.TestEngines;
import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.AuditEntry;
import io.tidegate.control.audit.Role;
import io.tidegate.control.state.ServerStateFile;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.stats.HealthLookup;
import io.tidegate.stats.StatsSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime API commands reach the one management service: a drain or weight set over the socket is
 * what ServerManagement (and so JMX) reports, is saved in the state file and applies to the next
 * engine (reload, redeploy, restart).
 */
class ManagementOperationsTest {
    @TempDir
    Path dir;
    private final List<Engine> engines = new ArrayList<>();
    /** webA's address stays the same across the "restart" (a moved server would lose its saved state). */
    private final int webAPort = TestEngines.freePort();

    @AfterEach
    void close() {
        engines.forEach(Engine::close);
    }

    private Engine farm() throws Exception {
        Engine e = TestEngines.farm(webAPort);
        engines.add(e);
        return e;
    }

    private static CliCommands commands(ServerManagement management, Engine engine) {
        return commands(management, engine, Actor.user("socket:/run/t.sock level admin", EnumSet.of(Role.ADMIN)));
    }

    private static CliCommands commands(ServerManagement management, Engine engine, Actor actor) {
        StatsSnapshot.Process p = new StatsSnapshot.Process("Tidegate", "t", Instant.now(), 1, 0, "n");
        ManagementOperations ops = new ManagementOperations(management,
                () -> Optional.of(StatsSnapshot.of(engine, HealthLookup.NONE, p, Instant.now())), actor);
        return new CliCommands(ops);
    }

    @Test
    void healthStoppingGoesThroughServerManagementIsAuditedAndNotKept() throws Exception {
        ServerStateFile file = ServerStateFile.besideConfig(dir.resolve("tidegate.cfg"));
        ServerManagement management = new ServerManagement(file);
        Engine first = farm();
        management.attach(first);
        CliCommands cli = commands(management, first);

        assertEquals("", cli.execute(List.of("set", "server", "farm/webA", "health", "stopping"), Level.ADMIN));
        assertEquals("NOLB", management.server("farm", "webA").orElseThrow().health(), "what JMX's Health shows");
        assertEquals(false, management.server("farm", "webA").orElseThrow().usable(), "out of load balancing");
        AuditEntry forced = management.history().get(0);
        assertEquals(List.of("force health", "farm/webA", "UP", "NOLB", AuditEntry.Outcome.DONE,
                        "socket:/run/t.sock level admin"),
                List.of(forced.action(), forced.target(), forced.before(), forced.after(), forced.outcome(), forced.who()));

        // the service checks the role itself: a caller without the operator role is refused, and that is audited
        Actor reader = Actor.user("reader", EnumSet.of(Role.VIEWER));
        assertThrows(RuntimeException.class, () -> management.setHealth(reader, "farm", "webB",
                io.tidegate.engine.ForcedHealth.STOPPING));
        assertEquals(AuditEntry.Outcome.REFUSED, management.history().get(0).outcome());
        assertEquals("UP", management.server("farm", "webB").orElseThrow().health());

        // as health up/down: not kept across a restart (health is the checks' business, not operator state)
        ServerManagement afterRestart = new ServerManagement(file);
        Engine second = farm();
        afterRestart.attach(second);
        assertEquals("UP", afterRestart.server("farm", "webA").orElseThrow().health());

        assertEquals("", cli.execute(List.of("set", "server", "farm/webA", "health", "up"), Level.ADMIN));
        assertEquals("UP", management.server("farm", "webA").orElseThrow().health());
        assertEquals("NOLB", management.history().get(0).before());
    }

    @Test
    void clearTableGoesThroughServerManagementWithItsRoleCheckAndAudit() throws Exception {
        int port = TestEngines.freePort();
        Engine engine = Engine.start(io.tidegate.config.ConfigLoader.load("t.cfg", """
                frontend fe
                    mode http
                    bind 127.0.0.1:%d
                    stick-table type ip size 1k expire 30s store http_req_cnt
                    http-request track-sc0 src
                    http-request return status 200
                """.formatted(port)).config());
        engines.add(engine);
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getInputStream().readAllBytes();
        }
        ServerManagement management = new ServerManagement(ServerStateFile.besideConfig(dir.resolve("tidegate.cfg")));
        management.attach(engine);
        Actor reader = Actor.user("reader", EnumSet.of(Role.VIEWER));
        assertThrows(RuntimeException.class, () -> management.clearStickTable(reader, "fe", null));
        assertEquals(List.of("clear table", "table fe", AuditEntry.Outcome.REFUSED),
                List.of(management.history().get(0).action(), management.history().get(0).target(),
                        management.history().get(0).outcome()));
        CliCommands user = commands(management, engine, Actor.user("socket:/run/u.sock level user", EnumSet.of(Role.VIEWER)));
        assertEquals("Permission denied\n", user.execute(List.of("clear", "table", "fe"), Level.USER));
        CliCommands operator = commands(management, engine,
                Actor.user("socket:/run/o.sock level operator", EnumSet.of(Role.OPERATOR)));
        // the entry is untracked once the proxy has seen the connection close (bounded wait)
        String used = "";
        for (int i = 0; i < 100; i++) {
            assertEquals("", operator.execute(List.of("clear", "table", "fe"), Level.OPERATOR));
            used = operator.execute(List.of("show", "table"), Level.OPERATOR);
            if (used.contains("used:0")) break;
            Thread.sleep(20);
        }
        assertEquals("# table: fe, type: ip, size:1024, used:0\n", used);
        AuditEntry cleared = management.history().get(0);
        assertEquals(List.of("clear table", "table fe", AuditEntry.Outcome.DONE, "socket:/run/o.sock level operator"),
                List.of(cleared.action(), cleared.target(), cleared.outcome(), cleared.who()));
        assertEquals("No such table\n", operator.execute(List.of("clear", "table", "nope"), Level.OPERATOR));
    }

    @Test
    void socketChangesGoThroughServerManagementAndAreKept() throws Exception {
        ServerStateFile file = ServerStateFile.besideConfig(dir.resolve("tidegate.cfg"));
        ServerManagement management = new ServerManagement(file);
        Engine first = farm();
        management.attach(first);
        CliCommands cli = commands(management, first);

        assertEquals("", cli.execute(List.of("set", "server", "farm/webB", "state", "drain"), Level.ADMIN));
        assertEquals("", cli.execute(List.of("set", "weight", "farm/webA", "7"), Level.ADMIN));
        assertEquals(AdminState.DRAIN, management.server("farm", "webB").orElseThrow().adminState());
        assertEquals(7, management.server("farm", "webA").orElseThrow().weight());
        assertTrue(Files.readString(file.path()).contains("webB"), "saved in the state file");
        assertEquals("", cli.execute(List.of("set", "server", "farm/webA", "health", "down"), Level.ADMIN));
        assertEquals(false, management.server("farm", "webA").orElseThrow().up());
        assertEquals(List.of("force health", "set weight", "set state"),
                management.history().stream().map(AuditEntry::action).toList().subList(0, 3),
                "every socket change is in the audit log, newest first");
        assertTrue(management.history().stream().allMatch(e -> e.who().equals("socket:/run/t.sock level admin")),
                "under the socket's name");

        // a new management service and engine on the same file: what a restart does
        ServerManagement afterRestart = new ServerManagement(file);
        Engine second = farm();
        afterRestart.attach(second);
        assertEquals(AdminState.DRAIN, afterRestart.server("farm", "webB").orElseThrow().adminState());
        assertEquals("7 (initial 10)\n", commands(afterRestart, second).execute(List.of("get", "weight", "farm/webA"), Level.USER));
    }
}
