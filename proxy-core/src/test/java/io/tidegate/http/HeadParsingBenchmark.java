package io.tidegate.http;

import java.nio.ByteBuffer;
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
 * Head parsing as the relay does it for every exchange: find the end of the head, then parse it
 * into the connection's reused head object. Run with benchmarks/jmh (see benchmarks/README.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeadParsingBenchmark {
    private ByteBuffer wrkRequest;
    private ByteBuffer browserRequest;
    private ByteBuffer nginxResponse;
    private final RequestHead request = new RequestHead();
    private final ResponseHead response = new ResponseHead();

    @Setup
    public void setUp() {
        wrkRequest = SampleHeads.direct(SampleHeads.WRK_REQUEST);
        browserRequest = SampleHeads.direct(SampleHeads.BROWSER_REQUEST);
        nginxResponse = SampleHeads.direct(SampleHeads.NGINX_RESPONSE);
    }

    @Benchmark
    public int wrkRequest() throws HttpParseException {
        int end = MessageHead.findHeadEnd(wrkRequest, 0, wrkRequest.limit(), 431);
        request.parse(wrkRequest, 0, end);
        return request.headerCount();
    }

    @Benchmark
    public int browserRequest() throws HttpParseException {
        int end = MessageHead.findHeadEnd(browserRequest, 0, browserRequest.limit(), 431);
        request.parse(browserRequest, 0, end);
        return request.headerCount();
    }

    @Benchmark
    public int nginxResponse() throws HttpParseException {
        int end = MessageHead.findHeadEnd(nginxResponse, 0, nginxResponse.limit(), 502);
        response.parse(nginxResponse, 0, end);
        return response.status();
    }

    /** What a new connection pays before its first byte: the two head objects of a session. */
    @Benchmark
    public Object newSessionHeads() {
        return new MessageHead[] {new RequestHead(), new ResponseHead()};
    }
}
