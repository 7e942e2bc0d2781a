package io.tidegate.control;

import io.tidegate.config.ConfigLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.Role;
import io.tidegate.control.state.SavedServerState;
import io.tidegate.control.state.ServerStateFile;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.status.ServerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime state set through the management service survives new engines (reload, redeploy, restart) via the state file. */
class ServerManagementTest {

    private static final Actor OPERATOR = Actor.user("op", java.util.Set.of(Role.OPERATOR));

    @TempDir
    Path dir;

    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    private Engine farm(int portA) throws Exception {
        Engine e = TestEngines.farm(portA);
        engines.add(e);
        return e;
    }

    private ServerStateFile stateFile() {
        return ServerStateFile.besideConfig(dir.resolve("tidegate.cfg"));
    }

    @Test
    void changesApplyAtOnceAndAreAppliedAgainToTheNextEngine() throws Exception {
        ServerManagement management = new ServerManagement(stateFile());
        Engine first = farm(8081);
        management.attach(first);
        management.setWeight(OPERATOR, "farm", "webA", 42);
        management.setAdminState(OPERATOR, "farm", "webA", AdminState.DRAIN);
        management.setAdminState(OPERATOR, "farm", "webB", AdminState.MAINT);
        management.setHealthChecks(OPERATOR, "farm", "webB", false);

        ServerStatus a = management.server("farm", "webA").orElseThrow();
        assertEquals(42, a.weight());
        assertEquals(AdminState.DRAIN, a.adminState());
        assertEquals(0, first.usableServers("farm", false));
        assertEquals(List.of(new SavedServerState("farm", "webA", "127.0.0.1:8081", 42, AdminState.DRAIN),
                new SavedServerState("farm", "webB", "127.0.0.1:9", null, AdminState.MAINT)), stateFile().load().states());

        // a reload: the old engine stops, a new one starts with the same servers
        management.detach(first);
        first.close();
        assertTrue(management.status().isEmpty());
        Engine second = farm(8081);
        management.attach(second);
        ServerStatus a2 = management.server("farm", "webA").orElseThrow();
        ServerStatus b2 = management.server("farm", "webB").orElseThrow();
        assertEquals(42, a2.weight());
        assertEquals(AdminState.DRAIN, a2.adminState());
        assertEquals(AdminState.MAINT, b2.adminState());
        assertEquals(10, b2.weight(), "webB keeps its configured weight");
        assertFalse(b2.healthChecksEnabled(), "the health-check switch survives a reload");
    }

    /**
     * A saved weight that the next configuration's balancing refuses (static-rr keeps only 0 and the
     * configured weight, as HAProxy 2.6) is not applied and is forgotten; the engine still starts
     * managed, and the rest of the saved state (admin state) still applies.
     */
    @Test
    void aSavedWeightThatAStaticAlgorithmRefusesIsForgotten() throws Exception {
        ServerManagement management = new ServerManagement(stateFile());
        Engine first = farm(8081);
        management.attach(first);
        management.setWeight(OPERATOR, "farm", "webA", 42);
        management.setAdminState(OPERATOR, "farm", "webA", AdminState.DRAIN);
        management.detach(first);
        first.close();

        Engine second = Engine.start(ConfigLoader.load("farm.cfg", """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    balance static-rr
                    server webA 127.0.0.1:8081 weight 10
                    server webB 127.0.0.1:9 weight 10
                """.formatted(TestEngines.freePort())).config());
        engines.add(second);
        management.attach(second);
        ServerStatus a = management.server("farm", "webA").orElseThrow();
        assertEquals(10, a.weight(), "static-rr keeps the configured weight");
        assertEquals(AdminState.DRAIN, a.adminState());
        assertEquals(List.of(new SavedServerState("farm", "webA", "127.0.0.1:8081", null, AdminState.DRAIN)),
                stateFile().load().states());
        assertThrows(IllegalArgumentException.class, () -> management.setWeight(OPERATOR, "farm", "webA", 5));
    }

    @Test
    void aNewDeploymentReadsTheFileAndAMovedServerLosesItsState() throws Exception {
        ServerManagement before = new ServerManagement(stateFile());
        Engine first = farm(8081);
        before.attach(first);
        before.setAdminState(OPERATOR, "farm", "webA", AdminState.MAINT);
        before.setWeight(OPERATOR, "farm", "webB", 3);
        first.close();

        // a new deployment (or WildFly restart) whose configuration moved webA to another port
        ServerManagement after = new ServerManagement(stateFile());
        after.attach(farm(8089));
        assertEquals(AdminState.READY, after.server("farm", "webA").orElseThrow().adminState(), "moved: state reset");
        assertEquals(3, after.server("farm", "webB").orElseThrow().weight(), "unchanged server keeps its weight");
        assertEquals(List.of(new SavedServerState("farm", "webB", "127.0.0.1:9", 3, AdminState.READY)),
                stateFile().load().states(), "the reset is saved");
    }

    @Test
    void aDamagedStateFileIsReportedAndNeverFatal() throws Exception {
        Files.writeString(stateFile().path(), "farm\twebA\t127.0.0.1:8081\t-\tDRAIN\nthis line is damaged\n\u0000\u0001\n");
        ServerManagement management = new ServerManagement(stateFile());
        management.attach(farm(8081));
        assertEquals(AdminState.DRAIN, management.server("farm", "webA").orElseThrow().adminState(),
                "the readable line still applies");
        management.setAdminState(OPERATOR, "farm", "webB", AdminState.DRAIN);
        assertEquals(2, stateFile().load().states().size());
        assertTrue(stateFile().load().problems().isEmpty(), "saving rewrote a clean file");
    }

    @Test
    void badRequestsAreRejectedWithoutSavingAnything() throws Exception {
        ServerManagement management = new ServerManagement(stateFile());
        assertThrows(IllegalStateException.class, () -> management.setWeight(OPERATOR, "farm", "webA", 1), "no engine yet");
        management.attach(farm(8081));
        assertThrows(IllegalArgumentException.class, () -> management.setWeight(OPERATOR, "farm", "webA", 300));
        assertThrows(IllegalArgumentException.class, () -> management.setAdminState(OPERATOR, "farm", "nope", AdminState.MAINT));
        assertFalse(Files.exists(stateFile().path()));
    }
}
