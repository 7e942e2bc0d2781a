package io.tidegate.engine;

import io.tidegate.config.CookieSpec;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import io.tidegate.http.SampleHeads;
import java.nio.ByteBuffer;
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
 * Persistence-cookie work per exchange: finding SERVERID among a browser's cookies, the server it
 * names among 4 or 400 (the last one, the longest search of a linear scan), forwarding the Cookie line without it
 * (insert indirect) or without its prefix (prefix mode), inserting Set-Cookie + Cache-Control, and
 * prefixing the application's Set-Cookie, each through the session's {@link CookieExchange} as the
 * relay does it. Run with benchmarks/jmh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CookieBenchmark {
    private static final long NOW = 1_700_000_000L;
    private final ByteBuffer out = ByteBuffer.allocateDirect(Engine.BUFFER_SIZE);
    private final CookieExchange exchange = new CookieExchange();
    private RuntimeBackend insertBackend;
    private RuntimeBackend prefixBackend;
    private RequestHead withServerId;
    private RequestHead prefixed;
    private RequestHead withoutCookie;
    private ResponseHead settingCookie;
    private ResponseHead nginxResponse;

    /** A backend of 4 or 400 servers with cookie values c0..cN-1; the client holds the last one. */
    @State(Scope.Thread)
    public static class Servers {
        @Param({"4", "400"})
        public int servers;
        RuntimeBackend backend;
        RequestHead holdingLast;
        /** The last server's cookie value alone, as {@link RuntimeBackend#byCookie} reads it. */
        ByteBuffer lastValue;

        @Setup
        public void setUp() {
            backend = ServerSelectionBenchmark.backend(servers, CookieSpec.insert("SERVERID", true, true));
            holdingLast = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST
                    .replace("SERVERID=s2", "SERVERID=c" + (servers - 1)));
            lastValue = ByteBuffer.allocateDirect(16);
            lastValue.put(PersistenceCookie.ascii("c" + (servers - 1))).flip();
        }
    }

    @Setup
    public void setUp() {
        insertBackend = ServerSelectionBenchmark.backend(4, CookieSpec.insert("SERVERID", true, true));
        prefixBackend = ServerSelectionBenchmark.backend(4, CookieSpec.prefix("JSESSIONID"));
        withServerId = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST);
        prefixed = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST_PREFIXED);
        withoutCookie = SampleHeads.parsedRequest(SampleHeads.WRK_REQUEST);
        settingCookie = SampleHeads.parsedResponse(SampleHeads.APP_RESPONSE_SETTING_COOKIE);
        nginxResponse = SampleHeads.parsedResponse(SampleHeads.NGINX_RESPONSE);
    }

    /** Reads the browser's cookies and finds the server SERVERID names (the last of 4 or 400). */
    @Benchmark
    public RuntimeServer serverOfCookie(Servers s) {
        return exchange.readRequest(s.holdingLast, s.backend, NOW);
    }

    /** Only the lookup of the server whose cookie value a request holds (the last of 4 or 400). */
    @Benchmark
    public RuntimeServer serverByCookieValue(Servers s) {
        return s.backend.byCookie(s.lastValue, 0, s.lastValue.limit());
    }

    /** A client without the cookie: the response gets Set-Cookie SERVERID and Cache-Control: private. */
    @Benchmark
    public int insertCookieNocache() {
        exchange.readRequest(withoutCookie, insertBackend, NOW);
        exchange.readResponse(nginxResponse, insertBackend.servers().get(1));
        out.clear();
        HeadWriter.response(nginxResponse, out, HeadWriter.ConnectionEdit.KEEP, exchange);
        return out.position();
    }

    /** Insert indirect: the forwarded Cookie line loses SERVERID, the other cookies pass. */
    @Benchmark
    public int forwardWithoutIndirectCookie() {
        exchange.readRequest(withServerId, insertBackend, NOW);
        out.clear();
        HeadWriter.request(withServerId, out, HeadWriter.ConnectionEdit.KEEP, null, exchange);
        return out.position();
    }

    /** Prefix mode: the forwarded Cookie line loses the {@code SRV~} prefix. */
    @Benchmark
    public int forwardWithoutPrefix() {
        exchange.readRequest(prefixed, prefixBackend, NOW);
        out.clear();
        HeadWriter.request(prefixed, out, HeadWriter.ConnectionEdit.KEEP, null, exchange);
        return out.position();
    }

    /** Prefix mode: the application's Set-Cookie JSESSIONID gets the server's prefix. */
    @Benchmark
    public int prefixServerSetCookie() {
        exchange.readRequest(withoutCookie, prefixBackend, NOW);
        exchange.readResponse(settingCookie, prefixBackend.servers().get(2));
        out.clear();
        HeadWriter.response(settingCookie, out, HeadWriter.ConnectionEdit.KEEP, exchange);
        return out.position();
    }
}
