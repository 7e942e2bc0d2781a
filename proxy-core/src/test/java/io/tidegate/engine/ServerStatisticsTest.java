package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.CookieSpec;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.FrontendStatus;
import io.tidegate.engine.status.ServerStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counters JMX and the admin page show follow the traffic that really went through. */
class ServerStatisticsTest extends EngineTestSupport {

    private static InetSocketAddress deadAddress() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }

    @Test
    void requestsResponsesAndBytesAreCountedPerServerAndFrontend() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a)));
        long received = 0;
        try (RawClient c = new RawClient(port(engine))) {
            for (int i = 0; i < 3; i++) received += c.get("/").body().length;
            c.send("GET /nocontent HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(204, c.read().status());
            c.send("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n");
            assertEquals(400, c.read().status());
        }
        // bytes, the end of a request on its server and the frontend's totals are counted when an
        // exchange ends on the proxy, which may be just after the client read its answer
        final long read = received;
        EngineStatus settled = Settled.await(engine::status, st -> {
            ServerStatus sv = st.backends().get(0).servers().get(0);
            FrontendStatus fe = st.frontends().get(0);
            return sv.currentRequests() == 0 && sv.responses().success() == 4 && sv.bytesOut() > read
                    && fe.requestErrors() == 1 && fe.bytesIn() > sv.bytesIn() && fe.bytesOut() > sv.bytesOut();
        });
        ServerStatus s = settled.backends().get(0).servers().get(0);
        assertEquals(4, s.totalRequests());
        assertEquals(0, s.currentRequests());
        assertEquals(1, s.maxRequests(), "one client: never more than one request at once");
        assertEquals(4, s.responses().success());
        assertEquals(0, s.responses().clientError(), "the rejected request never reached the server");
        assertTrue(s.bytesIn() > 4 * "GET / HTTP/1.1\r\n".length(), "request bytes: " + s.bytesIn());
        assertTrue(s.bytesOut() > received, "response bytes include heads: " + s.bytesOut());

        FrontendStatus f = settled.frontends().get(0);
        assertEquals(1, f.requestErrors());
        assertTrue(f.bytesIn() > s.bytesIn(), "the frontend also counts the rejected request");
        assertTrue(f.bytesOut() > s.bytesOut(), "and the 400 it answered");
        assertEquals(1, f.totalSessions());
    }

    @Test
    void connectErrorsRetriesAndRedispatchesAreCountedOnTheFailingServer() throws Exception {
        TestBackend alive = backend("alive");
        EnginePlan.Backend be = backendPlan(List.of(server("dead", deadAddress(), 1).withCookie("D"),
                server("alive", alive.address(), 1).withCookie("L")))
                .withCookie(CookieSpec.insert("SERVERID", false, false)).withRetries(2).withRedispatch(true);
        Engine engine = start(plan(frontend(), be));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: SERVERID=D\r\n\r\n");
            assertEquals("alive", c.read().header("X-Server"));
        }
        ServerStatus dead = engine.status().backends().get(0).servers().get(0);
        ServerStatus ok = engine.status().backends().get(0).servers().get(1);
        assertEquals(2, dead.connectErrors(), "the first attempt and the first retry failed");
        assertEquals(2, dead.retries());
        assertEquals(1, dead.redispatches(), "the last retry went to another server");
        assertEquals(0, dead.responses().total());
        assertEquals(1, ok.responses().success());
        assertEquals(0, ok.connectErrors());
    }
}
