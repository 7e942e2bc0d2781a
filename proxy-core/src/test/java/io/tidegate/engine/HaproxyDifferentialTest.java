package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Replays every request {@link StrictInputTest} refuses through a real HAProxy (Debian's
 * /usr/sbin/haproxy, installed by {@code ./tidegate test}) and through Tidegate with the same
 * configuration: wherever HAProxy refuses, Tidegate refuses too, and the requests HAProxy forwards
 * but Tidegate refuses are exactly the ones README lists ("Input Tidegate refuses that HAProxy 2.6
 * accepts").
 */
class HaproxyDifferentialTest extends EngineTestSupport {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    /** The cases README documents as stricter than HAProxy 2.6. */
    private static final Set<String> DOCUMENTED_STRICTER = Set.of(
            "absolute-form with userinfo", "absolute-form with another scheme",
            "NUL in a value (HAProxy 2.6 forwards it)", "SOH in a value (HAProxy 2.6 forwards it)",
            "ESC in a value", "DEL in a value", "more than 16 Connection options");

    @Test
    void tidegateRefusesEverythingHaproxyRefusesAndTheDifferencesAreDocumented(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HAPROXY), "needs Debian's haproxy (./tidegate test installs it)");
        PeerRecorder server = track(new PeerRecorder(true));
        int tgPort = GuideConfigs.freePort();
        int hxPort = GuideConfigs.freePort();
        String body = """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                listen web
                    bind 127.0.0.1:%d
                    server s1 127.0.0.1:%d
                """;
        track(GuideConfigs.start(body.formatted(tgPort, server.port())));
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, "global\n    nbthread 1\n" + body.formatted(hxPort, server.port()));
        Process haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.out").toFile()).start();
        try {
            waitUntilListening(hxPort);
            Map<String, String> stricter = new TreeMap<>();
            for (Arguments a : StrictInputTest.rejected().toList()) {
                String what = (String) a.get()[0];
                String request = (String) a.get()[1];
                int hx = status(hxPort, request);
                int tg = status(tgPort, request);
                assertEquals(400, tg, what + ": Tidegate");
                if (hx == 200 || hx == 404) stricter.put(what, "HAProxy answered " + hx);
                else assertTrue(hx >= 400 && hx < 500, what + ": HAProxy answered " + hx);
            }
            assertEquals(DOCUMENTED_STRICTER, stricter.keySet(), stricter.toString());
        } finally {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void waitUntilListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        fail("haproxy did not listen on " + port);
    }

    /** The status of the first response to {@code request}. */
    private static int status(int port, String request) throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(10_000);
            c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            c.shutdownOutput();
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            List<String> parts = List.of(answer.split(" ", 3));
            assertTrue(parts.size() >= 2 && parts.get(0).startsWith("HTTP/1."), answer);
            return Integer.parseInt(parts.get(1));
        }
    }
}
