package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keywords real files use that blocked them: {@code option tcpka|clitcpka|srvtcpka|log-health-checks},
 * {@code http-check send|disable-on-404}, {@code on-marked-down|on-marked-up}, and environment
 * variables in addresses (expanded quoted or not, as HAProxy's address parser does).
 */
class CorpusBlockersConfigTest {

    private static ParsedConfig parse(Map<String, String> env, String text) {
        return new ConfigParser(env::get).parse("t.cfg", text);
    }

    private static List<String> errors(ParsedConfig p) {
        return p.problems().stream().filter(ConfigProblem::isError)
                .map(e -> e.pos().line() + ":" + e.pos().column() + ": " + e.message()).toList();
    }

    @Test
    void optionsAreInheritedFromDefaultsAndNegatedPerSection() {
        ParsedConfig p = parse(Map.of(), """
                defaults
                    mode tcp
                    option tcpka
                    option log-health-checks
                listen a
                    bind 127.0.0.1:8001
                    no option tcpka
                    option srvtcpka
                    server s 127.0.0.1:9001
                backend b
                    server s 127.0.0.1:9002
                """);
        assertEquals(List.of(), errors(p));
        ProxySettings a = p.config().effective(p.config().proxy("a").orElseThrow());
        assertFalse(a.flags().clientTcpKeepAlive());
        assertTrue(a.flags().serverTcpKeepAlive());
        assertTrue(a.flags().isOn(ProxyFlag.LOG_HEALTH_CHECKS));
        ProxySettings b = p.config().effective(p.config().proxy("b").orElseThrow());
        assertTrue(b.flags().serverTcpKeepAlive() && b.flags().clientTcpKeepAlive(), "tcpka from defaults");
    }

    @Test
    void clitcpkaIsRefusedInABackendAsHaproxyDoes() {
        ParsedConfig p = parse(Map.of(), "backend b\n    option clitcpka\n    server s 127.0.0.1:9\n");
        assertEquals(List.of("2:12: 'option clitcpka' is not allowed in a backend section (valid in: defaults, "
                + "listen, frontend)"), errors(p));
    }

    @Test
    void httpCheckSendAndDisableOn404() {
        ParsedConfig p = parse(Map.of(), """
                backend b
                    option httpchk
                    http-check send meth GET uri /health ver HTTP/1.1 hdr Host example.com
                    http-check disable-on-404
                    server s 127.0.0.1:9 check
                """);
        assertEquals(List.of(), errors(p));
        ProxySettings s = p.config().effective(p.config().proxy("b").orElseThrow());
        assertEquals(new HttpCheckSend("GET", "/health", "HTTP/1.1", List.of("Host: example.com"), null),
                s.httpCheckSend());
        assertTrue(s.flags().isOn(ProxyFlag.DISABLE_ON_404));
        ParsedConfig bad = parse(Map.of(), "backend b\n    http-check send meth\n    server s 127.0.0.1:9\n");
        assertEquals(List.of("2:21: 'meth' needs a value"), errors(bad));
    }

    @Test
    void onMarkedActionsLayerOverDefaultServer() {
        ParsedConfig p = parse(Map.of(), """
                backend b
                    default-server on-marked-down shutdown-sessions
                    server s1 127.0.0.1:9 on-marked-up shutdown-backup-sessions
                    server s2 127.0.0.1:10 on-marked-down kill
                """);
        assertEquals(List.of("4:43: unknown on-marked-down action 'kill'; expected shutdown-sessions"), errors(p));
        ProxySection b = p.config().proxy("b").orElseThrow();
        MarkedActions m = p.config().effectiveServer(b, b.server("s1").orElseThrow()).effectiveMarked();
        assertTrue(m.shutdownSessionsOnDown() && m.shutdownBackupSessionsOnUp());
    }

    @Test
    void environmentVariablesInAddressesExpandQuotedOrNot() {
        ParsedConfig p = parse(Map.of("PORT", "8080", "HOST", "127.0.0.2"), """
                listen a
                    mode tcp
                    bind 127.0.0.1:$PORT
                    server s "${HOST}:9000"
                    server t ${HOST}:$PORT
                """);
        assertEquals(List.of(), errors(p));
        ProxySection a = p.config().proxy("a").orElseThrow();
        assertEquals(8080, a.binds().get(0).port());
        assertEquals("127.0.0.2", a.server("s").orElseThrow().host());
        assertEquals(8080, a.server("t").orElseThrow().port());
    }

    @Test
    void anUnsetVariableExpandsToNothingAndTheErrorNamesIt() {
        ParsedConfig p = parse(Map.of(), "listen a\n    mode tcp\n    bind 127.0.0.1:$PORT\n    server s 127.0.0.1:9\n");
        assertEquals(List.of("3:10: missing port in address '127.0.0.1:' (environment variable PORT in "
                + "'127.0.0.1:$PORT' is not set; HAProxy expands an unset variable to nothing)"), errors(p));
    }

    @Test
    void theWriterKeepsTheNewKeywords() {
        Config c = parse(Map.of(), """
                defaults
                    mode http
                    option tcpka
                backend b
                    no option srvtcpka
                    option log-health-checks
                    option httpchk
                    http-check send meth GET uri /health hdr Host example.com
                    http-check disable-on-404
                    server s1 127.0.0.1:9 check on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions
                """).config();
        String written = ConfigWriter.write(c);
        Config again = parse(Map.of(), written).config();
        assertEquals(c.proxy("b").orElseThrow().settings(), again.proxy("b").orElseThrow().settings(), written);
        assertEquals(c.proxy("b").orElseThrow().servers(), again.proxy("b").orElseThrow().servers(), written);
        assertTrue(written.contains("http-check send meth GET uri /health hdr Host example.com"), written);
    }
}
