package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigException;
import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigProblem;
import io.tidegate.config.ConfigSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reload driven by configuration text: {@code grace} and {@code hard-stop-after} load and bound the old configuration. */
class ConfigReloadTest extends EngineTestSupport {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Config load(String text) throws ConfigException {
        return ConfigLoader.loadSources(List.of(new ConfigSource("test.cfg", text)), io.tidegate.config.SupportedFeatures.CURRENT).config();
    }

    private static String cfg(int port, String hardStop, String grace, TestBackend... servers) {
        StringBuilder sb = new StringBuilder("global\n    hard-stop-after " + hardStop + "\n");
        sb.append("listen web 127.0.0.1:").append(port).append("\n    mode http\n    grace ").append(grace).append('\n');
        for (TestBackend b : servers) sb.append("    server ").append(b.name()).append(" 127.0.0.1:").append(b.port()).append('\n');
        return sb.toString();
    }

    @Test
    void graceAndHardStopAfterAreReadFromTheFileAndAReloadFollowsIt() throws Exception {
        TestBackend a = backend("A");
        TestBackend b = backend("B");
        int port = freePort();
        Config first = load(cfg(port, "30s", "2s", a));
        assertEquals(new ReloadLimits(Map.of("web", 2_000L), 30_000), ReloadLimits.of(first));
        Engine engine = track(Engine.start(first));
        try (RawClient c = new RawClient(port)) {
            assertEquals("A", c.get("/").header("X-Server"));
            ReloadOutcome outcome = engine.reload(load(cfg(port, "30s", "2s", a, b)));
            assertEquals("servers added web/B", outcome.changes());
            assertEquals(1, outcome.listenersKept());
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 4; i++) seen.add(c.get("/").header("X-Server"));
            assertEquals(java.util.Set.of("A", "B"), seen);
        }
    }

    @Test
    void aBadHardStopAfterIsAnErrorWithFileLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("global\n    hard-stop-after 5x\nlisten web 127.0.0.1:8080\n    mode http\n"));
        List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
        assertTrue(problems.get(0).startsWith("test.cfg:2:21: error: invalid time unit 'x' in '5x'"), problems.toString());
    }
}
