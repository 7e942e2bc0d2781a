package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyAndBackpressureTest extends EngineTestSupport {

    @Test
    void largeResponseToASlowReaderArrivesIntact() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
            Thread.sleep(500);    // let every buffer on the way fill up: the proxy must hold back
            RawClient.Response r = c.read();
            assertEquals(4 << 20, r.body().length);
            for (int i = 0; i < r.body().length; i++) {
                if (r.body()[i] != (byte) ('a' + i % 23)) fail("corrupted at byte " + i);
            }
            assertEquals("A /next", c.get("/next").bodyText(), "the connection stays usable");
        }
    }

    @Test
    void pipelinedRequestsWithBodiesStayInOrder() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                String body = "body-" + i;
                if (i % 2 == 0) {
                    sb.append("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: ").append(body.length())
                            .append("\r\n\r\n").append(body);
                } else {
                    sb.append("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .append(Integer.toHexString(body.length())).append("\r\n").append(body).append("\r\n0\r\n\r\n");
                }
            }
            c.send(sb.toString());
            for (int i = 0; i < 8; i++) assertEquals("body-" + i, c.read().bodyText());
        }
    }

    @Test
    void manyClientsInParallelEachGetTheirOwnAnswers() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        Engine engine = start(plan(frontend(), backendOf(a, b)));
        int clients = 16;
        int perClient = 100;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                final int id = k;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (RawClient c = new RawClient(port(engine))) {
                        for (int i = 0; i < perClient; i++) {
                            String path = "/c" + id + "/r" + i;
                            String body = c.get(path).bodyText();
                            if (body.endsWith(" " + path)) ok++;
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) total += f.get(60, TimeUnit.SECONDS);
            assertEquals(clients * perClient, total);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients * perClient, a.requests() + b.requests());
        assertTrue(a.connections() + b.connections() <= 2 * clients, "server connections are reused");
        // sessions and requests end on the proxy after the clients have read their last answers
        var settled = Settled.await(engine::status, st -> st.frontends().get(0).currentSessions() == 0
                && st.backends().get(0).servers().stream().allMatch(s -> s.currentRequests() == 0));
        assertEquals(0, settled.frontends().get(0).currentSessions());
        assertEquals(clients, settled.frontends().get(0).totalSessions());
        settled.backends().get(0).servers().forEach(s -> assertEquals(0, s.currentRequests()));
    }
}
