package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One load-balancing pick (balance roundrobin, smooth weighted) per request, with 4 and 400
 * servers of weights 1..4, and one persistence-cookie lookup (server named by the cookie; the
 * last server, the longest search). Run with benchmarks/jmh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ServerSelectionBenchmark {
    @Param({"4", "400"})
    public int servers;

    private RuntimeBackend backend;
    private String lastCookie;

    @Setup
    public void setUp() {
        List<EnginePlan.Server> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            list.add(new EnginePlan.Server("s" + i, new InetSocketAddress("127.0.0.1", 10_000 + i), 1 + i % 4, false,
                    "c" + i));
        }
        lastCookie = "c" + (servers - 1);
        backend = new RuntimeBackend(new EnginePlan.Backend("bk", "roundrobin", list,
                CookiePolicy.insert("SERVERID", true, true), 3, false, ConnectionMode.KEEP_ALIVE, null,
                EnginePlan.Timeouts.DEFAULT), 1);
    }

    @Benchmark
    public RuntimeServer pickBalanced() {
        return backend.pickBalanced();
    }

    @Benchmark
    public RuntimeServer byCookie() {
        return backend.byCookie(lastCookie);
    }
}
