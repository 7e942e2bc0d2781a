package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** stick-table affinity and hash-based balancing configured in HAProxy syntax, against loopback backends. */
class StickinessAndBalancingEndToEndTest extends EngineTestSupport {

    private final List<RecordingBackend> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(RecordingBackend::close);
    }

    private RecordingBackend server(String name) {
        RecordingBackend b = new RecordingBackend(name);
        servers.add(b);
        return b;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Engine startConfig(String text) throws Exception {
        Engine e = Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("s.cfg", text)),
                SupportedFeatures.CURRENT).config());
        track(e);
        return e;
    }

    @Test
    void stickOnACookieValueKeepsEachClientOnItsServer() throws Exception {
        RecordingBackend a = server("a");
        RecordingBackend b = server("b");
        int port = freePort();
        Engine engine = startConfig("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                listen web
                    bind 127.0.0.1:%d
                    stick-table type string len 32 size 1k expire 30m
                    stick on req.cook(sid)
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:%d
                """.formatted(port, a.port(), b.port()));
        Set<String> firstServers = new HashSet<>();
        for (String sid : List.of("u1", "u2", "u3", "u4")) {
            String first = null;
            for (int i = 0; i < 4; i++) {
                try (RawClient c = new RawClient(port)) {
                    c.send("GET / HTTP/1.1\r\nHost: t\r\nCookie: sid=" + sid + "\r\n\r\n");
                    String s = c.read().header("X-Server");
                    if (first == null) first = s;
                    assertEquals(first, s, "client " + sid + " stays on its server");
                }
            }
            firstServers.add(first);
        }
        assertEquals(Set.of("a", "b"), firstServers, "new keys are still balanced");
        RuntimeBackend be = engine.backendsForTest().get(0);
        assertEquals(4, be.stickTable().entries());
    }

    /**
     * {@code stick store-request} stores, {@code stick match} only looks up, and only the first
     * storing rule with a key stores (HAProxy's "only the first stick store-request of each table is
     * applied"). Debian's haproxy 2.6.12, run on this listen section with two servers, gave the same
     * placements: joe stays where his login went, unknown users are balanced, kim (first rule) is
     * stored and lee (second rule, same request) is not.
     */
    @Test
    void stickMatchOnlyLooksUpAndOnlyTheFirstStoreRuleStores() throws Exception {
        RecordingBackend a = server("a");
        RecordingBackend b = server("b");
        int port = freePort();
        Engine engine = startConfig("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                listen web
                    bind 127.0.0.1:%d
                    stick-table type string len 32 size 1k expire 30m
                    stick store-request req.hdr(x-login)
                    stick match req.hdr(x-user)
                    stick store-request req.hdr(x-second)
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:%d
                """.formatted(port, a.port(), b.port()));
        String joe = serverFor(port, "X-Login: joe");
        for (int i = 0; i < 4; i++) assertEquals(joe, serverFor(port, "X-User: joe"), "match finds the stored key");
        Set<String> ann = new HashSet<>();
        for (int i = 0; i < 4; i++) ann.add(serverFor(port, "X-User: ann"));
        assertEquals(Set.of("a", "b"), ann, "a key that was never stored is balanced");
        RuntimeBackend be = engine.backendsForTest().get(0);
        assertEquals(1, be.stickTable().entries(), "match rules store nothing");
        String kim = serverFor(port, "X-Login: kim\r\nX-Second: lee");
        assertEquals(2, be.stickTable().entries(), "only the first store rule with a key stored");
        for (int i = 0; i < 3; i++) assertEquals(kim, serverFor(port, "X-User: kim"));
    }

    /**
     * A full table with {@code expire} drops its least recently used key to store a new one, as
     * Debian's haproxy 2.6.12 did on the same section ({@code show table}: k1 dropped for k3); with
     * {@code nopurge} it stores nothing new, so the new key is balanced on every request.
     */
    @Test
    void aFullTableDropsItsLeastRecentlyUsedKeyUnlessNopurge() throws Exception {
        RecordingBackend a = server("a");
        RecordingBackend b = server("b");
        int purging = freePort();
        int keeping = freePort();
        Engine engine = startConfig("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                listen purging
                    bind 127.0.0.1:%d
                    stick-table type string len 32 size 2 expire 30m
                    stick on req.hdr(x-login)
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:%d
                listen keeping
                    bind 127.0.0.1:%d
                    stick-table type string len 32 size 2 expire 30m nopurge
                    stick on req.hdr(x-login)
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:%d
                """.formatted(purging, a.port(), b.port(), keeping, a.port(), b.port()));
        String k1 = serverFor(purging, "X-Login: k1");
        String k2 = serverFor(purging, "X-Login: k2");
        String k3 = serverFor(purging, "X-Login: k3");
        RuntimeBackend table = engine.backendsForTest().get(0);
        assertEquals(2, table.stickTable().entries());
        for (int i = 0; i < 4; i++) {
            assertEquals(k3, serverFor(purging, "X-Login: k3"), "the new key was stored");
            assertEquals(k2, serverFor(purging, "X-Login: k2"), "the recently used key stayed");
        }
        assertEquals(2, table.stickTable().entries());
        assertNotNull(k1);

        serverFor(keeping, "X-Login: k1");
        serverFor(keeping, "X-Login: k2");
        Set<String> k3Servers = new HashSet<>();
        for (int i = 0; i < 4; i++) k3Servers.add(serverFor(keeping, "X-Login: k3"));
        assertEquals(Set.of("a", "b"), k3Servers, "nopurge: a full table stores no new key, k3 is balanced");
    }

    private static String serverFor(int port, String headers) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n\r\n");
            return c.read().header("X-Server");
        }
    }

    @Test
    void balanceUriWithConsistentHashingSendsAPathToOneServer() throws Exception {
        RecordingBackend a = server("a");
        RecordingBackend b = server("b");
        RecordingBackend c3 = server("c");
        int port = freePort();
        startConfig("""
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                listen web
                    bind 127.0.0.1:%d
                    balance uri
                    hash-type consistent
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:%d
                    server c 127.0.0.1:%d
                """.formatted(port, a.port(), b.port(), c3.port()));
        Set<String> used = new HashSet<>();
        try (RawClient c = new RawClient(port)) {
            for (int p = 0; p < 30; p++) {
                String first = c.get("/item/" + p).header("X-Server");
                assertEquals(first, c.get("/item/" + p + "?again=1").header("X-Server"), "the query is not hashed");
                used.add(first);
            }
        }
        assertEquals(3, used.size(), "30 paths spread over the 3 servers");
    }

    @Test
    void tcpModeSwitchesByDestinationPortAndRejectsBySource() throws Exception {
        RecordingBackend a = server("a");
        RecordingBackend b = server("b");
        int portA = freePort();
        int portB = freePort();
        int portClosed = freePort();
        startConfig("""
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend raw
                    bind 127.0.0.1:%d,127.0.0.1:%d
                    use_backend bb if { dst_port %d }
                    default_backend aa
                frontend shut
                    bind 127.0.0.1:%d
                    tcp-request connection reject if { src 127.0.0.0/8 }
                    default_backend aa
                backend aa
                    balance source
                    server a 127.0.0.1:%d
                backend bb
                    server b 127.0.0.1:%d
                """.formatted(portA, portB, portB, portClosed, a.port(), b.port()));
        try (RawClient c = new RawClient(portA)) {
            assertEquals("a", c.get("/").header("X-Server"));
        }
        try (RawClient c = new RawClient(portB)) {
            assertEquals("b", c.get("/").header("X-Server"));
        }
        try (RawClient c = new RawClient(portClosed)) {
            assertTrue(c.isClosedByPeer(5000));
        }
    }
}
