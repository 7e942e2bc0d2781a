package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.engine.status.ServerStatus;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Guide §4.2, soft stop with backup servers: webX and bkpX are the same application server and
 * share cookie X; the health checks (port 81 for webX, port 80 for bkpX) are played by
 * {@link Engine#setServerUp}. Plus {@code option allbackups}.
 */
class BackupServersTest extends EngineTestSupport {
    private final Map<String, RecordingBackend> machines = new LinkedHashMap<>();
    private Engine engine;
    private String backend;
    private int port;

    private void startGuideConfig(String extraOption) throws Exception {
        for (String n : List.of("A", "B", "C", "D")) machines.put(n, track(new RecordingBackend(n)));
        port = GuideConfigs.freePort();
        StringBuilder servers = new StringBuilder();
        for (RecordingBackend m : machines.values()) {
            servers.append("    server web").append(m.name()).append(" 127.0.0.1:").append(m.port())
                    .append(" cookie ").append(m.name()).append(" check port 81 inter 2000\n");
        }
        servers.append('\n');
        for (RecordingBackend m : machines.values()) {
            servers.append("    server bkp").append(m.name()).append(" 127.0.0.1:").append(m.port())
                    .append(" cookie ").append(m.name()).append(" check port 80 inter 2000 backup\n");
        }
        engine = track(GuideConfigs.start("""
                listen 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    redispatch
                    cookie SERVERID insert indirect
                    option httpchk HEAD / HTTP/1.0
                %s%s""".formatted(port, extraOption, servers)));
        backend = engine.plan().backends().get(0).name();
    }

    private long served(String server) {
        for (ServerStatus s : engine.status().backends().get(0).servers()) {
            if (s.name().equals(server)) return s.totalRequests();
        }
        throw new AssertionError("no server " + server);
    }

    private RawClient.Response get(RawClient c, String cookie) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: lb\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n");
        RawClient.Response r = c.read();
        machines.get(r.header("X-Server")).take();
        return r;
    }

    @Test
    void section4_2SharedCookieKeepsClientsOnTheBackupDuringMaintenance() throws Exception {
        startGuideConfig("");
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = get(c, "SERVERID=A");
            assertEquals("A", r.header("X-Server"));
            assertEquals(1, served("webA"));

            // maintenance: webA's check (port 81) fails, bkpA's (port 80) still passes
            engine.setServerUp(backend, "webA", false);
            for (int i = 0; i < 3; i++) {
                RawClient.Response kept = get(c, "SERVERID=A");
                assertEquals("A", kept.header("X-Server"), "a client with a valid cookie still reaches A");
                assertEquals(List.of(), kept.all("Set-Cookie"), "bkpA shares cookie A: nothing to reset");
            }
            assertEquals(3, served("bkpA"));

            // new users (no cookie) never go to the server under maintenance
            Set<String> fresh = new HashSet<>();
            for (int i = 0; i < 6; i++) fresh.add(get(c, null).header("X-Server"));
            assertEquals(Set.of("B", "C", "D"), fresh);

            // A is stopped (both checks fail): its clients are redispatched and get a new cookie
            engine.setServerUp(backend, "bkpA", false);
            RawClient.Response moved = get(c, "SERVERID=A");
            String other = moved.header("X-Server");
            assertNotEquals("A", other);
            assertEquals(List.of("SERVERID=" + other + "; path=/"), moved.all("Set-Cookie"));
        }
    }

    @Test
    void withoutAllbackupsOnlyTheFirstUsableBackupTakesTheTraffic() throws Exception {
        startGuideConfig("");
        for (String n : List.of("A", "B", "C", "D")) engine.setServerUp(backend, "web" + n, false);
        engine.setServerUp(backend, "bkpA", false);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < 6; i++) {
                RawClient.Response r = get(c, null);
                assertEquals("B", r.header("X-Server"), "bkpB is the first usable backup");
                if (i == 0) assertEquals(List.of("SERVERID=B; path=/"), r.all("Set-Cookie"));
            }
        }
        assertEquals(6, served("bkpB"));
    }

    @Test
    void allbackupsSpreadsTheTrafficOverEveryUsableBackup() throws Exception {
        startGuideConfig("    option allbackups\n");
        for (String n : List.of("A", "B", "C", "D")) engine.setServerUp(backend, "web" + n, false);
        try (RawClient c = new RawClient(port)) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 8; i++) seen.add(get(c, null).header("X-Server"));
            assertEquals(Set.of("A", "B", "C", "D"), seen);
        }
        for (String n : List.of("A", "B", "C", "D")) assertEquals(2, served("bkp" + n));
        // once a normal server is back, the backups get no new users
        engine.setServerUp(backend, "webC", true);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < 3; i++) assertEquals("C", get(c, null).header("X-Server"));
        }
        assertEquals(3, served("webC"));
    }
}
