package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The issue-15 keywords as files write them: log lines everywhere, log-format, source, tune.http.maxhdr. */
class EdgeConfigTest {

    private static List<String> problems(String text) {
        ParsedConfig p = TestConfigs.parse("t.cfg", text);
        return new ConfigValidator(SupportedFeatures.CURRENT).validate(p).stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void containerStyleLogToStdoutWithRawFormat() {
        Config c = TestConfigs.parseClean("t.cfg", """
                global
                    log stdout format raw local0
                    log stderr len 4096 format rfc5424 local1 notice info
                    log 127.0.0.1:5514 local2
                    log 127.0.0.1 local3 info
                defaults
                    log global
                    mode http
                """);
        assertEquals(List.of(
                new LogTarget("stdout", "raw", null, "local0", null, null),
                new LogTarget("stderr", "rfc5424", 4096, "local1", "notice", "info"),
                new LogTarget("127.0.0.1:5514", null, null, "local2", null, null),
                new LogTarget("127.0.0.1", null, null, "local3", "info", null)), c.global().logs());
        assertEquals(List.of(LogTarget.GLOBAL), ((DefaultsSection) c.sections().get(0)).settings().logs());
    }

    @Test
    void logLinesInProxiesAndNoLogValidate() {
        assertEquals(List.of(), problems("""
                global
                    log 127.0.0.1:514 local0
                defaults
                    mode http
                    log global
                    option httplog
                    option dontlognull
                frontend fe
                    bind :8080
                    log 127.0.0.1:1514 local1 info
                    default_backend be
                listen quiet
                    bind :8081
                    no log
                    server s 127.0.0.1:80
                backend be
                    server s 127.0.0.1:80
                """));
    }

    @Test
    void badLogLinesSayWhatIsExpected() {
        List<String> p = problems("""
                global
                    log stdout format json local0
                    log stdout local9
                    log stdout sample 1:2 local0
                """);
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:2:23") && p.get(0).contains("unknown log format 'json'; supported: raw, short, rfc3164, rfc5424"), p.get(0));
        assertTrue(p.get(1).contains("t.cfg:3:16") && p.get(1).contains("unknown log facility 'local9'"), p.get(1));
        assertTrue(p.get(2).contains("'sample') is not supported yet"), p.get(2));
    }

    @Test
    void monitorFailTakesAConditionOnTheGuidesL4Case() {
        Config c = TestConfigs.parseClean("t.cfg", """
                frontend www
                    bind :8080
                    mode http
                    acl site_dead nbsrv(app) lt 1
                    monitor-uri /site_alive
                    monitor fail if site_dead
                    monitor fail unless { nbsrv(app) ge 1 }
                    default_backend app
                backend app
                    mode http
                    server s 127.0.0.1:80
                """);
        ProxySection www = (ProxySection) c.sections().get(0);
        List<ProxyRule> fails = www.rules().stream().filter(r -> r.phase() == ProxyRule.Phase.MONITOR_FAIL).toList();
        assertEquals(2, fails.size());
        assertFalse(fails.get(0).condition().unless());
        assertEquals("site_dead", fails.get(0).condition().alternatives().get(0).get(0).name());
        assertTrue(fails.get(1).condition().unless());
        assertEquals(List.of("monitor", "fail", "if", "site_dead"), fails.get(0).words(), "written back as read");
    }

    @Test
    void badMonitorLinesSayWhatIsExpected() {
        List<String> p = problems("""
                frontend www
                    bind :8080
                    mode http
                    monitor-uri /up
                    monitor fail
                    monitor pass if TRUE
                    monitor fail when TRUE
                    monitor fail if nosuchacl
                    default_backend app
                backend app
                    monitor fail if TRUE
                    server s 127.0.0.1:80
                """);
        assertEquals(5, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:5:13") && p.get(0).contains("'monitor fail' needs 'if CONDITION'"), p.get(0));
        assertTrue(p.get(1).contains("t.cfg:6:13") && p.get(1).contains("unknown monitor statement 'pass'"), p.get(1));
        assertTrue(p.get(2).contains("t.cfg:7:18") && p.get(2).contains("'monitor fail' needs 'if CONDITION'"), p.get(2));
        assertTrue(p.get(3).contains("t.cfg:8:21") && p.get(3).contains("unknown ACL 'nosuchacl'"), p.get(3));
        assertTrue(p.get(4).contains("t.cfg:11:5") && p.get(4).contains("'monitor' is not allowed in a backend section"), p.get(4));
    }

    @Test
    void devLogIsAUnixDatagramTargetWithoutWarning() {
        assertEquals(List.of(), problems("global\n    log /dev/log local0\n    log /run/syslog.sock len 4096 local1 info\n"));
        Config c = TestConfigs.parseClean("t.cfg", "global\n    log /dev/log local0\n");
        assertTrue(c.global().logs().get(0).isUnixSocket());
    }

    @Test
    void logFormatWithUnknownVariableIsAnErrorAtItsWord() {
        assertEquals(List.of(), problems("listen f\n bind :80\n mode http\n log-format \"%ci:%cp %ST %{+Q}r\"\n server s 127.0.0.1:81\n"));
        List<String> p = problems("listen f\n bind :80\n mode http\n log-format %ci\\ %zz\n server s 127.0.0.1:81\n");
        assertEquals(1, p.size(), p.toString());
        // at the variable itself: column 18 of " log-format %ci\\ %zz" (the escaped space is 2 characters there)
        assertTrue(p.get(0).contains("t.cfg:4:18") && p.get(0).contains("unknown log-format variable at '%zz'"), p.get(0));
        List<LogFormatParser.Token> t = LogFormatParser.parse("%ci:%cp %{+Q}r 100%%");
        assertEquals(List.of(new LogFormatParser.Token(null, "ci", false), new LogFormatParser.Token(":", null, false),
                new LogFormatParser.Token(null, "cp", false), new LogFormatParser.Token(" ", null, false),
                new LogFormatParser.Token(null, "r", true), new LogFormatParser.Token(" 100%", null, false)), t);
    }

    @Test
    void sourceOnServersDefaultServerAndProxies() {
        Config c = TestConfigs.parseClean("t.cfg", """
                defaults
                    mode tcp
                    source 10.1.2.100
                backend a
                    server s1 10.1.1.1:80 source 10.1.2.1
                    server s2 10.1.1.1:80
                backend b
                    default-server source 10.1.2.3:1025-65000
                    source 10.1.2.4
                    server s3 10.1.1.1:80
                backend c
                    source [::1]:2000
                    server s4 10.1.1.1:80
                """);
        ProxySection a = c.backend("a").orElseThrow();
        assertEquals("10.1.2.1", c.effectiveServer(a, a.servers().get(0)).source());
        assertEquals("10.1.2.100", c.effectiveServer(a, a.servers().get(1)).source(), "from the defaults section");
        ProxySection b = c.backend("b").orElseThrow();
        assertEquals("10.1.2.3:1025-65000", c.effectiveServer(b, b.servers().get(0)).source(),
                "default-server's source wins over the proxy's, as a server's own does in HAProxy");
        ProxySection cc = c.backend("c").orElseThrow();
        assertEquals("[::1]:2000", c.effectiveServer(cc, cc.servers().get(0)).source());
        assertEquals(new SourceAddress("10.1.2.3", 1025, 65000), SourceAddress.parse("10.1.2.3:1025-65000"));
    }

    @Test
    void badSourceSaysWhy() {
        List<String> p = problems("backend b\n mode tcp\n server s 10.0.0.1:80 source 10.0.0.2:2000-1000\n source :80\n");
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:3:30") && p.get(0).contains("empty (low above high)"), p.get(0));
        assertTrue(p.get(1).contains("t.cfg:4:9") && p.get(1).contains("source needs an address"), p.get(1));
    }

    @Test
    void tuneHttpMaxhdr() {
        Config c = TestConfigs.parseClean("t.cfg", "global\n    tune.http.maxhdr 64\n");
        assertEquals(64, c.global().effectiveHttpMaxhdr());
        assertEquals(101, GlobalSection.EMPTY.effectiveHttpMaxhdr());
        assertTrue(problems("global\n    tune.http.maxhdr 0\n").get(0).contains("at least 1"));
    }

    @Test
    void everythingRoundTrips() {
        String text = """
                global
                    log stdout len 2048 format raw local0 info
                    tune.http.maxhdr 50
                defaults
                    mode http
                    log global
                    log-format "%ci:%cp %ST %{+Q}r"
                listen l
                    bind :81
                    capture cookie SERVERID= len 32
                    server s 10.0.0.1:80
                backend b
                    source 10.0.0.9:1000-2000
                    no log
                    server s 10.0.0.1:80 source 10.0.0.8
                """;
        Config c = TestConfigs.parseClean("t.cfg", text);
        String written = ConfigWriter.write(c);
        assertEquals(c, TestConfigs.parseClean("t.cfg", written), written);
    }
}
