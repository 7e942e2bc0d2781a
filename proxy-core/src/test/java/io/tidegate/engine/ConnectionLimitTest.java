package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ConnectionLimitTest extends EngineTestSupport {

    @Test
    void globalMaxconnHoldsNewClientsUntilASessionEnds() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)).withMaxConnections(2));
        RawClient first = track(new RawClient(port(engine)));
        RawClient second = track(new RawClient(port(engine)));
        assertEquals(200, first.get("/1").status());
        assertEquals(200, second.get("/2").status());
        assertEquals(2, engine.currentConnections());

        RawClient third = track(new RawClient(port(engine)));   // connects, then waits in the backlog
        third.send("GET /3 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertFalse(third.answersWithin(500), "not served while two sessions are open");
        assertEquals(2, a.requests());

        first.close();
        assertEquals("A /3", third.read().bodyText(), "served once a slot is free");
        assertEquals(3, a.requests());
    }
}
