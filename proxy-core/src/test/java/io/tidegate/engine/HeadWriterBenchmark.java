package io.tidegate.engine;

import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import io.tidegate.http.SampleHeads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Writing the forwarded heads (HeadWriter) into a pooled-size direct buffer, for the edits the
 * benchmark scenarios make: Connection rewritten (httpclose / client close) and X-Forwarded-For
 * added. Cookie edits are in {@link CookieBenchmark}. Run with benchmarks/jmh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeadWriterBenchmark {
    private final ByteBuffer out = ByteBuffer.allocateDirect(Engine.BUFFER_SIZE);
    private RequestHead browserRequest;
    private ResponseHead nginxResponse;
    private byte[] forwardedFor;

    @Setup
    public void setUp() {
        browserRequest = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST);
        nginxResponse = SampleHeads.parsedResponse(SampleHeads.NGINX_RESPONSE);
        forwardedFor = "X-Forwarded-For: 192.0.2.17\r\n".getBytes(StandardCharsets.ISO_8859_1);
    }

    @Benchmark
    public int requestConnectionCloseAndForwardedFor() {
        out.clear();
        HeadWriter.request(browserRequest, out, HeadWriter.ConnectionEdit.CLOSE, forwardedFor, null);
        return out.position();
    }

    @Benchmark
    public int responseConnectionClose() {
        out.clear();
        HeadWriter.response(nginxResponse, out, HeadWriter.ConnectionEdit.CLOSE, null);
        return out.position();
    }
}
