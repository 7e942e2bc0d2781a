package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.engine.AdminState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code show stat typed} and {@code json} against what HAProxy 2.6.12 printed for the same objects. */
class StatsTypedTest {

    /** "S.3.1.17.status.1:SGP:str:DOWN" -> key "S.1.17.status" (proxy id dropped: Tidegate numbers proxies from 1). */
    static Map<String, String> byField(String typed) {
        return typed.lines().filter(l -> !l.isBlank()).collect(Collectors.toMap(l -> {
            String[] k = l.substring(0, l.indexOf(':')).split("\\.");
            return k[0] + "." + k[2] + "." + k[3] + "." + k[4] + (k[0].equals("S") ? "" : "");
        }, l -> l.substring(l.indexOf(':') + 1), (a, b) -> a));
    }

    @Test
    void typedLinesCarryHaproxysTagsAndTypes() throws Exception {
        List<StatRow> rows = StatRows.select(StatsFixtures.snapshot(AdminState.READY, 50), "app", StatRows.TYPE_SERVER, 1);
        String ours = StatsTyped.typed(rows);
        assertTrue(ours.startsWith("S.2.1.0.pxname.1:KNS:str:app\nS.2.1.1.svname.1:KNS:str:a\n"), ours);
        Map<String, String> haproxy = byField(StatsCsvTest.resource("haproxy-2.6.12-show-stat-typed.txt"));
        int compared = 0;
        for (var e : byField(ours).entrySet()) {
            String theirs = haproxy.get(e.getKey());
            if (theirs == null) continue;
            // tags and type as HAProxy's (values differ with the traffic)
            assertEquals(theirs.substring(0, theirs.lastIndexOf(':')), e.getValue().substring(0, e.getValue().lastIndexOf(':')), e.getKey());
            compared++;
        }
        assertTrue(compared > 30, "fields compared: " + compared);
        assertTrue(ours.contains("S.2.1.17.status.1:SGP:str:DOWN\n"));
        assertTrue(ours.contains("S.2.1.36.check_status.1:MOP:str:L4CON\n"));
    }

    @Test
    void jsonIsValidAndShapedLikeHaproxys() throws Exception {
        String json = StatsTyped.json(StatRows.all(StatsFixtures.snapshot(AdminState.DRAIN, 50)));
        assertTrue(json.startsWith("[[{\"objType\":\"Frontend\",\"proxyId\":1,\"id\":0,\"field\":{\"pos\":0,\"name\":\"pxname\"},"
                + "\"processNum\":1,\"tags\":{\"origin\":\"Key\",\"nature\":\"Name\",\"scope\":\"Service\"},"
                + "\"value\":{\"type\":\"str\",\"value\":\"fe\"}}"), json.substring(0, 300));
        assertTrue(json.contains("{\"objType\":\"Server\",\"proxyId\":2,\"id\":2,\"field\":{\"pos\":17,\"name\":\"status\"},\"processNum\":1,"
                + "\"tags\":{\"origin\":\"Status\",\"nature\":\"Gauge\",\"scope\":\"Process\"},\"value\":{\"type\":\"str\",\"value\":\"DRAIN\"}}"));
        String python = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, "-c", "import json,sys; d=json.load(sys.stdin); print(len(d), len(d[0]))")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("7 "), "seven rows: " + out);
    }
}
