package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.HealthCheck;
import io.tidegate.config.HttpCheckExpect;
import io.tidegate.config.ProxySettings;
import io.tidegate.config.Server;
import io.tidegate.config.ServerOptions;
import io.tidegate.config.Timeouts;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthCheckServiceTest {

    /** The guide's soft-stop section (§4.1): {@code option httpchk HEAD /running HTTP/1.0}. */
    private static final ProxySettings SOFT_STOP = ProxySettings.BUILT_IN
            .withHealthCheck(HealthCheck.http("HEAD", "/running", "HTTP/1.0"));
    /** {@code check inter 2000 rise 2 fall 2}. */
    private static final ServerOptions CHECK_2_2 = ServerOptions.NONE.withCheck(true)
            .withInter(Duration.ofMillis(2000)).withRise(2).withFall(2);

    private TestLoops worker;
    private TestHttpBackend backend;
    private SilentServers silent;
    private LogCapture log;
    private final List<HealthTransition> transitions = new CopyOnWriteArrayList<>();
    private HealthCheckService service;

    @BeforeEach
    void setUp() throws Exception {
        worker = new TestLoops("service-test", 2);
        backend = new TestHttpBackend();
        silent = new SilentServers();
        log = new LogCapture(HealthCheckService.LOG_CATEGORY);
        service = new HealthCheckService(worker.group, transitions::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        log.close();
        silent.close();
        backend.close();
        worker.close();
    }

    private Server webA(int port) {
        return new Server("webA", "127.0.0.1", port, CHECK_2_2, null);
    }

    private CheckOutcome check(ServerKey key) throws Exception {
        return service.check(key).get(10, TimeUnit.SECONDS);
    }

    private List<String> logged(Level level) {
        return log.lines.stream().filter(l -> l.level().equals(level))
                .map(l -> l.message().replaceAll("check duration: \\d+ms", "check duration: Nms"))
                .collect(Collectors.toList());
    }

    @Test
    void softStopTakesTheServerDownAfterFallFailuresAndBackAfterRiseSuccesses() throws Exception {
        ServerCheck sc = ServerCheck.of("bk", webA(backend.address().getPort()), CHECK_2_2, SOFT_STOP);
        service.register(sc);
        ServerKey key = sc.server();

        backend.status.set(200);
        assertEquals(HealthStatus.UP, check(key).after().status());

        backend.status.set(404);   // rm -f running
        CheckOutcome first = check(key);
        assertEquals(HealthStatus.UP_GOING_DOWN, first.after().status());
        assertTrue(transitions.isEmpty(), "one failure of fall 2 is not yet a transition");
        CheckOutcome second = check(key);
        assertTrue(second.changedUpDown());
        assertFalse(second.after().isUp());
        check(key);                // failures while down change nothing more
        assertEquals(1, transitions.size());
        HealthTransition down = transitions.get(0);
        assertTrue(down.wentDown());
        assertEquals(404, down.result().code());

        backend.status.set(200);   // touch running
        assertFalse(check(key).after().isUp(), "DOWN, going up");
        CheckOutcome back = check(key);
        assertTrue(back.after().isUp());
        assertEquals(2, transitions.size());
        assertFalse(transitions.get(1).wentDown());
        assertEquals(1, back.after().downTransitions());
        assertEquals(1, back.after().upTransitions());

        assertEquals(List.of("Server bk/webA is DOWN, reason: Layer7 wrong status, code: 404, info: \"Not Found\", "
                + "check duration: Nms. 0 active and 0 backup servers left. "
                + "0 sessions active, 0 requeued, 0 remaining in queue."), logged(Level.WARNING));
        assertEquals(List.of("backend 'bk' has no server available!"), logged(Level.SEVERE));
        assertEquals(List.of("Server bk/webA is UP, reason: Layer7 check passed, code: 200, check duration: Nms. "
                + "1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue."), logged(Level.INFO));
    }

    @Test
    void theListenerHearsEveryCheckAndCanRampTheWeightOfAServerThatCameBack() throws Exception {
        List<String> weights = new CopyOnWriteArrayList<>();
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Duration slowstart = Duration.ofSeconds(16);
        HealthListener engine = new HealthListener() {
            @Override
            public void onTransition(HealthTransition t) {
                transitions.add(t);
            }

            @Override
            public void onCheck(CheckOutcome o) {
                Instant upSince = o.after().upSince().orElse(null);
                weights.add(o.after().statusText() + " w="
                        + (o.after().isUp() ? SlowStart.effectiveWeight(32, upSince, clock.instant(), slowstart) : 0));
            }
        };
        service = new HealthCheckService(worker.group, engine, null, clock);
        ServerOptions o = ServerOptions.NONE.withCheck(true).withRise(1).withFall(1);
        ServerCheck sc = ServerCheck.of("bk", new Server("s", "127.0.0.1", backend.address().getPort(), o, null), o,
                SOFT_STOP);
        service.register(sc);
        backend.status.set(200);
        check(sc.server());                 // up since start: no ramp
        backend.status.set(503);
        clock.set(10);
        check(sc.server());                 // down
        backend.status.set(200);
        clock.set(20);
        check(sc.server());                 // back up at t=20: step 1 of 16
        clock.set(28);
        check(sc.server());                 // 8 s later: step 9 of 16
        clock.set(36);
        check(sc.server());                 // 16 s later: full weight
        assertEquals(List.of("UP w=32", "DOWN w=0", "UP w=2", "UP w=18", "UP w=32"), weights);
        assertEquals(2, transitions.size());
    }

    /** A clock the test moves by hand, in whole seconds after its start. */
    private static final class ManualClock extends Clock {
        private final Instant start;
        private final AtomicLong seconds = new AtomicLong();

        ManualClock(Instant start) {
            this.start = start;
        }

        void set(long secondsAfterStart) {
            seconds.set(secondsAfterStart);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(seconds.get());
        }
    }

    @Test
    void theLogLineCarriesTheCountsTheEngineReports() throws Exception {
        service = new HealthCheckService(worker.group, transitions::add,
                t -> new ServerCounts(3, 1, 12, 2, 0), Clock.systemUTC());
        Server s = new Server("webB", "127.0.0.1", SilentServers.closedPort().getPort(),
                ServerOptions.NONE.withCheck(true).withRise(1).withFall(1), null);
        ServerCheck sc = ServerCheck.of("bk", s, s.options(), ProxySettings.BUILT_IN);
        service.register(sc);
        check(sc.server());
        assertEquals(List.of("Server bk/webB is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", "
                + "check duration: Nms. 3 active and 1 backup servers left. "
                + "12 sessions active, 2 requeued, 0 remaining in queue."), logged(Level.WARNING));
        assertTrue(logged(Level.SEVERE).isEmpty());
    }

    @Test
    void remainingServersOfTheBackendAreCountedWhenNoSourceIsGiven() throws Exception {
        ServerOptions tcp11 = ServerOptions.NONE.withCheck(true).withRise(1).withFall(1);
        int up = backend.address().getPort();
        int down = SilentServers.closedPort().getPort();
        service.register(ServerCheck.of("bk", new Server("a", "127.0.0.1", up, tcp11, null), tcp11, ProxySettings.BUILT_IN));
        service.register(ServerCheck.of("bk", new Server("bkp", "127.0.0.1", up, tcp11.withBackup(true), null),
                tcp11.withBackup(true), ProxySettings.BUILT_IN));
        service.register(ServerCheck.of("other", new Server("x", "127.0.0.1", up, tcp11, null), tcp11, ProxySettings.BUILT_IN));
        ServerCheck failing = ServerCheck.of("bk", new Server("b", "127.0.0.1", down, tcp11, null), tcp11,
                ProxySettings.BUILT_IN);
        service.register(failing);
        check(failing.server());
        assertEquals(1, logged(Level.WARNING).size());
        assertTrue(logged(Level.WARNING).get(0).endsWith(
                ". 1 active and 1 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."),
                logged(Level.WARNING).get(0));
    }

    @Test
    void portAndAddrRedirectTheCheckButNotTheTraffic() throws Exception {
        int closed = SilentServers.closedPort().getPort();
        ServerOptions viaPort = CHECK_2_2.withPort(backend.address().getPort());
        ServerCheck byPort = ServerCheck.of("bk", new Server("p", "127.0.0.1", closed, viaPort, null), viaPort, SOFT_STOP);
        assertEquals(backend.address().getPort(), byPort.target().getPort());
        service.register(byPort);
        assertEquals(CheckStatus.L7OK, check(byPort.server()).result().status());

        // the traffic address is a documentation address that is never contacted; addr sends checks to loopback
        ServerOptions viaAddr = CHECK_2_2.withAddr("127.0.0.1");
        ServerCheck byAddr = ServerCheck.of("bk",
                new Server("a", "192.0.2.10", backend.address().getPort(), viaAddr, null), viaAddr, SOFT_STOP);
        assertEquals(new InetSocketAddress("127.0.0.1", backend.address().getPort()), byAddr.target());
        service.register(byAddr);
        assertEquals(CheckStatus.L7OK, check(byAddr.server()).result().status());
    }

    @Test
    void aServerWithoutAnyPortCannotBeChecked() {
        Server noPort = new Server("n", "127.0.0.1", 0, CHECK_2_2, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCheck.of("bk", noPort, CHECK_2_2, SOFT_STOP));
        assertTrue(e.getMessage().contains("bk/n"), e.getMessage());
    }

    @Test
    void defaultServerOptionsAndProxyTimeoutsApply() {
        ServerOptions defaults = ServerOptions.NONE.withInter(Duration.ofMillis(300)).withFall(1).withRise(5);
        ServerOptions line = ServerOptions.NONE.withCheck(true).withRise(3);
        ServerOptions effective = line.over(defaults);
        ProxySettings proxy = SOFT_STOP.withTimeouts(Timeouts.NONE.withConnect(Duration.ofMillis(100))
                .withCheck(Duration.ofMillis(700)))
                .withHttpCheckExpect(new HttpCheckExpect(false, "status", "200"));
        ServerCheck sc = ServerCheck.of("bk", new Server("d", "127.0.0.1", 80, line, null), effective, proxy);
        assertEquals(3, sc.rise());
        assertEquals(1, sc.fall());
        assertEquals(CheckIntervals.every(Duration.ofMillis(300)), sc.intervals());
        assertEquals(new CheckTimeouts(Duration.ofMillis(100), Duration.ofMillis(700)), sc.timeouts());
        assertTrue(sc.probe().toString().contains("HEAD /running HTTP/1.0"), sc.probe().toString());
        assertTrue(sc.probe().toString().contains("status 200"), sc.probe().toString());
    }

    @Test
    void theNextIntervalFollowsTheHealth() throws Exception {
        ServerOptions o = ServerOptions.NONE.withCheck(true).withInter(Duration.ofMillis(1000))
                .withFastinter(Duration.ofMillis(200)).withDowninter(Duration.ofMillis(5000)).withRise(2).withFall(2);
        ServerCheck sc = ServerCheck.of("bk", new Server("i", "127.0.0.1", backend.address().getPort(), o, null), o,
                SOFT_STOP);
        service.register(sc);
        ServerKey key = sc.server();
        assertEquals(Duration.ofMillis(200), service.nextInterval(key), "just started: fastinter");
        assertEquals(Duration.ofMillis(1000), check(key).nextInterval());
        backend.status.set(500);
        assertEquals(Duration.ofMillis(200), check(key).nextInterval());
        assertEquals(Duration.ofMillis(5000), check(key).nextInterval());
        assertEquals(Duration.ofMillis(5000), service.nextInterval(key));
    }

    @Test
    void aSecondRequestWhileACheckRunsJoinsIt() throws Exception {
        Server hung = new Server("h", "127.0.0.1", silent.neverAnswers().getPort(),
                CHECK_2_2.withInter(Duration.ofMillis(500)), null);
        ServerCheck sc = ServerCheck.of("bk", hung, hung.options(), SOFT_STOP);
        service.register(sc);
        CompletableFuture<CheckOutcome> a = service.check(sc.server());
        CompletableFuture<CheckOutcome> b = service.check(sc.server());
        assertSame(a, b);
        CheckOutcome o = a.get(10, TimeUnit.SECONDS);
        assertEquals(CheckStatus.L7TOUT, o.result().status());
        assertEquals(1, o.after().checks());
        CompletableFuture<CheckOutcome> c = service.check(sc.server());
        assertFalse(a == c, "a new check once the previous one finished");
        assertEquals(2, c.get(10, TimeUnit.SECONDS).after().checks());
    }

    @Test
    void aReloadKeepsTheHealthOfAServerWhoseRiseAndFallStayed() throws Exception {
        ServerCheck sc = ServerCheck.of("bk", webA(SilentServers.closedPort().getPort()), CHECK_2_2, SOFT_STOP);
        service.register(sc);
        check(sc.server());
        HealthState down = service.state(sc.server()).orElseThrow();
        assertFalse(down.isUp());
        service.register(sc, down);
        assertEquals(down, service.state(sc.server()).orElseThrow());
        service.register(sc.withInitial(InitialState.UP), HealthState.initial(5, 5, InitialState.FULLY_DOWN));
        assertEquals(HealthStatus.DOWN, service.state(sc.server()).orElseThrow().status());
        service.unregister(sc.server());
        assertTrue(service.state(sc.server()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> service.check(sc.server()));
    }
}
