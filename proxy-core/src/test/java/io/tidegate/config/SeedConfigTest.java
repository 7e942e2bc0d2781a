package io.tidegate.config;

import static io.tidegate.config.TestConfigs.lineOf;
import static io.tidegate.config.TestConfigs.linesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration example of the seed guide, loaded as written (addresses mapped to loopback):
 * what was parsed, and which of its keywords validation reports as not supported yet, at which line.
 */
class SeedConfigTest {

    private static String text;

    private static ProxySection only(String resource) {
        Config c = load(resource);
        assertEquals(1, c.proxies().size(), "proxies in " + resource);
        return c.proxies().get(0);
    }

    private static Config load(String resource) {
        text = TestConfigs.resource("seed/" + resource);
        return TestConfigs.parseClean(resource, text);
    }

    /** The validation errors of the resource as "line: message", sorted. */
    private static List<String> validationErrors(String resource) {
        String t = TestConfigs.resource("seed/" + resource);
        ParsedConfig parsed = TestConfigs.parse(resource, t);
        return new ConfigValidator(FixedFeatures.FOUNDATION).validate(parsed).stream()
                .filter(ConfigProblem::isError)
                .map(p -> p.pos().line() + ": " + p.message())
                .sorted().toList();
    }

    private static List<String> expected(String t, Object... snippetAndMessage) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < snippetAndMessage.length; i += 2) {
            String snippet = (String) snippetAndMessage[i];
            // a snippet ending in a newline must end the line
            List<Integer> lines = snippet.endsWith("\n")
                    ? TestConfigs.linesEndingWith(t, snippet.strip())
                    : linesOf(t, snippet);
            for (int line : lines) {
                result.add(line + ": " + snippetAndMessage[i + 1]);
            }
        }
        return result.stream().sorted().toList();
    }

    private static void assertServers(ProxySection p, String... nameHostPortCookie) {
        assertEquals(nameHostPortCookie.length / 4, p.servers().size(), "server count");
        for (int i = 0; i < p.servers().size(); i++) {
            Server s = p.servers().get(i);
            assertEquals(nameHostPortCookie[4 * i], s.name());
            assertEquals(nameHostPortCookie[4 * i + 1], s.host());
            assertEquals(Integer.parseInt(nameHostPortCookie[4 * i + 2]), s.port());
            assertEquals(nameHostPortCookie[4 * i + 3], s.options().cookie());
        }
    }

    private static final String[] WEB_ABCD = {"webA", "127.0.0.11", "80", "A", "webB", "127.0.0.12", "80", "B",
            "webC", "127.0.0.13", "80", "C", "webD", "127.0.0.14", "80", "D"};

    static List<String> seeds() {
        return TestConfigs.SEEDS;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySeedParsesWithoutErrorAndEveryProxyIsBound(String resource) {
        Config c = load(resource);
        assertFalse(c.proxies().isEmpty());
        for (ProxySection p : c.proxies()) {
            assertEquals(ProxyKind.LISTEN, p.kind());
            assertFalse(p.binds().isEmpty(), p.name() + " has a bind");
            assertFalse(p.servers().isEmpty(), p.name() + " has servers");
        }
    }

    @Test
    void section1CookieInsert() {
        ProxySection p = only("s1_cookie_insert.cfg");
        assertEquals("webfarm", p.name());
        assertEquals(List.of(new Bind("127.0.0.1", 80, null)), p.binds());
        assertEquals(Mode.HTTP, p.settings().mode());
        assertEquals(Balance.ROUNDROBIN, p.settings().balance());
        CookieSpec cookie = p.settings().cookie();
        assertEquals("SERVERID", cookie.name());
        assertEquals(CookieMode.INSERT, cookie.mode());
        assertTrue(cookie.indirect());
        assertFalse(cookie.nocache());
        assertEquals(HealthCheck.http("HEAD", "/index.html", "HTTP/1.0"), p.settings().healthCheck());
        assertServers(p, WEB_ABCD);
        assertTrue(p.servers().stream().allMatch(s -> s.options().isChecked()));
        // the unindented second block of the guide belongs to the same listen section
        assertEquals(lineOf(text, "server webD"), p.servers().get(3).pos().line());

        assertEquals(expected(text,
                        "option httpchk", "'option httpchk' is not supported yet",
                        "server web", "'server check' is not supported yet"),
                validationErrors("s1_cookie_insert.cfg"));
    }

    @Test
    void section2CookiePrefixWithHttpcloseAndForwardfor() {
        ProxySection p = only("s2_cookie_prefix.cfg");
        assertEquals("webfarm", p.name());
        assertEquals(CookieSpec.of("JSESSIONID", CookieMode.PREFIX), p.settings().cookie());
        assertEquals(ConnectionMode.CLOSE, p.settings().connectionMode());
        assertEquals(ForwardFor.ENABLED, p.settings().forwardFor());
        assertServers(p, WEB_ABCD);
        assertEquals(expected(text,
                        "option httpchk", "'option httpchk' is not supported yet",
                        "server web", "'server check' is not supported yet"),
                validationErrors("s2_cookie_prefix.cfg"));
    }

    @Test
    void section2WeightedServers() {
        ProxySection p = only("s2_weighted.cfg");
        assertEquals(List.of(12, 12, 26, 26), p.servers().stream().map(s -> s.options().weight()).toList());
        assertEquals(List.of(12, 12, 26, 26), p.servers().stream().map(s -> s.options().effectiveWeight()).toList());
        assertServers(p, WEB_ABCD);
    }

    @Test
    void section2_1BehindL4BalancersLogsHttpAndSkipsNullSessions() {
        ProxySection p = only("s2_1_l4.cfg");
        assertEquals(List.of(new Bind("127.0.0.1", 80, null)), p.binds());
        assertEquals(LogFormat.HTTP, p.settings().logFormat());
        assertTrue(p.settings().isOn(ProxyFlag.DONTLOGNULL));
        assertTrue(p.settings().isHttpClose());
        assertTrue(p.settings().isForwardFor());
        assertServers(p, WEB_ABCD);
        assertEquals(expected(text,
                        "option httpchk", "'option httpchk' is not supported yet",
                        "server web", "'server check' is not supported yet"),
                validationErrors("s2_1_l4.cfg"));
    }

    @Test
    void section2_2TcpSyslogWithSslHelloChecksAndBackup() {
        ProxySection p = only("s2_2_tcp_syslog.cfg");
        assertEquals("tcp-syslog-proxy", p.name());
        Bind bind = p.binds().get(0);
        assertTrue(bind.isAnyAddress());
        assertEquals(1514, bind.port());
        assertEquals(":1514", bind.address());
        assertEquals(Mode.TCP, p.settings().mode());
        assertEquals(HealthCheck.SSL_HELLO, p.settings().healthCheck());
        assertEquals(List.of("syslog-prod-site", "syslog-back-site"), p.servers().stream().map(Server::name).toList());
        assertFalse(p.servers().get(0).hasPort());
        assertEquals("127.0.0.20", p.servers().get(1).host());
        assertFalse(p.servers().get(0).options().isBackup());
        assertTrue(p.servers().get(1).options().isBackup());
        assertEquals(expected(text,
                        "mode tcp", "'mode tcp' is not supported yet",
                        "option ssl-hello-chk", "'option ssl-hello-chk' is not supported yet",
                        "server syslog", "'server check' is not supported yet"),
                validationErrors("s2_2_tcp_syslog.cfg"));
    }

    @Test
    void section3UnnamedListenIsNamedAfterItsAddressAndInsertsNocache() {
        ProxySection p = only("s3_https_insert.cfg");
        assertEquals("127.0.0.1:8000", p.name());
        assertEquals(List.of(new Bind("127.0.0.1", 8000, null)), p.binds());
        assertEquals(CookieSpec.of("SERVERID", CookieMode.INSERT).withIndirect(true).withNocache(true),
                p.settings().cookie());
        assertServers(p, WEB_ABCD);
    }

    @Test
    void section3_1ForwardforExceptTheLocalStunnel() {
        ProxySection p = only("s3_1_stunnel.cfg");
        assertEquals(new ForwardFor(true, "127.0.0.1", null, false), p.settings().forwardFor());
        assertEquals("X-Forwarded-For", p.settings().forwardFor().headerName());
        assertTrue(p.settings().cookie().nocache());
        assertServers(p, WEB_ABCD);
        assertEquals(expected(text,
                        "option forwardfor except", "'option forwardfor except' is not supported yet",
                        "option httpchk", "'option httpchk' is not supported yet",
                        "server web", "'server check' is not supported yet"),
                validationErrors("s3_1_stunnel.cfg"));
    }

    @Test
    void section4_1SoftStopWithCheckFilePersistAndRedispatch() {
        ProxySection p = only("s4_1_soft_stop_file.cfg");
        assertEquals("127.0.0.1:80", p.name());
        assertEquals(HealthCheck.http("HEAD", "/running", "HTTP/1.0"), p.settings().healthCheck());
        assertTrue(p.settings().isOn(ProxyFlag.PERSIST));
        assertTrue(p.settings().isOn(ProxyFlag.REDISPATCH));
        assertEquals(Duration.ofMillis(5000), p.settings().timeouts().connect());
        for (Server s : p.servers()) {
            assertEquals(Duration.ofSeconds(2), s.options().inter());
            assertEquals(2, s.options().effectiveRise());
            assertEquals(2, s.options().effectiveFall());
        }
        assertEquals(expected(text,
                        "option httpchk", "'option httpchk' is not supported yet",
                        "option persist", "'option persist' is not supported yet",
                        "server web", "'server check' is not supported yet",
                        "server web", "'server inter' is not supported yet",
                        "server web", "'server rise' is not supported yet",
                        "server web", "'server fall' is not supported yet"),
                validationErrors("s4_1_soft_stop_file.cfg"));
    }

    @Test
    void section4_2BackupServersShareCookiesAndCheckAnotherPort() {
        ProxySection p = only("s4_2_backup_soft_stop.cfg");
        assertEquals(8, p.servers().size());
        assertEquals(List.of("webA", "webB", "webC", "webD", "bkpA", "bkpB", "bkpC", "bkpD"),
                p.servers().stream().map(Server::name).toList());
        assertEquals(List.of("A", "B", "C", "D", "A", "B", "C", "D"),
                p.servers().stream().map(s -> s.options().cookie()).toList());
        assertEquals(List.of(81, 81, 81, 81, 80, 80, 80, 80),
                p.servers().stream().map(s -> s.options().port()).toList());
        assertEquals(List.of(false, false, false, false, true, true, true, true),
                p.servers().stream().map(s -> s.options().isBackup()).toList());
        assertTrue(p.settings().isOn(ProxyFlag.REDISPATCH));
        assertEquals(HealthCheck.http("HEAD", "/", "HTTP/1.0"), p.settings().healthCheck());
    }

    @Test
    void section4_2_1GlobalAndTcpDispatchWith14Timeouts() {
        Config c = load("s4_2_1_tcp_check_relay.cfg");
        assertTrue(c.global().daemon());
        assertTrue(c.global().quiet());
        assertEquals("/var/run/haproxy-checks.pid", c.global().pidfile());
        ProxySection p = c.proxies().get(0);
        assertEquals("127.0.0.1:81", p.name());
        assertEquals(List.of(new Bind("127.0.0.1", 81, null)), p.binds());
        assertEquals(Mode.TCP, p.settings().mode());
        assertEquals(List.of(new Server("dispatch", "127.0.0.1", 80, ServerOptions.NONE, null)), p.servers());
        Timeouts t = p.settings().timeouts();
        assertEquals(Duration.ofSeconds(1), t.connect());
        assertEquals(Duration.ofSeconds(10), t.client());
        assertEquals(Duration.ofSeconds(10), t.server());

        assertEquals(expected(text, "mode tcp", "'mode tcp' is not supported yet"),
                validationErrors("s4_2_1_tcp_check_relay.cfg"));
        List<String> warnings = new ConfigValidator(FixedFeatures.FOUNDATION)
                .validate(TestConfigs.parse("x", text)).stream()
                .filter(w -> !w.isError()).map(w -> w.pos().line() + ": " + w.message()).toList();
        assertEquals(List.of(
                lineOf(text, "daemon") + ": 'global daemon' is accepted but has no effect: Tidegate runs inside WildFly",
                lineOf(text, "quiet") + ": 'global quiet' is accepted but has no effect: Tidegate runs inside WildFly",
                lineOf(text, "pidfile") + ": 'global pidfile' is accepted but has no effect: Tidegate runs inside WildFly"),
                warnings);
    }

    @Test
    void section5OfficeProxiesUsePassiveSiteCookieAndRemoteBackup() {
        for (String op : List.of("s5_op1.cfg", "s5_op2.cfg", "s5_op3.cfg")) {
            ProxySection p = only(op);
            assertEquals(CookieSpec.of("SITE", CookieMode.PASSIVE), p.settings().cookie(), op);
            assertTrue(p.settings().isOn(ProxyFlag.REDISPATCH), op);
            Server local = p.servers().get(0);
            Server remote = p.servers().get(1);
            assertEquals(Duration.ofSeconds(30), local.options().inter(), op);
            assertEquals(Duration.ofSeconds(60), remote.options().inter(), op);
            assertFalse(local.options().isBackup(), op);
            assertTrue(remote.options().isBackup(), op);
            assertEquals(op.equals("s5_op3.cfg") ? "SD2" : "SD1", local.name(), op);
            assertEquals(op.equals("s5_op3.cfg") ? "SITE2" : "SITE1", local.options().cookie(), op);
            assertEquals(expected(text,
                            "cookie SITE\n", "'cookie (passive: no insert, prefix or rewrite)' is not supported yet",
                            "option httpchk", "'option httpchk' is not supported yet",
                            "server SD", "'server check' is not supported yet",
                            "server SD", "'server inter' is not supported yet"),
                    validationErrors(op), op);
        }
        assertEquals(List.of(new Bind("127.0.0.2", 80, null)), only("s5_op2.cfg").binds());
    }

    @Test
    void section5SiteDirectorsInsertTheSiteCookie() {
        ProxySection sd1 = only("s5_sd1.cfg");
        assertEquals(CookieSpec.of("SITE", CookieMode.INSERT).withIndirect(true), sd1.settings().cookie());
        assertTrue(sd1.settings().isForwardFor());
        assertServers(sd1, "S1L1", "127.0.0.11", "80", "SITE1", "S1L2", "127.0.0.12", "80", "SITE1",
                "S2L1", "127.0.0.21", "80", "SITE2", "S2L2", "127.0.0.22", "80", "SITE2");
        assertEquals(List.of(4000L, 4000L, 8000L, 8000L),
                sd1.servers().stream().map(s -> s.options().inter().toMillis()).toList());
        assertEquals(List.of(false, false, true, true),
                sd1.servers().stream().map(s -> s.options().isBackup()).toList());

        ProxySection sd2 = only("s5_sd2.cfg");
        assertEquals("127.0.0.20:80", sd2.name());
        assertEquals(List.of("S2L1", "S2L2", "S1L1", "S1L2"), sd2.servers().stream().map(Server::name).toList());
        assertTrue(sd2.servers().stream().allMatch(s -> s.options().port() == 81));
    }

    @Test
    void section5LocalBalancersHaveGraceAndACheckRelay() {
        for (String lb : List.of("s5_s1l1.cfg", "s5_s2l1.cfg")) {
            Config c = load(lb);
            String site = lb.equals("s5_s1l1.cfg") ? "1" : "2";
            assertEquals(List.of("127.0.0." + site + "1:80", "127.0.0." + site + "1:81"),
                    c.proxies().stream().map(ProxySection::name).toList(), lb);
            ProxySection web = c.proxies().get(0);
            assertEquals(Duration.ofSeconds(20), web.settings().grace());
            assertEquals(CookieSpec.of("JSESSIONID", CookieMode.PREFIX), web.settings().cookie());
            assertTrue(web.settings().isHttpClose());
            assertEquals(8, web.servers().size());
            assertEquals(IntStream.rangeClosed(1, 4).mapToObj(i -> "W" + site + i).toList(),
                    web.servers().subList(4, 8).stream().map(s -> s.options().cookie()).toList());
            assertTrue(web.servers().subList(4, 8).stream().allMatch(s -> s.options().isBackup()));
            ProxySection relay = c.proxies().get(1);
            assertEquals(Mode.TCP, relay.settings().mode());
            assertEquals(List.of(new Server("dispatch", "127.0.0." + site + "1", 80, ServerOptions.NONE, null)),
                    relay.servers());
            assertEquals(expected(text,
                            "grace", "'grace' is not supported yet",
                            "mode tcp", "'mode tcp' is not supported yet",
                            "option httpchk", "'option httpchk' is not supported yet",
                            "server ", "'server check' is not supported yet",
                            "server ", "'server port' is not supported yet",
                            "server ", "'server inter' is not supported yet"),
                    validationErrors(lb), lb);
        }
    }

    @Test
    void section6SourceAddressesPerServer() {
        ProxySection p = only("s6_source.cfg");
        assertEquals(Mode.TCP, p.settings().mode());
        assertEquals(8, p.servers().size());
        assertTrue(p.servers().stream().allMatch(s -> s.host().equals("127.0.0.11") && s.port() == 80));
        assertEquals(IntStream.rangeClosed(1, 8).mapToObj(i -> "127.0.0.10" + i).toList(),
                p.servers().stream().map(s -> s.options().source()).toList());
        assertEquals(expected(text,
                        "mode tcp", "'mode tcp' is not supported yet",
                        "server from", "'server source' is not supported yet"),
                validationErrors("s6_source.cfg"));
    }

    @Test
    void section7ServerMaxconnAndQueueTimeoutFromContimeout() {
        Config c = load("s7_maxconn.cfg");
        ProxySection p = c.proxies().get(0);
        assertEquals("appfarm", p.name());
        assertEquals(10000, p.settings().maxconn());
        assertEquals(List.of(4, 4, 4), p.servers().stream().map(s -> s.options().maxconn()).toList());
        ProxySettings effective = c.effective(p);
        assertEquals(Duration.ofMinutes(1), effective.timeouts().connect());
        assertEquals(Duration.ofMinutes(1), effective.timeouts().queue(), "queue defaults to connect");
        assertEquals(1000, effective.fullconn(), "10% of the listen's own maxconn");
        assertEquals(expected(text,
                        "maxconn 10000", "'maxconn' is not supported yet",
                        "option httpchk", "'option httpchk' is not supported yet",
                        "server rails", "'server check' is not supported yet"),
                validationErrors("s7_maxconn.cfg"));
    }

    @Test
    void section7MinconnMaxconnWithAbortonclose() {
        ProxySection p = only("s7_minconn.cfg");
        assertTrue(p.settings().isOn(ProxyFlag.ABORTONCLOSE));
        assertNull(p.settings().cookie());
        assertEquals(List.of(4, 4, 4), p.servers().stream().map(s -> s.options().minconn()).toList());
        assertEquals(List.of(12, 12, 12), p.servers().stream().map(s -> s.options().maxconn()).toList());
        assertEquals(Duration.ofSeconds(6), p.settings().timeouts().connect());
        assertEquals(expected(text,
                        "maxconn 10000", "'maxconn' is not supported yet",
                        "option abortonclose", "'option abortonclose' is not supported yet",
                        "server rails", "'server minconn' is not supported yet",
                        "server rails", "'server check' is not supported yet"),
                validationErrors("s7_minconn.cfg"));
    }
}
