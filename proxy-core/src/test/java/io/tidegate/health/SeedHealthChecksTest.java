package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigParser;
import io.tidegate.config.FeatureUse;
import io.tidegate.config.ParsedConfig;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The health checks the guide's example configurations ask for, loaded as written. */
class SeedHealthChecksTest {

    private static final Set<String> HEALTH_OPTIONS = Set.of("server inter", "server fastinter", "server downinter",
            "server rise", "server fall", "server port", "server addr");

    /** Parses as written (the feature gate of the loader still lists health checks as not supported yet). */
    private static ParsedConfig parse(String path) throws Exception {
        try (InputStream in = SeedHealthChecksTest.class.getResourceAsStream("/config/" + path)) {
            assertNotNull(in, path);
            ParsedConfig parsed = new ConfigParser().parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertFalse(parsed.hasErrors(), () -> path + ": " + parsed.problems());
            return parsed;
        }
    }

    private static Config load(String path) throws Exception {
        return parse(path).config();
    }

    private static ServerCheck named(List<ServerCheck> checks, String server) {
        return checks.stream().filter(c -> c.server().server().equals(server)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s1_cookie_insert.cfg", "s2_cookie_prefix.cfg", "s2_weighted.cfg", "s2_1_l4.cfg",
        "s2_2_tcp_syslog.cfg", "s3_https_insert.cfg", "s3_1_stunnel.cfg", "s4_1_soft_stop_file.cfg",
        "s4_2_backup_soft_stop.cfg", "s4_2_1_tcp_check_relay.cfg", "s5_op1.cfg", "s5_op2.cfg", "s5_op3.cfg",
        "s5_sd1.cfg", "s5_sd2.cfg", "s5_s1l1.cfg", "s5_s2l1.cfg", "s6_source.cfg", "s7_maxconn.cfg",
        "s7_minconn.cfg"})
    void everySeedExampleGivesACheckForEachCheckedServer(String seed) throws Exception {
        ParsedConfig parsed = parse("seed/" + seed);
        Config config = parsed.config();
        for (FeatureUse use : parsed.features()) {
            String f = use.feature();
            if (f.contains("chk") || f.contains("check") || HEALTH_OPTIONS.contains(f)) {
                assertTrue(ServerChecks.FEATURES.contains(f), "health feature " + f + " of " + seed + " not listed");
            }
        }
        long checked = config.backends().stream()
                .flatMap(p -> p.servers().stream().filter(s -> config.effectiveServer(p, s).isChecked())).count();
        List<ServerCheck> checks = ServerChecks.of(config);
        assertEquals(checked, checks.size());
        for (ServerCheck c : checks) {
            assertTrue(c.target().getPort() > 0, c.toString());
            assertTrue(c.target().getAddress().isLoopbackAddress(), c.toString());
        }
    }

    @Test
    void softStopFileChecksHeadRunningEveryTwoSecondsWithRiseAndFallTwo() throws Exception {
        List<ServerCheck> checks = ServerChecks.of(load("seed/s4_1_soft_stop_file.cfg"));
        assertEquals(4, checks.size());
        ServerCheck webA = named(checks, "webA");
        assertEquals(new ServerKey("127.0.0.1:80", "webA"), webA.server());
        assertEquals(new InetSocketAddress("127.0.0.11", 80), webA.target());
        assertEquals(2, webA.rise());
        assertEquals(2, webA.fall());
        assertEquals(CheckIntervals.every(Duration.ofMillis(2000)), webA.intervals());
        assertEquals(CheckTimeouts.total(Duration.ofMillis(2000)), webA.timeouts());
        assertTrue(webA.probe().toString().startsWith("httpchk HEAD /running HTTP/1.0"), webA.probe().toString());
    }

    @Test
    void theModernSpellingGivesTheSameChecks() throws Exception {
        List<ServerCheck> seed = ServerChecks.of(load("seed/s4_1_soft_stop_file.cfg"));
        List<ServerCheck> modern = ServerChecks.of(load("modern/s4_1_soft_stop_file.cfg"));
        assertEquals(seed.stream().map(c -> List.of(c.server(), c.target(), c.intervals(), c.rise(), c.fall(),
                        c.probe().toString())).toList(),
                modern.stream().map(c -> List.of(c.server(), c.target(), c.intervals(), c.rise(), c.fall(),
                        c.probe().toString())).toList());
    }

    @Test
    void backupSoftStopChecksPort81ForNormalServersAndPort80ForBackups() throws Exception {
        List<ServerCheck> checks = ServerChecks.of(load("seed/s4_2_backup_soft_stop.cfg"));
        assertEquals(8, checks.size());
        ServerCheck webA = named(checks, "webA");
        ServerCheck bkpA = named(checks, "bkpA");
        assertEquals(new InetSocketAddress("127.0.0.11", 81), webA.target());
        assertFalse(webA.backup());
        assertEquals(new InetSocketAddress("127.0.0.11", 80), bkpA.target());
        assertTrue(bkpA.backup());
        assertEquals(3, bkpA.fall(), "HAProxy's default fall");
        assertEquals(2, bkpA.rise(), "HAProxy's default rise");
    }

    @Test
    void sslHelloChecksOfServersWithoutPortUseTheListenersPortAsHaproxy14Does() throws Exception {
        List<ServerCheck> checks = ServerChecks.of(load("seed/s2_2_tcp_syslog.cfg"));
        assertEquals(2, checks.size());
        for (ServerCheck c : checks) {
            assertEquals("ssl-hello-chk", c.probe().toString());
            assertEquals(1514, c.target().getPort());
        }
        assertTrue(named(checks, "syslog-back-site").backup());
    }

    @Test
    void siteDirectorsCheckTheRemoteSiteLessOften() throws Exception {
        List<ServerCheck> checks = ServerChecks.of(load("seed/s5_op1.cfg"));
        assertEquals(Duration.ofMillis(30000), named(checks, "SD1").intervals().inter());
        assertEquals(Duration.ofMillis(60000), named(checks, "SD2").intervals().inter());
        assertTrue(named(checks, "SD2").backup());
    }

    @Test
    void theSoftStopFlowOfTheGuideOnTheLoadedConfiguration() throws Exception {
        ServerCheck webA = named(ServerChecks.of(load("seed/s4_1_soft_stop_file.cfg")), "webA");
        try (TestLoops worker = new TestLoops("seed-flow", 1); TestHttpBackend backend = new TestHttpBackend()) {
            HealthCheckService service = new HealthCheckService(worker.group, t -> { });
            service.register(webA.withTarget(backend.address()));   // the guide's 192.168.1.11:80, on loopback
            ServerKey key = webA.server();
            backend.status.set(200);
            assertTrue(service.check(key).get(10, TimeUnit.SECONDS).after().isUp());
            backend.status.set(404);    // rm -f /home/httpd/www/running
            service.check(key).get(10, TimeUnit.SECONDS);
            CheckOutcome down = service.check(key).get(10, TimeUnit.SECONDS);
            assertTrue(down.changedUpDown(), "down after 2 failed checks (fall 2), i.e. 4 s at inter 2000");
            assertEquals(new TestHttpBackend.Seen("HEAD", "/running", "HTTP/1.0", null), backend.seen.peek());
        }
    }
}
