package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;
import io.tidegate.config.CookieSpec;
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
 * servers of weights 1..4. The persistence-cookie lookup is in {@link CookieBenchmark}. Run with
 * benchmarks/jmh.
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

    @Setup
    public void setUp() {
        backend = backend(servers, null);
    }

    /** A roundrobin backend of {@code count} servers s0.. with weights 1..4 and cookie values c0.. */
    static RuntimeBackend backend(int count, CookieSpec cookie) {
        List<EnginePlan.Server> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(EnginePlanServerBuilder.builder()
                    .name("s" + i)
                    .address(new InetSocketAddress("127.0.0.1", 10_000 + i))
                    .weight(1 + i % 4)
                    .cookie("c" + i)
                    .build());
        }
        return new RuntimeBackend(EnginePlanBackendBuilder.builder()
                .name("bk")
                .balance("roundrobin")
                .servers(list)
                .cookie(cookie)
                .retries(3)
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build(), 1);
    }

    @Benchmark
    public RuntimeServer pickBalanced() {
        return backend.pickBalanced();
    }
}
