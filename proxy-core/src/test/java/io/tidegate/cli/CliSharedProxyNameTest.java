package io.tidegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.Engine;
import io.tidegate.engine.HaproxyProcess;
import io.tidegate.health.TestHttpBackend;
import io.tidegate.stats.StatColumn;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code frontend www} + {@code backend www} over the runtime API, beside HAProxy 2.6 on the same
 * file: {@code show stat} lists both proxies (two iids, the frontend row and the backend's rows),
 * {@code show stat www -1 -1} selects the first declared (the frontend) as HAProxy does, and the
 * commands that name a backend ({@code set server}, {@code show servers state}) find the backend side.
 */
class CliSharedProxyNameTest {
    @TempDir
    Path dir;
    private final TestHttpBackend server = new TestHttpBackend();
    private Engine engine;
    private CliSocketServer socket;

    @AfterEach
    void tearDown() {
        if (socket != null) socket.close();
        if (engine != null) engine.close();
        server.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String config(int port, int serverPort) {
        return """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                frontend www
                    bind 127.0.0.1:%d
                    default_backend www
                backend www
                    server s1 127.0.0.1:%d
                """.formatted(port, serverPort);
    }

    /** pxname, svname and type of each row; the iid of each row in {@code iids}. */
    private static List<String> rows(String csv, List<String> iids) {
        List<String> rows = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split(",", -1);
            rows.add(f[StatColumn.PXNAME] + "," + f[StatColumn.SVNAME] + "," + f[StatColumn.TYPE]);
            if (iids != null) iids.add(f[StatColumn.IID]);
        }
        return rows;
    }

    @Test
    void bothProxiesOfOneNameAsHaproxyListsThem() throws Exception {
        int port = freePort();
        String text = config(port, server.address().getPort());
        engine = Engine.start(ConfigLoader.load("shared.cfg", text).config());
        Path admin = dir.resolve("admin.sock");
        socket = CliSocketServer.open(new StatsSocket(admin.toString(), 0600, StatsSocket.Level.ADMIN, false, null),
                new CliCommands(new EngineOperations(() -> engine)), 10_000, 4);

        List<String> iids = new ArrayList<>();
        List<String> ours = rows(CliSocketServerTest.ask(admin, "show stat\n"), iids);
        assertEquals(List.of("www,FRONTEND,0", "www,s1,2", "www,BACKEND,1"), ours);
        assertNotEquals(iids.get(0), iids.get(2), "two proxies, two ids");
        assertEquals(iids.get(1), iids.get(2), "the server belongs to the backend");
        assertEquals(List.of("www,FRONTEND,0"), rows(CliSocketServerTest.ask(admin, "show stat www -1 -1\n"), null),
                "a name selects the first proxy declared with it");
        assertEquals(List.of("www,s1,2", "www,BACKEND,1"),
                rows(CliSocketServerTest.ask(admin, "show stat " + iids.get(2) + " -1 -1\n"), null), "the id selects the other");
        assertEquals("# name\nwww\n\n", CliSocketServerTest.ask(admin, "show backend\n"));
        assertTrue(CliSocketServerTest.ask(admin, "show servers state www\n").contains(" www " + "1 s1 127.0.0.1 2 0 "));

        assertEquals("\n", CliSocketServerTest.ask(admin, "set server www/s1 state drain\n"));
        String drained = CliSocketServerTest.ask(admin, "show stat\n");
        assertTrue(drained.lines().anyMatch(l -> l.startsWith("www,s1,") && l.split(",", -1)[StatColumn.STATUS].equals("DRAIN")),
                drained);

        // HAProxy 2.6 on the same file
        engine.close();
        engine = null;
        int hport = freePort();
        Path hsock = dir.resolve("haproxy.sock");
        try (HaproxyProcess h = HaproxyProcess.start(dir, "global\n    stats socket " + hsock + " level admin\n"
                + config(hport, server.address().getPort()), hport)) {
            List<String> theirIids = new ArrayList<>();
            assertEquals(ours, rows(CliSocketServerTest.ask(hsock, "show stat\n"), theirIids));
            assertNotEquals(theirIids.get(0), theirIids.get(2));
            assertEquals(List.of("www,FRONTEND,0"), rows(CliSocketServerTest.ask(hsock, "show stat www -1 -1\n"), null));
            assertEquals("# name\nwww\n\n", CliSocketServerTest.ask(hsock, "show backend\n"));
            assertTrue(CliSocketServerTest.ask(hsock, "show servers state www\n").contains(" www 1 s1 127.0.0.1 2 0 "));
            assertEquals("\n", CliSocketServerTest.ask(hsock, "set server www/s1 state drain\n"));
        }
    }
}
