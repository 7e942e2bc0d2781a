package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.engine.status.LatencyHistogram;
import io.tidegate.engine.status.ServerLatency;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each exchange with a server lands once in that server's queue, connect, response and total histograms. */
class LatencyHistogramTest extends EngineTestSupport {

    @Test
    void everyExchangeIsCountedInEachHistogram() throws Exception {
        TestBackend a = backend("A");
        try (SlowBackend slow = new SlowBackend("S", 300)) {
            EnginePlan.Backend be = backendPlan(List.of(server("A", a.address(), 1), server("S", slow.address(), 1)));
            Engine engine = start(plan(frontend(), be));
            try (RawClient c = new RawClient(port(engine))) {
                for (int i = 0; i < 4; i++) assertEquals(200, c.get("/").status());
            }
            // an exchange is recorded when it ends on the proxy, which may be just after the client read its answer
            ServerLatency fast = awaitCount(engine, "A", 2);
            ServerLatency slowOne = awaitCount(engine, "S", 2);
            for (LatencyHistogram h : List.of(fast.queue(), fast.connect(), fast.response(), fast.total(),
                    slowOne.queue(), slowOne.connect(), slowOne.response(), slowOne.total())) {
                assertEquals(2, h.count(), "round robin: two exchanges each");
                assertEquals(h.count(), h.cumulativeCounts().get(h.cumulativeCounts().size() - 1), "every observation is at most 30 s");
            }
            assertEquals(2, slowOne.queue().cumulativeCounts().get(0), "nobody waited in a queue");
            // the slow server answers after 300 ms: both its responses lie above the 0.25 s bound
            int at250ms = slowOne.response().upperBoundsSeconds().indexOf(0.25);
            assertEquals(0, slowOne.response().cumulativeCounts().get(at250ms));
            assertTrue(slowOne.response().sumSeconds() >= 0.6, "sum " + slowOne.response().sumSeconds());
            assertTrue(slowOne.total().sumSeconds() >= slowOne.response().sumSeconds());
            assertTrue(engine.serverLatency("be", "nope").isEmpty());
        }
    }

    /**
     * The server's histograms once each of them has {@code n} observations (bounded wait). A snapshot
     * reads the four histograms one after the other while the IO thread records an exchange in them
     * one after the other, so waiting on the total alone can still catch a queue histogram read just
     * before that exchange landed in it.
     */
    static ServerLatency awaitCount(Engine engine, String server, long n) throws InterruptedException {
        return Settled.await(() -> engine.serverLatency("be", server).orElseThrow(), l -> l.queue().count() >= n
                && l.connect().count() >= n && l.response().count() >= n && l.total().count() >= n);
    }

    @Test
    void quantilesInterpolateWithinTheirBucket() {
        LatencyHistogram h = new LatencyHistogram(List.of(0.1, 0.2, 0.4), List.of(50L, 90L, 100L), 12.0, 100);
        assertEquals(0.1, h.quantileSeconds(0.5), 1e-9);
        assertEquals(0.15, h.quantileSeconds(0.7), 1e-9);
        assertEquals(0.4, h.quantileSeconds(1.0), 1e-9);
        assertEquals(0, new LatencyHistogram(List.of(0.1), List.of(0L), 0, 0).quantileSeconds(0.99));
        LatencyHistogram sum = h.plus(h);
        assertEquals(200, sum.count());
        assertEquals(List.of(100L, 180L, 200L), sum.cumulativeCounts());
    }
}
