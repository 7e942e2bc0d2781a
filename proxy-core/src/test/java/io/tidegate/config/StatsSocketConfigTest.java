package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code global stats socket|timeout|maxconn}: parsing, writing back, errors with file:line:column. */
class StatsSocketConfigTest {

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("s.cfg", text).problems()).stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void socketsWithModeLevelAndExposeFd() {
        Config c = TestConfigs.parseClean("s.cfg", """
                global
                    stats socket /run/tidegate/admin.sock mode 600 level admin expose-fd listeners
                    stats socket /run/tidegate/ro.sock level user
                    stats socket /run/tidegate/op.sock
                    stats timeout 2m
                    stats maxconn 4
                listen web
                    bind 127.0.0.1:8080
                    server s 127.0.0.1:8081
                """);
        StatsSettings st = c.global().stats();
        assertEquals(3, st.sockets().size());
        StatsSocket admin = st.sockets().get(0);
        assertEquals("/run/tidegate/admin.sock", admin.path());
        assertEquals(0600, admin.mode());
        assertEquals(StatsSocket.Level.ADMIN, admin.level());
        assertTrue(admin.exposeFdListeners());
        assertEquals(StatsSocket.Level.USER, st.sockets().get(1).level());
        assertEquals(StatsSocket.Level.OPERATOR, st.sockets().get(2).level(), "HAProxy's default level");
        assertEquals(null, st.sockets().get(2).mode());
        assertEquals(120_000, st.timeoutMs());
        assertEquals(4, st.maxconn());
        assertEquals(c, TestConfigs.parseClean("s.cfg", ConfigWriter.write(c)), "written back and read again");
    }

    @Test
    void theSeamlessReloadSeedsSocketLineIsAccepted() {
        // seeds/000: "stats socket /run/haproxy/admin.sock mode 777 level admin expose-fd listeners"
        Config c = TestConfigs.parseClean("seed.cfg", """
                global
                    stats socket /run/haproxy/admin.sock mode 777 level admin expose-fd listeners
                """);
        StatsSocket s = c.global().stats().sockets().get(0);
        assertEquals("/run/haproxy/admin.sock", s.path());
        assertEquals(0777, s.mode());
        assertEquals(StatsSocket.Level.ADMIN, s.level());
        assertTrue(s.exposeFdListeners());
    }

    @Test
    void badWordsAreReportedWhereTheyAre() {
        assertEquals(List.of("s.cfg:2:36: error: stats socket level 'root': expected user, operator or admin"),
                errors("global\n    stats socket /tmp/a.sock level root\n"));
        assertEquals(List.of("s.cfg:2:35: error: stats socket mode '9x' is not an octal number such as 600"),
                errors("global\n    stats socket /tmp/a.sock mode 9x\n"));
        assertTrue(errors("global\n    stats socket ipv4@nope:x\n").get(0)
                .contains("is neither the absolute path of a UNIX socket nor a TCP address"));
        assertTrue(errors("global\n    stats socket /tmp/a.sock user haproxy\n").get(0)
                .contains("unsupported stats socket option 'user'"));
        assertTrue(errors("global\n    stats bind-process 1\n").get(0).startsWith("s.cfg:2:11: error: unknown 'stats bind-process'"));
    }

    @Test
    void tcpAddressesAsHaproxyAllows() {
        Config c = TestConfigs.parseClean("tcp.cfg", """
                global
                    stats socket ipv4@127.0.0.1:9902 level admin
                    stats socket *:1999 level user
                    stats socket unix@/tmp/x.sock
                """);
        List<StatsSocket> s = c.global().stats().sockets();
        assertTrue(s.get(0).isTcp());
        assertEquals(new java.net.InetSocketAddress("127.0.0.1", 9902), s.get(0).tcpAddress());
        assertEquals(1999, s.get(1).tcpAddress().getPort());
        assertTrue(s.get(1).tcpAddress().getAddress().isAnyLocalAddress());
        assertTrue(!s.get(2).isTcp());
        assertEquals("/tmp/x.sock", s.get(2).file());
    }
}
