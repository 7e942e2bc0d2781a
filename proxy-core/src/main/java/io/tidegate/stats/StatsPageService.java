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
 * in {@code stats realm}. {@code stats scope} limits every form to the proxies named ({@code .} = the
 * page's own); {@code stats show-node} and {@code stats show-desc} add the node name and a
 * description to the HTML page. Read only: changes are made over the stats socket, JMX or the admin app.
 */
public final class StatsPageService implements LocalService {
    private final StatsPage page;
    private final Supplier<Optional<StatsSnapshot>> snapshots;
    private final List<String> allowed;
    /** The proxy names {@code stats scope} shows, null = all. */
    private final java.util.Set<String> scope;

    public StatsPageService(StatsPage page, Supplier<Optional<StatsSnapshot>> snapshots) {
        this(page, null, snapshots);
    }

    /** @param proxy the proxy serving the page (what {@code stats scope .} names) */
    public StatsPageService(StatsPage page, String proxy, Supplier<Optional<StatsSnapshot>> snapshots) {
        this.page = page;
        this.scope = page.scopes().isEmpty() ? null
                : page.scopes().stream().map(n -> n.equals(".") && proxy != null ? proxy : n).collect(java.util.stream.Collectors.toSet());
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
            return LocalResponse.of(200, "OK", h, StatsTyped.json(rows(s.get())).getBytes(StandardCharsets.UTF_8));
        }
        if (csv) {
            h.put("Content-Type", "text/plain");
            if (refresh) h.put("Refresh", Long.toString(page.refreshSeconds()));
            return LocalResponse.of(200, "OK", h, StatsCsv.format(rows(s.get())).getBytes(StandardCharsets.UTF_8));
        }
        h.put("Content-Type", "text/html");
        if (refresh) h.put("Refresh", Long.toString(page.refreshSeconds()));
        return LocalResponse.of(200, "OK", h, html(s.get(), refresh).getBytes(StandardCharsets.UTF_8));
    }

    /** The rows {@code stats scope} lets the page show. */
    private List<StatRow> rows(StatsSnapshot s) {
        List<StatRow> all = StatRows.all(s);
        return scope == null ? all : all.stream().filter(r -> scope.contains(r.field(StatColumn.PXNAME))).toList();
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
        if (page.node() != null) {
            sb.append("<p>Node: <b>").append(esc(page.node().isEmpty() ? s.process().node() : page.node())).append("</b></p>\n");
        }
        if (page.description() != null && !page.description().isEmpty()) {
            sb.append("<p>Description: ").append(esc(page.description())).append("</p>\n");
        }
        List<StatRow> rows = rows(s);
        for (StatsSnapshot.Proxy p : s.proxies()) {
            if (scope != null && !scope.contains(p.name())) continue;
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
