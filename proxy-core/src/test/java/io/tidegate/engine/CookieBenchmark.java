package io.tidegate.engine;

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
 * names among 4 or 400 (the last one, the longest search), forwarding the Cookie line without it
 * (insert indirect) or without its prefix (prefix mode), inserting Set-Cookie + Cache-Control, and
 * prefixing the application's Set-Cookie. Every call of the cookie API of HeadWriter/RuntimeBackend
 * is in this class, so it is the one to follow when that API changes. Run with benchmarks/jmh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CookieBenchmark {
    private final ByteBuffer out = ByteBuffer.allocateDirect(Engine.BUFFER_SIZE);
    private final CookiePolicy insertIndirect = CookiePolicy.insert("SERVERID", true, true);
    private final CookiePolicy prefix = CookiePolicy.prefix("JSESSIONID");
    private RequestHead withServerId;
    private RequestHead prefixed;
    private ResponseHead settingCookie;
    private ResponseHead nginxResponse;
    private byte[] insertLine;

    /** A backend of 4 or 400 servers with cookie values c0..cN-1; the client holds the last one. */
    @State(Scope.Thread)
    public static class Servers {
        @Param({"4", "400"})
        public int servers;
        RuntimeBackend backend;
        String lastCookie;

        @Setup
        public void setUp() {
            backend = ServerSelectionBenchmark.backend(servers, CookiePolicy.insert("SERVERID", true, true));
            lastCookie = "c" + (servers - 1);
        }
    }

    @Setup
    public void setUp() {
        withServerId = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST);
        prefixed = SampleHeads.parsedRequest(SampleHeads.BROWSER_REQUEST_PREFIXED);
        settingCookie = SampleHeads.parsedResponse(SampleHeads.APP_RESPONSE_SETTING_COOKIE);
        nginxResponse = SampleHeads.parsedResponse(SampleHeads.NGINX_RESPONSE);
        insertLine = HeadWriter.ascii("Set-Cookie: SERVERID=A; path=/\r\n");
    }

    @Benchmark
    public RuntimeServer serverOfCookie(Servers s) {
        return s.backend.byCookie(s.lastCookie);
    }

    @Benchmark
    public int insertCookieNocache() {
        out.clear();
        HeadWriter.response(nginxResponse, out, HeadWriter.ConnectionEdit.KEEP, insertLine, true, null, null);
        return out.position();
    }

    @Benchmark
    public String findPersistenceCookie() {
        return HeadWriter.requestCookie(withServerId, "SERVERID");
    }

    @Benchmark
    public int forwardWithoutIndirectCookie() {
        out.clear();
        HeadWriter.request(withServerId, out, HeadWriter.ConnectionEdit.KEEP, null, insertIndirect);
        return out.position();
    }

    @Benchmark
    public int forwardWithoutPrefix() {
        out.clear();
        HeadWriter.request(prefixed, out, HeadWriter.ConnectionEdit.KEEP, null, prefix);
        return out.position();
    }

    @Benchmark
    public int prefixServerSetCookie() {
        out.clear();
        HeadWriter.response(settingCookie, out, HeadWriter.ConnectionEdit.KEEP, null, false, prefix, "s2");
        return out.position();
    }
}
