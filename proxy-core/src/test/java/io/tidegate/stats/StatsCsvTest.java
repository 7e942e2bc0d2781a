package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.engine.AdminState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code show stat}: the header is HAProxy 2.6's (captured from Debian's haproxy 2.6.12 with
 * {@code echo "show stat" | socat - unix:...}), rows carry HAProxy's status words and fields by position.
 */
class StatsCsvTest {

    static String resource(String name) throws IOException {
        try (InputStream in = StatsCsvTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void headerIsHaproxy26sColumnForColumn() throws IOException {
        String haproxy = resource("haproxy-2.6.12-show-stat-header.txt");
        assertEquals(haproxy, StatColumn.headerLine());
        List<String> names = List.of(haproxy.substring(2).split(","));
        assertEquals(names, StatColumn.NAMES);
        // the positions tools read by index (haproxy_exporter, hatop)
        assertEquals("status", names.get(StatColumn.STATUS));
        assertEquals(17, StatColumn.STATUS);
        assertEquals("type", names.get(32));
        assertEquals("qtime", names.get(58));
        assertEquals("ttime", names.get(61));
        assertEquals("addr", names.get(StatColumn.ADDR));
        assertEquals("uweight", names.get(StatColumn.UWEIGHT));
    }

    @Test
    void everyRowHasOneFieldPerColumnAndHaproxysLayout() {
        String csv = StatsCsv.format(StatRows.all(StatsFixtures.snapshot(AdminState.READY, 50)));
        String[] lines = csv.split("\n");
        assertEquals(1 + 7, lines.length);   // header, fe, a, b, app BACKEND, li FRONTEND, c, li BACKEND
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].endsWith(","), lines[i]);
            assertEquals(StatColumn.COUNT, lines[i].split(",", -1).length - 1, lines[i]);
        }
        assertEquals("fe,FRONTEND", prefix(lines[1]));
        assertEquals("app,a", prefix(lines[2]));
        assertEquals("app,b", prefix(lines[3]));
        assertEquals("app,BACKEND", prefix(lines[4]));
        assertEquals("li,FRONTEND", prefix(lines[5]));
        assertEquals("li,c", prefix(lines[6]));
        assertEquals("li,BACKEND", prefix(lines[7]));
    }

    private static String prefix(String line) {
        String[] f = line.split(",", -1);
        return f[0] + "," + f[1];
    }

    private static String[] row(List<StatRow> rows, String px, String sv) {
        return rows.stream().filter(r -> r.field(0).equals(px) && r.field(1).equals(sv)).findFirst().orElseThrow().fields();
    }

    @Test
    void lastChkCarriesTheReasonOfTheLastCheck() {
        io.tidegate.health.HealthState failed = io.tidegate.health.HealthState.initial(2, 3).after(
                io.tidegate.health.CheckResult.of(io.tidegate.health.CheckStatus.L7RSP,
                        "TCPCHK did not match content '+PONG' at step 2, comment: ping"), StatsFixtures.START);
        List<StatRow> rows = StatRows.all(StatsFixtures.snapshot(StatsFixtures.status(AdminState.READY, 50),
                (b, s) -> b.equals("app") && s.equals("a") ? java.util.Optional.of(failed) : java.util.Optional.empty()));
        String[] a = row(rows, "app", "a");
        assertEquals("L7RSP", a[StatColumn.CHECK_STATUS]);
        assertEquals("Layer7 invalid response", a[StatColumn.CHECK_DESC]);
        assertEquals("TCPCHK did not match content '+PONG' at step 2, comment: ping", a[StatColumn.LAST_CHK]);
        assertTrue(StatsCsv.format(rows).contains(",\"TCPCHK did not match content '+PONG' at step 2, comment: ping\","),
                "a comma in the reason keeps the CSV columns in place");
        assertEquals("", row(rows, "app", "b")[StatColumn.LAST_CHK]);
    }

    @Test
    void serverRowsCarryHaproxysStatusWordsAndCounters() {
        List<StatRow> rows = StatRows.all(StatsFixtures.snapshot(AdminState.READY, 50));
        String[] a = row(rows, "app", "a");
        assertEquals("DOWN", a[StatColumn.STATUS]);
        assertEquals("L4CON", a[StatColumn.CHECK_STATUS]);
        assertEquals("Layer4 connection problem", a[StatColumn.CHECK_DESC]);
        assertEquals("1", a[StatColumn.CHKDOWN]);
        assertEquals("3", a[StatColumn.LASTCHG]);          // went down at +62 s, now +65 s
        assertEquals("2", a[StatColumn.TYPE]);
        assertEquals("2", a[StatColumn.IID]);
        assertEquals("1", a[StatColumn.SID]);
        assertEquals("127.0.0.1:18081", a[StatColumn.ADDR]);
        assertEquals("7", a[StatColumn.HRSP_2XX]);
        String[] b = row(rows, "app", "b");
        assertEquals("no check", b[StatColumn.STATUS]);
        assertEquals("50", b[StatColumn.WEIGHT]);
        assertEquals("", b[StatColumn.CHECK_STATUS]);
        assertEquals("", b[StatColumn.DOWNTIME]);         // no figure: empty, never a made-up value
        String[] be = row(rows, "app", "BACKEND");
        assertEquals("UP", be[StatColumn.STATUS]);
        assertEquals("50", be[StatColumn.WEIGHT]);        // a is down: only b's weight counts, as in HAProxy
        assertEquals("1", be[StatColumn.ACT]);
        assertEquals("roundrobin", be[StatColumn.ALGO]);
        assertEquals("SERVERID", be[StatColumn.COOKIE]);
        assertEquals("14", be[StatColumn.HRSP_2XX]);
        String[] fe = row(rows, "fe", "FRONTEND");
        assertEquals("OPEN", fe[StatColumn.STATUS]);
        assertEquals("0", fe[StatColumn.TYPE]);
        assertEquals("2000", fe[StatColumn.SLIM]);
        assertEquals("12", fe[StatColumn.STOT]);

        assertEquals("DRAIN", row(StatRows.all(StatsFixtures.snapshot(AdminState.DRAIN, 50)), "app", "b")[StatColumn.STATUS]);
        List<StatRow> maint = StatRows.all(StatsFixtures.snapshot(AdminState.MAINT, 50));
        assertEquals("MAINT", row(maint, "app", "b")[StatColumn.STATUS]);
        assertEquals("DOWN", row(maint, "app", "BACKEND")[StatColumn.STATUS]);   // as HAProxy: no usable server left
        assertEquals("0", row(maint, "app", "BACKEND")[StatColumn.WEIGHT]);
    }

    @Test
    void risingAndFallingServersShowTheirCounts() {
        var going = io.tidegate.health.HealthState.initial(2, 3, io.tidegate.health.InitialState.FULLY_UP)
                .after(io.tidegate.health.CheckResult.of(io.tidegate.health.CheckStatus.L4TOUT), StatsFixtures.NOW);
        var rising = io.tidegate.health.HealthState.initial(2, 3, io.tidegate.health.InitialState.FULLY_DOWN)
                .after(io.tidegate.health.CheckResult.of(io.tidegate.health.CheckStatus.L4OK), StatsFixtures.NOW);
        StatsSnapshot s = StatsFixtures.snapshot(StatsFixtures.status(AdminState.READY, 50),
                (b, sv) -> java.util.Optional.of(sv.equals("a") ? rising : going));
        List<StatRow> rows = StatRows.all(s);
        assertEquals("DOWN 1/2", row(rows, "app", "a")[StatColumn.STATUS]);
        assertEquals("UP 2/3", row(rows, "app", "b")[StatColumn.STATUS]);
    }

    @Test
    void selectionByProxyTypeAndServerId() {
        StatsSnapshot s = StatsFixtures.snapshot(AdminState.READY, 50);
        assertEquals(List.of("a", "b", "c"), StatRows.select(s, "-1", StatRows.TYPE_SERVER, -1).stream().map(r -> r.field(1)).toList());
        assertEquals(List.of("a", "b", "BACKEND"), StatRows.select(s, "app", -1, -1).stream().map(r -> r.field(1)).toList());
        assertEquals(List.of("b"), StatRows.select(s, "2", StatRows.TYPE_SERVER, 2).stream().map(r -> r.field(1)).toList());
        assertEquals(List.of("FRONTEND", "BACKEND"), StatRows.select(s, "li", StatRows.TYPE_FRONTEND | StatRows.TYPE_BACKEND, -1)
                .stream().map(r -> r.field(1)).toList());
    }

    @Test
    void serversStateIsFormatOne() throws IOException {
        String text = ServersState.format(StatsFixtures.snapshot(AdminState.DRAIN, 20), "app");
        String[] lines = text.split("\n");
        assertEquals("1", lines[0]);
        assertEquals(resource("haproxy-2.6.12-servers-state-header.txt"), lines[1]);
        assertEquals(4, lines.length);
        // HAProxy 2.6 printed for a down checked server "3 app 1 a 127.0.0.1 0 0 1 1 6 8 2 0 6 0 0 0 - 18081 - 0 0 - - 0"
        assertEquals("2 app 1 a 127.0.0.1 0 0 1 1 3 8 2 0 6 0 0 0 - 18081 - 0 0 - - 0", lines[2]);
        // and for a drained one (admin flag 0x08) with uweight 20 of initial 50
        assertEquals("2 app 2 b 127.0.0.1 2 8 20 50 65 1 0 2 0 0 0 0 - 18082 - 0 0 - - 0", lines[3]);
        assertEquals(25, lines[3].split(" ").length);
    }

    @Test
    void showInfoHasHaproxysKeys() {
        var info = ShowInfo.fields(StatsFixtures.snapshot(AdminState.READY, 50));
        assertEquals("Tidegate", info.get("Name"));
        assertEquals("65", info.get("Uptime_sec"));
        assertEquals("0d 0h01m05s", info.get("Uptime"));
        assertTrue(info.get("Release_date").matches("\\d{4}/\\d{2}/\\d{2}"), "the build date, as hatop needs it");
        assertEquals("2", info.get("Tasks"));
        assertEquals("2", info.get("CurrConns"));
        assertEquals("12", info.get("CumConns"));
        assertEquals("30", info.get("CumReq"));
        assertEquals("4000", info.get("Maxconn"));
        assertTrue(ShowInfo.format(StatsFixtures.snapshot(AdminState.READY, 50)).startsWith("Name: Tidegate\nVersion: 0.1.0\n"));
    }
}
