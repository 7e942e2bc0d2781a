package io.tidegate.engine;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import io.tidegate.http.RequestHead;
import io.tidegate.http.SampleHeads;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rate limiting costs per request on a keep-alive connection: {@code http-request track-sc0 src}
 * and a deny on {@code sc_http_req_rate(0)} (track, count, read the rate, release at the end of the
 * exchange), beside the same request with no rule. gc.alloc.rate.norm shows the tracked path
 * allocates nothing per request. Run with benchmarks/jmh RateLimit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RateLimitBenchmark {
    private ProxyRules rules;
    private ExchangeFacts facts;
    private RequestHead request;

    @Setup
    public void setUp() throws Exception {
        Config config = ConfigLoader.loadSources(List.of(new ConfigSource("bench.cfg", """
                frontend fe
                    mode http
                    bind 127.0.0.1:1
                    stick-table type ip size 100k expire 30s store http_req_rate(10s),conn_cur
                    http-request track-sc0 src
                    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 1000000000 }
                    default_backend be
                backend be
                    server s 127.0.0.1:9
                """)), SupportedFeatures.CURRENT).config();
        RuntimeGraph g = new RuntimeGraph(config, PlanBuilder.from(config), 1, null, Map.of());
        rules = g.frontend("fe").rules;
        request = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST);
        facts = new ExchangeFacts(new InetSocketAddress("203.0.113.9", 40000), null);
    }

    /** One request of a keep-alive connection through track-sc0 + the rate check, and the end of its exchange. */
    @Benchmark
    public int trackedRequest() {
        facts.beginRequest(request);
        if (facts.tracked != null) facts.tracked.requestArrived();
        int outcome = rules.runRequest(facts);
        facts.tracked.exchangeEnded(500, 1500);
        return outcome;
    }
}
