package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.engine.ServerStateChange.Aspect;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Listeners hear every real change of a server's health, admin state, weight and checks switch. */
class ServerStateListenerTest extends EngineTestSupport {

    @Test
    void everyChangeIsToldOnceWithBeforeAndAfter() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        List<ServerStateChange> heard = new CopyOnWriteArrayList<>();
        engine.addServerStateListener(heard::add);

        engine.setServerAdminState("be", "A", AdminState.DRAIN);
        engine.setServerAdminState("be", "A", AdminState.DRAIN);   // no change: nothing told
        engine.setServerWeight("be", "A", 7);
        engine.setServerUp("be", "A", false);
        engine.setServerUp("be", "A", false);
        engine.setServerHealthChecks("be", "A", false);

        assertEquals(List.of(
                new ServerStateChange("be", "A", Aspect.ADMIN_STATE, "READY", "DRAIN"),
                new ServerStateChange("be", "A", Aspect.WEIGHT, "1", "7"),
                new ServerStateChange("be", "A", Aspect.HEALTH, "UP", "DOWN"),
                new ServerStateChange("be", "A", Aspect.HEALTH_CHECKS, "enabled", "disabled"),
                new ServerStateChange("be", "A", Aspect.HEALTH, "DOWN", "UP")), heard);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersNorTheChange() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        List<ServerStateChange> heard = new CopyOnWriteArrayList<>();
        engine.addServerStateListener(c -> {
            throw new IllegalStateException("listener bug");
        });
        engine.addServerStateListener(heard::add);

        engine.setServerAdminState("be", "A", AdminState.MAINT);

        assertEquals(1, heard.size());
        assertEquals(AdminState.MAINT, engine.status().backends().get(0).servers().get(0).adminState());

        ServerStateListener removed = heard::add;
        engine.addServerStateListener(removed);
        engine.removeServerStateListener(removed);
        engine.setServerWeight("be", "A", 3);
        assertEquals(2, heard.size(), "a removed listener hears nothing");
    }
}
