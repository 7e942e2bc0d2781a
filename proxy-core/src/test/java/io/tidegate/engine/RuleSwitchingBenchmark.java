package io.tidegate.engine;

import io.tidegate.config.ConfigParser;
import io.tidegate.config.ProxySection;
import io.tidegate.http.RequestHead;
import io.tidegate.http.SampleHeads;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
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
 * Content switching with 1, 10 and 100 {@code use_backend NAME if { hdr(host) -i H } { path_beg P }}
 * rules on a browser request that only the last rule takes (every rule is evaluated), and the
 * request rules of a typical frontend (set-header with %[src], a deny on a network, a header
 * delete) followed by writing the forwarded head with their edits. Run with benchmarks/jmh;
 * gc.alloc.rate.norm shows what each operation allocates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RuleSwitchingBenchmark {
    @Param({"1", "10", "100"})
    public int rules;

    private ProxyRules switching;
    private ProxyRules requestRules;
    private ExchangeFacts facts;
    private RequestHead request;
    private final ByteBuffer out = ByteBuffer.allocateDirect(Engine.BUFFER_SIZE);

    @Setup
    public void setUp() throws Exception {
        StringBuilder cfg = new StringBuilder("frontend f\n mode http\n bind 127.0.0.1:1\n");
        for (int i = 0; i < rules - 1; i++) {
            cfg.append(" use_backend b if { hdr(host) -i h").append(i).append(".example.com } { path_beg /s")
                    .append(i).append("/ }\n");
        }
        cfg.append(" use_backend b if { hdr(host) -i shop.example.com } { path_beg /app/ }\n");
        cfg.append(" default_backend b\nbackend b\n mode http\n server s 127.0.0.1:1\n");
        switching = compile(cfg.toString());
        requestRules = compile("""
                frontend f
                 mode http
                 bind 127.0.0.1:1
                 acl blocked src 192.0.2.0/24 198.51.100.0/24
                 http-request deny if blocked
                 http-request set-header X-Real-IP %[src]
                 http-request set-header X-Forwarded-Proto http if !{ ssl_fc }
                 http-request del-header X-Debug
                 default_backend b
                backend b
                 mode http
                 server s 127.0.0.1:1
                """);
        request = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST);
        facts = new ExchangeFacts(new InetSocketAddress("203.0.113.9", 40000), null);
    }

    private static ProxyRules compile(String text) throws Exception {
        ProxySection f = new ConfigParser().parse("bench.cfg", text).config().proxy("f").orElseThrow();
        return ProxyRules.compile("f", EnginePlanRulesBuilder.builder()
                .statements(f.rules())
                .errorfiles(Map.of())
                .build(), n -> null, null,
                Map.of());
    }

    /** Evaluates the use_backend rules; the last one applies. */
    @Benchmark
    public int switchToLastOfN() {
        facts.beginRequest(request);
        return switching.switchTo(facts);
    }

    /** The request rules of a typical frontend, then the forwarded head with their edits spliced in. */
    @Benchmark
    public int requestRulesAndForwardedHead() {
        facts.beginRequest(request);
        requestRules.runRequest(facts);
        out.clear();
        HeadWriter.request(request, out, HeadWriter.ConnectionEdit.KEEP, null, null, facts.reqEdits);
        return out.position();
    }

    /** The plain path for comparison: the forwarded head without any rule. */
    @Benchmark
    public int forwardedHeadWithoutRules() {
        out.clear();
        HeadWriter.request(request, out, HeadWriter.ConnectionEdit.KEEP, null, null, null);
        return out.position();
    }
}
