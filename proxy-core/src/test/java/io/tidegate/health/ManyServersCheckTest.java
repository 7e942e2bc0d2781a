package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.HealthCheck;
import io.tidegate.config.ProxySettings;
import io.tidegate.config.Server;
import io.tidegate.config.ServerOptions;
import io.tidegate.config.Timeouts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.tidegate.net.EventLoop;

/**
 * 200 servers checked every 100 ms, 20 rounds each, on the engine's IO loops, driven the way the EJB
 * interval timers drive the service (fixed cadence, first checks spread over one interval). Asserts
 * that every server gets every one of its checks without new threads; reports the CPU time the IO
 * threads spent per check. The count of checks is bounded by rounds, not by a wall-clock window, so
 * a busy machine makes the run slower but not different.
 */
class ManyServersCheckTest {

    private static final int SERVERS = 200;
    private static final Duration INTER = Duration.ofMillis(100);
    private static final int ROUNDS = 20;
    private static final String WORKER = "many-checks";

    private TestLoops worker;
    private TestHttpBackend backend;
    private volatile boolean stopped;

    @BeforeEach
    void setUp() throws Exception {
        backend = new TestHttpBackend();
        worker = new TestLoops(WORKER, 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        stopped = true;
        worker.close();
        backend.close();
    }

    /** One server's timer: fires at a fixed cadence, like a non-persistent EJB interval timer. */
    private final class Timer {
        final ServerKey key;
        final EventLoop loop;
        final HealthCheckService service;
        final Queue<CompletableFuture<CheckOutcome>> started;
        long dueNanos;
        int fired;
        /** The checks this timer's fires got: a fire while the previous check still runs joins it (HAProxy starts none). */
        final Set<CompletableFuture<CheckOutcome>> checks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        Timer(ServerKey key, EventLoop loop, HealthCheckService service,
              Queue<CompletableFuture<CheckOutcome>> started, long dueNanos) {
            this.key = key;
            this.loop = loop;
            this.service = service;
            this.started = started;
            this.dueNanos = dueNanos;
        }

        void arm() {
            if (!loop.inLoop()) {
                loop.execute(this::arm);
                return;
            }
            loop.schedule(this::fire, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        void fire() {
            if (stopped || fired == ROUNDS) {
                return;
            }
            fired++;
            CompletableFuture<CheckOutcome> check = service.check(key);
            checks.add(check);
            started.add(check);
            dueNanos += service.nextInterval(key).toNanos();
            arm();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "http"})
    void everyServerGetsItsChecksWithoutExtraThreads(String kind) throws Exception {
        HealthCheckService service = new HealthCheckService(worker.group, t -> { });
        // timeout check 1s: without it a check must finish within inter (100 ms), which a shared test
        // machine cannot promise for every one of ~4000 checks
        ProxySettings base = ProxySettings.BUILT_IN.withTimeouts(Timeouts.NONE.withCheck(Duration.ofSeconds(1)));
        ProxySettings proxy = kind.equals("http")
                ? base.withHealthCheck(HealthCheck.http("HEAD", "/running", "HTTP/1.0"))
                : base;
        ServerOptions options = ServerOptions.NONE.withCheck(true).withInter(INTER).withRise(2).withFall(3);
        List<ServerKey> keys = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            Server s = new Server("s" + i, "127.0.0.1", backend.address().getPort(), options, null);
            // fully up: a steady server is checked at inter (a just-started one would use fastinter, = inter here)
            ServerCheck sc = ServerCheck.of("bk", s, options, proxy).withInitial(InitialState.FULLY_UP);
            service.register(sc);
            keys.add(sc.server());
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<Long> threadsBefore = liveThreadIds(threads);
        long cpuBefore = workerCpuNanos(threads);
        long processCpuBefore = processCpuNanos();

        Queue<CompletableFuture<CheckOutcome>> started = new ConcurrentLinkedQueue<>();
        List<Timer> timers = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int i = 0; i < SERVERS; i++) {
            long offset = CheckIntervals.firstDelay(INTER, i, SERVERS).toNanos();
            Timer t = new Timer(keys.get(i), worker.group.get(0), service, started, start + offset);
            timers.add(t);
            t.arm();
        }
        // every timer fires ROUNDS times; wait (bounded) until all of those checks have been started and ended
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (started.size() < (long) SERVERS * ROUNDS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals((long) SERVERS * ROUNDS, started.size(), "checks started before the 60 s bound");
        List<CheckResult> failed = new ArrayList<>();
        for (CompletableFuture<CheckOutcome> f : started) {
            CheckResult r = f.get(10, TimeUnit.SECONDS).result();
            if (!r.passed()) {
                failed.add(r);
            }
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        stopped = true;

        long cpu = workerCpuNanos(threads) - cpuBefore;
        long processCpu = processCpuNanos() - processCpuBefore;
        Set<Long> newThreads = liveThreadIds(threads);
        newThreads.removeAll(threadsBefore);

        long[] counts = keys.stream().mapToLong(k -> service.state(k).orElseThrow().checks()).toArray();
        long total = Arrays.stream(counts).sum();
        long min = Arrays.stream(counts).min().orElseThrow();
        long max = Arrays.stream(counts).max().orElseThrow();
        System.out.printf("[%s] %d servers, %d checks in %d ms (per server min %d, max %d); "
                        + "IO-thread CPU %.1f us/check, whole-process CPU (incl. test backend) %.1f us/check%n",
                kind, SERVERS, total, elapsedMs, min, max, cpu / 1000.0 / total, processCpu / 1000.0 / total);

        // each fire ran a check or joined the one still running: none lost, none run twice
        for (int i = 0; i < SERVERS; i++) {
            Timer t = timers.get(i);
            assertEquals(ROUNDS, t.fired, keys.get(i).toString());
            assertEquals(t.checks.size(), counts[i], "checks run for " + keys.get(i) + " = distinct checks its timer got");
        }
        // inter 100 ms bounds each connect to 100 ms (HAProxy's rule): on a machine busy with other work
        // a rare check can miss it. Allow 1% of the checks to time out; a systematic failure still fails.
        assertTrue(failed.size() <= total / 100,
                failed.size() + " of " + total + " checks failed, e.g. " + failed.stream().limit(3).toList());
        for (ServerKey k : keys) {
            assertEquals(HealthStatus.UP, service.state(k).orElseThrow().status(), k.toString());
        }
        assertTrue(newThreads.isEmpty(), "threads created while checking: " + names(threads, newThreads));
    }

    private static Set<Long> liveThreadIds(ThreadMXBean threads) {
        Set<Long> ids = new HashSet<>();
        for (long id : threads.getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    private static String names(ThreadMXBean threads, Set<Long> ids) {
        return ids.stream().map(id -> threads.getThreadInfo(id)).filter(i -> i != null)
                .map(ThreadInfo::getThreadName).collect(Collectors.joining(", "));
    }

    /** CPU time of the checking worker's IO threads. */
    private static long workerCpuNanos(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(WORKER)) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, t);
            }
        }
        return sum;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
