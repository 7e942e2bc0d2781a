package io.tidegate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.control.audit.AccessRefused;
import io.tidegate.control.audit.Actor;
import io.tidegate.control.audit.AuditEntry;
import io.tidegate.control.audit.Role;
import io.tidegate.control.config.InvalidConfiguration;
import io.tidegate.control.config.StaleConfiguration;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles are checked by the management service itself and every change or refusal lands in the audit log. */
class ManagementAuditTest {

    private static final Actor VIEWER = Actor.user("vera", Set.of(Role.VIEWER));
    private static final Actor OPERATOR = Actor.user("otto", Set.of(Role.VIEWER, Role.OPERATOR));
    private static final Actor ADMIN = Actor.user("ada", Set.of(Role.ADMIN, Role.VIEWER));

    private static final String CONFIG = """
            # the farm
            listen farm
                bind 127.0.0.1:18088
                mode http
                cookie JSESSIONID insert indirect nocache   # pin clients
                server webA 127.0.0.1:18081 cookie A weight 10
                server webB 127.0.0.1:18082 cookie B weight 10
            """;

    @TempDir
    Path dir;

    private Path config;
    private final AtomicInteger reloads = new AtomicInteger();
    private final List<Engine> engines = new ArrayList<>();
    private ServerManagement management;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("tidegate.cfg");
        Files.writeString(config, CONFIG);
        management = new ServerManagement(config, () -> {
            reloads.incrementAndGet();
            return Optional.empty();
        });
        Engine e = TestEngines.farm(18081);
        engines.add(e);
        management.attach(e);
    }

    @AfterEach
    void close() {
        engines.forEach(Engine::close);
    }

    @Test
    void aViewerIsRefusedEveryChangeAndTheRefusalIsAudited() {
        assertThrows(AccessRefused.class, () -> management.setWeight(VIEWER, "farm", "webA", 1));
        assertThrows(AccessRefused.class, () -> management.setAdminState(VIEWER, "farm", "webA", AdminState.MAINT));
        assertThrows(AccessRefused.class, () -> management.setHealthChecks(VIEWER, "farm", "webA", false));
        assertThrows(AccessRefused.class, () -> management.saveConfiguration(VIEWER, "edit", "x", management.configuration().stamp()));
        assertEquals(10, management.server("farm", "webA").orElseThrow().weight(), "nothing changed");
        assertEquals(AdminState.READY, management.server("farm", "webA").orElseThrow().adminState());

        List<AuditEntry> history = management.history();
        assertEquals(4, history.size());
        assertTrue(history.stream().allMatch(e -> e.who().equals("vera") && e.outcome() == AuditEntry.Outcome.REFUSED), history.toString());
        assertEquals("set weight", history.get(3).action());
        assertEquals("farm/webA", history.get(3).target());
    }

    @Test
    void readingTheStatusNeedsARole() {
        Actor nobody = Actor.user("mallory", Set.of());
        assertThrows(AccessRefused.class, () -> management.status(nobody));
        assertTrue(management.status(VIEWER).isPresent());
        assertEquals(List.of("mallory", "read the status", "REFUSED"), List.of(management.history().get(0).who(),
                management.history().get(0).action(), management.history().get(0).outcome().name()));
    }

    @Test
    void anOperatorChangesServersButNotTheConfiguration() {
        management.setWeight(OPERATOR, "farm", "webA", 3);
        management.setAdminState(OPERATOR, "farm", "webB", AdminState.DRAIN);
        assertThrows(AccessRefused.class, () -> management.savePersistence(OPERATOR, "farm", null, Map.of(),
                management.configuration().stamp()));
        assertEquals(CONFIG, management.configuration().text(), "the file is untouched");

        List<AuditEntry> history = management.history();
        AuditEntry weight = history.get(2);
        assertEquals(List.of("otto", "set weight", "farm/webA", "10", "3", AuditEntry.Outcome.DONE),
                List.of(weight.who(), weight.action(), weight.target(), weight.before(), weight.after(), weight.outcome()));
        AuditEntry drain = history.get(1);
        assertEquals(List.of("READY", "DRAIN"), List.of(drain.before(), drain.after()));
        assertEquals(AuditEntry.Outcome.REFUSED, history.get(0).outcome());
    }

    @Test
    void anAdminChangesPersistenceTheOldVersionIsKeptAndRestoringItIsAnUndo() {
        String before = management.configuration().stamp();
        CookieSpec prefix = CookieSpec.of("JSESSIONID", CookieMode.PREFIX);
        String after = management.savePersistence(ADMIN, "farm", prefix, Map.of(), before);

        String text = management.configuration().text();
        assertTrue(text.contains("    cookie JSESSIONID prefix   # pin clients\n"), text);
        assertTrue(text.startsWith("# the farm\n"), "comments are kept");
        assertEquals(after, management.configuration().stamp());
        assertEquals(1, reloads.get(), "applied by reload");
        assertEquals(2, management.versions().size(), "the replaced and the new version are kept");

        // a second editor still holding the old stamp is refused
        assertThrows(StaleConfiguration.class, () -> management.savePersistence(ADMIN, "farm", null, Map.of(), before));
        assertEquals(text, management.configuration().text());

        // undo: restore the first version
        String firstId = management.versions().get(1).id();
        management.restoreVersion(ADMIN, firstId, after);
        assertEquals(CONFIG, management.configuration().text());
        assertEquals(2, reloads.get());

        // the log survives a new management service (a restart) and names the user
        ServerManagement restarted = new ServerManagement(config, Optional::empty);
        List<String> actions = restarted.history().stream().map(e -> e.who() + " " + e.action() + " " + e.outcome()).toList();
        assertEquals(List.of("ada restore version " + firstId + " DONE", "ada change persistence of farm FAILED",
                "ada change persistence of farm DONE"), actions);
    }

    @Test
    void anInvalidConfigurationIsRefusedWithItsLineAndColumnAndNothingIsWritten() {
        String stamp = management.configuration().stamp();
        InvalidConfiguration e = assertThrows(InvalidConfiguration.class,
                () -> management.saveConfiguration(ADMIN, "edit configuration", CONFIG + "    balance nonsense\n", stamp));
        assertTrue(e.getMessage().contains("tidegate.cfg:8:"), e.getMessage());
        assertEquals(CONFIG, management.configuration().text());
        assertEquals(0, reloads.get());
        assertFalse(management.history().isEmpty());
        assertEquals(AuditEntry.Outcome.FAILED, management.history().get(0).outcome());
    }

    @Test
    void theDiffShowsExactlyTheChangedLines() {
        String edited = management.withPersistence(CONFIG, "farm", CookieSpec.of("JSESSIONID", CookieMode.PREFIX), Map.of("webB", "C"));
        List<String> diff = management.diffAgainstCurrent(edited);
        List<String> changed = diff.stream().filter(l -> (l.startsWith("-") || l.startsWith("+")) && !l.startsWith("---") && !l.startsWith("+++")).toList();
        assertEquals(List.of(
                "-    cookie JSESSIONID insert indirect nocache   # pin clients",
                "+    cookie JSESSIONID prefix   # pin clients",
                "-    server webB 127.0.0.1:18082 cookie B weight 10",
                "+    server webB 127.0.0.1:18082 cookie C weight 10"), changed, diff.toString());
        assertTrue(diff.get(0).startsWith("--- tidegate.cfg (running)"), diff.get(0));
    }
}
