package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigParser;
import io.tidegate.config.ParsedConfig;
import io.tidegate.config.ProxySection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks derived from configuration text, through the real parser. */
class ConfiguredChecksTest {

    private static Config parse(String text) {
        ParsedConfig parsed = new ConfigParser().parse("test.cfg", text);
        assertFalse(parsed.hasErrors(), () -> parsed.problems().toString());
        return parsed.config();
    }

    @Test
    void defaultServerValuesApplyUnderTheServerLine() {
        List<ServerCheck> checks = ServerChecks.of(parse("""
                defaults
                    mode http
                    default-server inter 3s fastinter 1s downinter 10s fall 5
                backend app
                    default-server rise 4
                    server a 127.0.0.1:8080 check
                    server b 127.0.0.1:8081 check rise 1 inter 500
                    server c 127.0.0.1:8082
                """));
        assertEquals(2, checks.size(), "server c has no 'check'");
        ServerCheck a = checks.get(0);
        assertEquals(new CheckIntervals(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(10)),
                a.intervals());
        assertEquals(4, a.rise());
        assertEquals(5, a.fall());
        ServerCheck b = checks.get(1);
        assertEquals(1, b.rise());
        assertEquals(Duration.ofMillis(500), b.intervals().inter());
        assertEquals(CheckTimeouts.total(Duration.ofMillis(500)), b.timeouts());
    }

    @Test
    void httpchkWithHeaderLinesAfterTheVersionAsInHaproxy() {
        Config config = parse("""
                backend app
                    mode http
                    option httpchk OPTIONS * HTTP/1.1\\r\\nHost:\\ www.example.com\\r\\nUser-Agent:\\ tidegate
                    http-check expect ! rstatus ^5
                    server a 127.0.0.1:8080 check
                """);
        ProxySection app = config.backend("app").orElseThrow();
        HttpCheckRequest request = HttpCheckRequest.of(config.effective(app).healthCheck());
        assertEquals("OPTIONS * HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: tidegate\r\n\r\n",
                new String(request.toBytes(), StandardCharsets.ISO_8859_1));
        HttpExpectation expect = HttpExpectation.of(config.effective(app).httpCheckExpect());
        assertTrue(expect.statusMatches(404));
        assertFalse(expect.statusMatches(503));
    }

    @Test
    void timeoutCheckAndTimeoutConnectShapeTheCheckTimeouts() {
        List<ServerCheck> checks = ServerChecks.of(parse("""
                backend app
                    timeout connect 200ms
                    timeout check 1500ms
                    server a 127.0.0.1:8080 check inter 1s
                    server b 127.0.0.1:8081 check inter 100ms
                """));
        assertEquals(new CheckTimeouts(Duration.ofMillis(200), Duration.ofMillis(1500)), checks.get(0).timeouts());
        assertEquals(new CheckTimeouts(Duration.ofMillis(100), Duration.ofMillis(1500)), checks.get(1).timeouts(),
                "connect is bounded by inter too");
    }

    @Test
    void sslHelloAndPortAndAddrFromTheServerLine() {
        List<ServerCheck> checks = ServerChecks.of(parse("""
                listen smtp
                    bind 127.0.0.1:2525
                    mode tcp
                    option ssl-hello-chk
                    server mx1 10.0.0.1:465 check addr 127.0.0.1 port 4650
                """));
        ServerCheck mx1 = checks.get(0);
        assertEquals("ssl-hello-chk", mx1.probe().toString());
        assertEquals(new InetSocketAddress("127.0.0.1", 4650), mx1.target());
    }

    @Test
    void aBackendServerWithoutAnyPortIsRefusedWithItsName() {
        Config config = parse("""
                backend app
                    server nop 127.0.0.1 check
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerChecks.of(config));
        assertTrue(e.getMessage().contains("app/nop"), e.getMessage());
    }
}
