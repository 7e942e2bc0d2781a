package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidegate.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** {@code default-server} options reach the engine's servers unless a server line says otherwise. */
class DefaultServerPlanTest {

    @Test
    void serversTakeDefaultServerOptionsAndTheirOwnLinesWin() throws Exception {
        EnginePlan plan = PlanBuilder.from(ConfigLoader.load("ds.cfg", """
                defaults
                    mode http
                listen x
                    bind 127.0.0.1:9999
                    default-server weight 10 slowstart 5s maxconn 7
                    server a 127.0.0.1:81
                    server b 127.0.0.1:82 weight 3
                """).config());
        EnginePlan.Server a = plan.backends().get(0).servers().get(0);
        EnginePlan.Server b = plan.backends().get(0).servers().get(1);
        assertEquals(10, a.weight());
        assertEquals(5000, a.slowstartMs());
        assertEquals(7, a.limits().maxconn());
        assertEquals(3, b.weight());
        assertEquals(7, b.limits().maxconn());
    }
}
