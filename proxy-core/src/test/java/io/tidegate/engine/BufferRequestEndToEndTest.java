package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * option http-buffer-request against real backends, side by side with HAProxy 2.6 (Debian's
 * /usr/sbin/haproxy): routing by {@code req.body_param}, the body's length in a header, the proxy's
 * own {@code 100 Continue}, chunked bodies, and the 408 of a body that does not come in time.
 */
class BufferRequestEndToEndTest extends EngineTestSupport {

    @TempDir
    Path dir;
    private final List<RecordingBackend> servers = new ArrayList<>();
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) haproxy.close();
        servers.forEach(RecordingBackend::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
                timeout http-request 300ms
            frontend www
                bind 127.0.0.1:%d
                option http-buffer-request
                acl is_admin req.body_param(role) -m str admin
                http-request set-header X-Body-Len %%[req.body_len]
                http-request set-header X-User %%[req.body_param(user)]
                use_backend b_admin if is_admin
                default_backend b_users
            backend b_admin
                server a 127.0.0.1:%d
            backend b_users
                server u 127.0.0.1:%d
            """;

    /** A request sent in two writes, the body a moment after the head (so the proxy has to wait for it). */
    private record Step(String head, String body, boolean expectsContinue) {
    }

    private static final List<Step> STEPS = List.of(
            new Step("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 25\r\n\r\n", "user=alice&role=admin&x=1", false),
            new Step("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\n", "user=bob&role=viewer", false),
            new Step("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 21\r\nExpect: 100-continue\r\n\r\n",
                    "user=carol&role=admin", true),
            new Step("POST /form HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "9\r\nuser=dave\r\nB\r\n&role=admin\r\n0\r\n\r\n", false),
            new Step("GET /page HTTP/1.1\r\nHost: t\r\n\r\n", "", false));

    /** What the client and the servers saw for each step, then for a body that never completes. */
    private List<String> observe(int port) throws Exception {
        List<String> seen = new ArrayList<>();
        try (RawClient c = new RawClient(port)) {        // one keep-alive connection for all the steps
            for (Step step : STEPS) {
                StringBuilder s = new StringBuilder();
                c.send(step.head());
                if (step.expectsContinue()) s.append("interim=").append(c.read().status()).append(' ');
                if (!step.body().isEmpty()) {
                    Thread.sleep(50);
                    c.send(step.body());
                }
                RawClient.Response r = c.read();
                s.append(r.status()).append(" server=").append(r.header("X-Server"));
                for (RecordingBackend b : servers) {
                    if (!b.idle()) {
                        RecordingBackend.Seen q = b.take();
                        s.append(" len=").append(q.all("X-Body-Len")).append(" user=").append(q.all("X-User"))
                                .append(" expect=").append(q.all("Expect"));
                    }
                }
                seen.add(s.toString());
            }
        }
        try (RawClient c = new RawClient(port)) {
            c.send("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nuser=");
            RawClient.Response r = c.read();
            seen.add(r.status() + " closed=" + c.isClosedByPeer(5_000) + " servers-idle="
                    + servers.stream().allMatch(RecordingBackend::idle));
        }
        return seen;
    }

    @Test
    void routesByBodyParameterWaitsForTheBodyAndAnswers408AsHaproxy() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        RecordingBackend admin = new RecordingBackend("admin");
        RecordingBackend users = new RecordingBackend("users");
        servers.addAll(List.of(admin, users));
        int hport = freePort();
        int tport = freePort();
        haproxy = HaproxyProcess.start(dir, CONFIG.formatted(hport, admin.port(), users.port()), hport);
        List<String> fromHaproxy = observe(hport);
        track(Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("buffer.cfg",
                CONFIG.formatted(tport, admin.port(), users.port()))), SupportedFeatures.CURRENT).config()));
        List<String> fromTidegate = observe(tport);
        assertEquals(String.join("\n", fromHaproxy), String.join("\n", fromTidegate));
        for (int i = 0; i < STEPS.size() - 1; i++) {
            String body = STEPS.get(i).body();
            String payload = body.contains("\r\n") ? Dechunk.decode(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                    .length + "" : body.length() + "";
            String user = body.replaceAll("(?s)^.*user=([a-z]+).*$", "$1");
            String server = body.contains("role=admin") ? "admin" : "users";
            assertTrue(fromTidegate.get(i).contains("200 server=" + server + " len=[" + payload + "] user=[" + user
                    + "] expect=[]"), fromTidegate.get(i));
        }
        assertTrue(fromTidegate.get(2).startsWith("interim=100 "), "the proxy answered 100 Continue itself");
        assertTrue(fromTidegate.get(STEPS.size()).startsWith("408 closed=true servers-idle=true"), fromTidegate.get(STEPS.size()));
    }
}
