package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.HealthCheck;
import io.tidegate.config.HttpCheckExpect;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpCheckTest {

    private static final CheckTimeouts TIMEOUTS = CheckTimeouts.total(Duration.ofMillis(2000));
    private static final HttpCheckRequest HEAD_RUNNING =
            HttpCheckRequest.of(HealthCheck.http("HEAD", "/running", "HTTP/1.0"));

    private TestLoops worker;
    private TestHttpBackend backend;
    private SilentServers silent;
    private ServerSocket raw;
    private Thread rawThread;

    @BeforeEach
    void setUp() throws Exception {
        worker = new TestLoops("http-check-test", 1);
        backend = new TestHttpBackend();
        silent = new SilentServers();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (rawThread != null) {
            rawThread.join(5000);
        }
        silent.close();
        backend.close();
        worker.close();
    }

    private CheckResult check(HealthProbe probe, InetSocketAddress target) throws Exception {
        return probe.run(worker.group.get(0), target, TIMEOUTS).get(10, TimeUnit.SECONDS);
    }

    private CheckResult check(HttpExpectation expect) throws Exception {
        return check(HealthProbe.http(HttpCheckRequest.of(HealthCheck.http("GET", "/health", "HTTP/1.1\r\nHost: t")),
                expect), backend.address());
    }

    @Test
    void softStopWithACheckFileAsInTheGuide() throws Exception {
        HealthProbe probe = HealthProbe.http(HEAD_RUNNING, HttpExpectation.DEFAULT);

        backend.status.set(200);
        CheckResult up = check(probe, backend.address());
        assertEquals(CheckStatus.L7OK, up.status());
        assertEquals(200, up.code());
        assertEquals("", up.info(), "HAProxy reports no detail for a passed check");

        backend.status.set(404);   // the file was removed
        CheckResult gone = check(probe, backend.address());
        assertEquals(CheckStatus.L7STS, gone.status());
        assertEquals(404, gone.code());
        assertEquals("Not Found", gone.info());

        backend.status.set(503);
        CheckResult unavailable = check(probe, backend.address());
        assertEquals(CheckStatus.L7STS, unavailable.status());
        assertEquals("Service Unavailable", unavailable.info());

        TestHttpBackend.Seen s = backend.seen.peek();
        assertEquals(new TestHttpBackend.Seen("HEAD", "/running", "HTTP/1.0", null), s);
    }

    @Test
    void redirectsCountAsUpByDefault() throws Exception {
        backend.status.set(302);
        assertEquals(CheckStatus.L7OK, check(HttpExpectation.DEFAULT).status());
        backend.status.set(500);
        assertEquals(CheckStatus.L7STS, check(HttpExpectation.DEFAULT).status());
    }

    @Test
    void theDefaultRequestIsOptionsSlashHttp10() throws Exception {
        HealthProbe probe = HealthProbe.of(HealthCheck.http(null, null, null), null);
        assertEquals(CheckStatus.L7OK, check(probe, backend.address()).status());
        assertEquals(new TestHttpBackend.Seen("OPTIONS", "/", "HTTP/1.0", null), backend.seen.peek());
    }

    @Test
    void headerLinesAfterTheVersionAreSent() throws Exception {
        HealthProbe probe = HealthProbe.of(HealthCheck.http("GET", "/status", "HTTP/1.1\r\nHost: www.example"), null);
        assertEquals(CheckStatus.L7OK, check(probe, backend.address()).status());
        assertEquals(new TestHttpBackend.Seen("GET", "/status", "HTTP/1.1", "www.example"), backend.seen.peek());
    }

    @Test
    void expectStatusAcceptsOnlyTheListedCodes() throws Exception {
        HttpExpectation only200 = HttpExpectation.of(new HttpCheckExpect(false, "status", "200"));
        backend.status.set(200);
        assertEquals(CheckStatus.L7OK, check(only200).status());
        backend.status.set(204);
        CheckResult r = check(only200);
        assertEquals(CheckStatus.L7STS, r.status());
        assertEquals(204, r.code());

        HttpExpectation list = HttpExpectation.of(new HttpCheckExpect(false, "status", "200,500-503"));
        backend.status.set(502);
        assertEquals(CheckStatus.L7OK, check(list).status());
        backend.status.set(504);
        assertEquals(CheckStatus.L7STS, check(list).status());

        HttpExpectation not503 = HttpExpectation.of(new HttpCheckExpect(true, "status", "503"));
        backend.status.set(503);
        assertEquals(CheckStatus.L7STS, check(not503).status());
        backend.status.set(404);
        assertEquals(CheckStatus.L7OK, check(not503).status());
    }

    @Test
    void expectRstatusSearchesTheCode() throws Exception {
        HttpExpectation twoOrFour = HttpExpectation.of(new HttpCheckExpect(false, "rstatus", "^(2|4)"));
        backend.status.set(404);
        assertEquals(CheckStatus.L7OK, check(twoOrFour).status());
        backend.status.set(503);
        CheckResult r = check(twoOrFour);
        assertEquals(CheckStatus.L7STS, r.status());
        assertEquals("Service Unavailable", r.info());
    }

    @Test
    void expectStringLooksForTheTextInTheBody() throws Exception {
        HttpExpectation ready = HttpExpectation.of(new HttpCheckExpect(false, "string", "state=ready"));
        backend.body.set("app state=ready since 10:00");
        CheckResult ok = check(ready);
        assertEquals(CheckStatus.L7OK, ok.status());
        assertEquals(200, ok.code());

        backend.body.set("app state=draining");
        CheckResult ko = check(ready);
        assertEquals(CheckStatus.L7RSP, ko.status());
        assertEquals("HTTP content check did not match", ko.info());

        backend.body.set("");
        assertEquals(CheckStatus.L7RSP, check(ready).status());
    }

    @Test
    void expectStringWorksOnAChunkedBodyAndIgnoresTheStatus() throws Exception {
        backend.chunked = true;
        backend.status.set(503);
        backend.body.set("x".repeat(3000) + " MAINTENANCE " + "y".repeat(3000));
        HttpExpectation noMaintenance = HttpExpectation.of(new HttpCheckExpect(true, "string", "MAINTENANCE"));
        CheckResult r = check(noMaintenance);
        assertEquals(CheckStatus.L7RSP, r.status());
        assertEquals("HTTP check matched unwanted content", r.info());

        backend.body.set("all good");
        assertEquals(CheckStatus.L7OK, check(noMaintenance).status());
    }

    @Test
    void expectRstringSearchesTheBodyWithARegularExpression() throws Exception {
        HttpExpectation version = HttpExpectation.of(new HttpCheckExpect(false, "rstring", "version=[0-9]+\\.[0-9]+"));
        backend.body.set("{\"version=4.2\"}");
        assertEquals(CheckStatus.L7OK, check(version).status());
        backend.body.set("{\"version=dev\"}");
        assertEquals(CheckStatus.L7RSP, check(version).status());
    }

    @Test
    void aHungServerTimesOutAtLayer7WithoutHoldingBackOtherChecks() throws Exception {
        InetSocketAddress hung = silent.neverAnswers();
        HealthProbe probe = HealthProbe.http(HEAD_RUNNING, HttpExpectation.DEFAULT);
        long start = System.nanoTime();
        CompletableFuture<CheckResult> slow = probe.run(worker.group.get(0), hung, CheckTimeouts.total(Duration.ofMillis(1500)));
        // the same single IO thread keeps checking other servers meanwhile
        for (int i = 0; i < 5; i++) {
            CheckResult fast = probe.run(worker.group.get(0), backend.address(), TIMEOUTS).get(5, TimeUnit.SECONDS);
            assertEquals(CheckStatus.L7OK, fast.status());
        }
        assertFalse(slow.isDone(), "the hung check is still waiting while the others completed");
        CheckResult r = slow.get(10, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(CheckStatus.L7TOUT, r.status());
        assertTrue(r.duration().toMillis() >= 1400, "duration " + r.duration());
        assertTrue(tookMs < 1500 + 2000, "took " + tookMs + " ms");
    }

    @Test
    void timeoutCheckBoundsTheAnswerOnceConnected() throws Exception {
        InetSocketAddress hung = silent.neverAnswers();
        CheckTimeouts t = CheckTimeouts.of(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(300));
        CheckResult r = HealthProbe.http(HEAD_RUNNING, HttpExpectation.DEFAULT).run(worker.group.get(0), hung, t)
                .get(10, TimeUnit.SECONDS);
        assertEquals(CheckStatus.L7TOUT, r.status());
        assertTrue(r.duration().toMillis() < 3000, "duration " + r.duration());
    }

    @Test
    void aServerThatIsNotHttpIsAnInvalidResponse() throws Exception {
        InetSocketAddress ssh = rawServer("SSH-2.0-OpenSSH_9.6\r\n");
        CheckResult r = check(HealthProbe.http(HEAD_RUNNING, HttpExpectation.DEFAULT), ssh);
        assertEquals(CheckStatus.L7RSP, r.status());
        assertEquals("SSH-2.0-OpenSSH_9.6", r.info());
    }

    @Test
    void aServerThatClosesWithoutAnsweringIsAnInvalidResponse() throws Exception {
        InetSocketAddress closing = rawServer("");
        CheckResult r = check(HealthProbe.http(HEAD_RUNNING, HttpExpectation.DEFAULT), closing);
        assertEquals(CheckStatus.L7RSP, r.status());
    }

    @Test
    void aClosedPortIsALayer4ConnectionProblem() throws Exception {
        CheckResult r = check(HealthProbe.http(HEAD_RUNNING, HttpExpectation.DEFAULT), SilentServers.closedPort());
        assertEquals(CheckStatus.L4CON, r.status());
    }

    @Test
    void theRequestBytesAreExactlyTheConfiguredLines() {
        HttpCheckRequest r = HttpCheckRequest.of(HealthCheck.http("OPTIONS", "*", "HTTP/1.1\r\nHost: www\r\nX-A: b"));
        assertEquals(List.of("Host: www", "X-A: b"), r.headerLines());
        assertEquals("OPTIONS * HTTP/1.1\r\nHost: www\r\nX-A: b\r\n\r\n",
                new String(r.toBytes(), StandardCharsets.ISO_8859_1));
    }

    /** A one-connection-at-a-time server that writes {@code answer} after the request head, then closes. */
    private InetSocketAddress rawServer(String answer) throws IOException {
        raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        rawThread = new Thread(() -> {
            for (int i = 0; i < 10 && !raw.isClosed(); i++) {
                try (Socket s = raw.accept()) {
                    s.setSoTimeout(5000);
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[1024];
                    in.read(buf);
                    OutputStream out = s.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-test-server");
        rawThread.start();
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), raw.getLocalPort());
    }
}
