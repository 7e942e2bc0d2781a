package io.tidegate.stats;

import io.tidegate.config.StatsPage;
import io.tidegate.engine.LocalResponse;
import io.tidegate.engine.LocalService;
import io.tidegate.http.RequestHead;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * HAProxy's statistics page ({@code stats uri}) for one frontend: an HTML table of every proxy and
 * server, or with the suffix {@code ;csv} the {@code show stat} CSV, with {@code ;json} its JSON form;
 * {@code ;norefresh} drops the
 * automatic refresh of {@code stats refresh}. With {@code stats auth} it asks for HTTP Basic sign-in
 * in {@code stats realm}. Read only: changes are made over the stats socket, JMX or the admin app.
 */
public final class StatsPageService implements LocalService {
    private final StatsPage page;
    private final Supplier<Optional<StatsSnapshot>> snapshots;
    private final List<String> allowed;

    public StatsPageService(StatsPage page, Supplier<Optional<StatsSnapshot>> snapshots) {
        this.page = page;
        this.snapshots = snapshots;
        this.allowed = page.auths().stream()
                .map(a -> "Basic " + Base64.getEncoder().encodeToString(a.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Override
    public LocalResponse answer(RequestHead request) {
        if (!allowed.isEmpty() && !authorized(request)) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "text/html");
            h.put("Cache-Control", "no-cache");
            h.put("WWW-Authenticate", "Basic realm=\"" + page.effectiveRealm().replace("\"", "") + "\"");
            return LocalResponse.of(401, "Unauthorized", h,
                    "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n"
                            .getBytes(StandardCharsets.UTF_8));
        }
        Optional<StatsSnapshot> s = snapshots.get();
        if (s.isEmpty()) return LocalResponse.SERVICE_UNAVAILABLE;
        String target = request == null ? page.uri() : request.target();
        String suffix = target.length() > page.uri().length() ? target.substring(page.uri().length()) : "";
        boolean csv = suffix.contains(";csv");
        boolean refresh = page.refreshSeconds() > 0 && !suffix.contains(";norefresh");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-cache");
        if (suffix.contains(";json")) {
            h.put("Content-Type", "application/json");
            return LocalResponse.of(200, "OK", h, StatsTyped.json(StatRows.all(s.get())).getBytes(StandardCharsets.UTF_8));
        }
        if (csv) {
            h.put("Content-Type", "text/plain");
            if (refresh) h.put("Refresh", Long.toString(page.refreshSeconds()));
            return LocalResponse.of(200, "OK", h, StatsCsv.format(StatRows.all(s.get())).getBytes(StandardCharsets.UTF_8));
        }
        h.put("Content-Type", "text/html");
        if (refresh) h.put("Refresh", Long.toString(page.refreshSeconds()));
        return LocalResponse.of(200, "OK", h, html(s.get(), refresh).getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(RequestHead request) {
        if (request == null) return false;
        for (int i = 0; i < request.headerCount(); i++) {
            if (request.name(i).equalsIgnoreCase("Authorization") && allowed.contains(request.value(i).strip())) return true;
        }
        return false;
    }

    private static final int[] COLUMNS = {StatColumn.SVNAME, StatColumn.STATUS, StatColumn.WEIGHT, StatColumn.ACT, StatColumn.BCK,
        StatColumn.QCUR, StatColumn.SCUR, StatColumn.SMAX, StatColumn.SLIM, StatColumn.STOT, StatColumn.BIN, StatColumn.BOUT,
        StatColumn.EREQ, StatColumn.ECON, StatColumn.WRETR, StatColumn.WREDIS, StatColumn.HRSP_2XX, StatColumn.HRSP_5XX,
        StatColumn.CHECK_STATUS, StatColumn.LASTCHG, StatColumn.ADDR};

    private String html(StatsSnapshot s, boolean refresh) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Statistics Report</title>\n")
          .append("<style>body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse;margin-bottom:1em}")
          .append("th,td{border:1px solid #999;padding:2px 6px;text-align:right}th{background:#ddd}td.n{text-align:left}")
          .append("tr.UP td{background:#cfc}tr.DOWN td{background:#fcc}tr.MAINT td{background:#ccf}tr.DRAIN td{background:#fdb}")
          .append("</style></head><body>\n<h1>Statistics Report");
        if (!page.hideVersion()) sb.append(" for Tidegate ").append(esc(s.process().version()));
        sb.append("</h1>\n<p>Uptime ").append(ShowInfo.uptimeText(java.time.Duration.between(s.process().started(), s.now()).getSeconds()))
          .append(refresh ? " &middot; refreshed every " + page.refreshSeconds() + " s (<a href=\"" + esc(page.uri()) + ";norefresh\">stop</a>)" : "")
          .append(" &middot; <a href=\"").append(esc(page.uri())).append(";csv\">CSV export</a>")
          .append(" &middot; changes: the stats socket, JMX or the <a href=\"/tidegate/\">admin app</a></p>\n");
        List<StatRow> rows = StatRows.all(s);
        for (StatsSnapshot.Proxy p : s.proxies()) {
            sb.append("<table><caption style=\"text-align:left\"><b>").append(esc(p.name())).append("</b></caption><tr>");
            for (int c : COLUMNS) sb.append("<th>").append(StatColumn.NAMES.get(c)).append("</th>");
            sb.append("</tr>\n");
            for (StatRow r : rows) {
                if (r.iid() != p.iid()) continue;
                String status = r.field(StatColumn.STATUS).split(" ")[0];
                sb.append("<tr class=\"").append(esc(status)).append("\">");
                for (int c : COLUMNS) {
                    sb.append(c == StatColumn.SVNAME ? "<td class=\"n\">" : "<td>").append(esc(r.field(c))).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
