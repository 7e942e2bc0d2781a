package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingOptionsTest extends EngineTestSupport {

    @Test
    void forwardForAddsTheClientAddress() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend().withForwardFor(ForwardForRule.standard()), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            RawClient.Response r = c.get("/");
            assertEquals("127.0.0.1", r.header("X-Seen-XFF"));
            // a header the client sent stays, ours is appended as its own line
            c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.1.1.1\r\n\r\n");
            RawClient.Response r2 = c.read();
            assertEquals("2", r2.header("X-Seen-XFF-Count"));
        }
    }

    @Test
    void forwardForExceptSkipsClientsOfThatNetwork() throws Exception {
        TestBackend a = backend("A");
        ForwardForRule rule = ForwardForRule.standard().withExcept(NetworkRange.parse("127.0.0.0/8"));
        Engine engine = start(plan(frontend().withForwardFor(rule), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            assertNull(c.get("/").header("X-Seen-XFF"));
        }
    }

    @Test
    void forwardForIfNoneKeepsTheClientsHeaderOnly() throws Exception {
        TestBackend a = backend("A");
        ForwardForRule rule = new ForwardForRule(List.of(), "X-Forwarded-For", true);
        Engine engine = start(plan(frontend().withForwardFor(rule), backendOf(a)));
        try (RawClient c = new RawClient(port(engine))) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\nx-forwarded-for: 10.1.1.1\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("1", r.header("X-Seen-XFF-Count"));
            assertEquals("10.1.1.1", r.header("X-Seen-XFF"));
        }
    }

    @Test
    void forwardForOnTheBackendAppliesToo() throws Exception {
        TestBackend a = backend("A");
        Engine engine = start(plan(frontend(), backendOf(a).withForwardFor(ForwardForRule.standard())));
        try (RawClient c = new RawClient(port(engine))) {
            assertEquals("127.0.0.1", c.get("/").header("X-Seen-XFF"));
        }
    }

    @Test
    void networkRangesMatchIpv4AndIpv6() throws Exception {
        NetworkRange v4 = NetworkRange.parse("192.168.0.0/16");
        assertTrue(v4.contains(java.net.InetAddress.getByName("192.168.4.5")));
        assertFalse(v4.contains(java.net.InetAddress.getByName("192.169.0.1")));
        assertFalse(v4.contains(java.net.InetAddress.getByName("::1")));
        NetworkRange v6 = NetworkRange.parse("fd00::/8");
        assertTrue(v6.contains(java.net.InetAddress.getByName("fd12::1")));
        assertFalse(v6.contains(java.net.InetAddress.getByName("fe80::1")));
        assertTrue(NetworkRange.parse("10.0.0.7").contains(java.net.InetAddress.getByName("10.0.0.7")));
    }
}
