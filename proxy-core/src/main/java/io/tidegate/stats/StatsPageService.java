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
 * description to the HTML page. With {@code stats admin if|unless COND} a request for which the
 * condition applies gets HAProxy's admin form (a checkbox per server, an action, Apply), which POSTs
 * to the page; the changes go through {@link StatsAdminActions} on another thread and the answer is
 * HAProxy's 303 redirect to the page with {@code ;st=DONE|PART|NONE|ERRP|EXCD|DENY}, whose message
 * the page then shows. A POST is refused (DENY) when no admin condition applies or when its
 * {@code Origin} (else {@code Referer}) names another host than the request's {@code Host}: a page
 * on another site cannot make a signed-in browser change servers.
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
        this(page, proxy, snapshots, null, null);
    }

    private final StatsAdminActions actions;
    private final java.util.concurrent.Executor actionRunner;

    /**
     * @param actions      where the admin form's changes go; null = none (the page stays read only)
     * @param actionRunner the thread the changes run on (never an IO thread)
     */
    public StatsPageService(StatsPage page, String proxy, Supplier<Optional<StatsSnapshot>> snapshots,
                            StatsAdminActions actions, java.util.concurrent.Executor actionRunner) {
        this.actions = actions;
        this.actionRunner = actionRunner;
        this.page = page;
        this.scope = page.scopes().isEmpty() ? null
                : page.scopes().stream().map(n -> n.equals(".") && proxy != null ? proxy : n).collect(java.util.stream.Collectors.toSet());
        this.snapshots = snapshots;
        this.allowed = page.auths().stream()
                .map(a -> "Basic " + Base64.getEncoder().encodeToString(a.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Override
    public LocalResponse answer(RequestHead request) {
        return answer(request, false);
    }

    /** The admin form is possible: admin rules and somewhere to send their changes. */
    private boolean adminPossible(boolean admin) {
        return admin && actions != null && actionRunner != null && !page.admins().isEmpty();
    }

    @Override
    public io.tidegate.engine.LocalPost post(RequestHead request, boolean admin, java.net.InetSocketAddress client) {
        if (!adminPossible(admin) || (!allowed.isEmpty() && !authorized(request)) || crossSite(request)) return null;     // answer(): 401 or DENY
        String user = user(request);
        String actor = "stats page " + (user != null ? user
                : client == null ? "-" : io.tidegate.net.AddressText.of(client.getAddress()));
        String target = request.target();
        return (body, answer) -> {
            if (body == null) {
                answer.accept(redirect(target, StatsAdminForm.Outcome.EXCD));
                return;
            }
            try {
                actionRunner.execute(() -> {
                    StatsAdminForm.Outcome o;
                    try {
                        Optional<StatsSnapshot> s = snapshots.get();
                        o = s.isEmpty() ? StatsAdminForm.Outcome.NONE : StatsAdminForm.apply(body, s.get(), actions, actor);
                    } catch (RuntimeException e) {
                        o = StatsAdminForm.Outcome.UNKN;
                    }
                    answer.accept(redirect(target, o));
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                answer.accept(LocalResponse.SERVICE_UNAVAILABLE);
            }
        };
    }

    /**
     * HAProxy's answer to the form: 303 to the page (keeping {@code ;up}, {@code ;norefresh} and the
     * scope of the URI posted to) with the outcome, so reloading the page does not post again.
     */
    private LocalResponse redirect(String postedTarget, StatsAdminForm.Outcome outcome) {
        String suffix = postedTarget.length() > page.uri().length() ? postedTarget.substring(page.uri().length()) : "";
        StringBuilder location = new StringBuilder(page.uri()).append(";st=").append(outcome.name());
        if (suffix.contains(";up")) location.append(";up");
        if (suffix.contains(";norefresh")) location.append(";norefresh");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cache-Control", "no-cache");
        h.put("Content-Type", "text/plain");
        h.put("Location", location.toString());
        return LocalResponse.of(303, "See Other", h, new byte[0]);
    }

    /**
     * A browser's POST from a page of another site: its {@code Origin} (else its {@code Referer})
     * names another host[:port] than {@code Host}. A request with neither (curl, scripts) is not one.
     */
    static boolean crossSite(RequestHead request) {
        String host = header(request, "Host");
        String origin = header(request, "Origin");
        String from = origin != null ? origin : header(request, "Referer");
        if (from == null) return false;
        if (from.equals("null") || host == null) return true;          // an opaque origin (sandboxed, file:)
        try {
            java.net.URI u = new java.net.URI(from.strip());
            if (u.getRawAuthority() == null) return true;
            String authority = u.getRawAuthority();
            int at = authority.lastIndexOf('@');
            if (at >= 0) authority = authority.substring(at + 1);
            return !sameHost(authority, host.strip(), u.getScheme());
        } catch (java.net.URISyntaxException e) {
            return true;
        }
    }

    /** host[:port] equal, ignoring case and a default port written on one side only. */
    private static boolean sameHost(String a, String b, String scheme) {
        String defaultPort = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        if (a.endsWith(defaultPort)) a = a.substring(0, a.length() - defaultPort.length());
        if (b.endsWith(defaultPort)) b = b.substring(0, b.length() - defaultPort.length());
        return a.equals(b);
    }

    private static String header(RequestHead request, String name) {
        if (request == null) return null;
        for (int i = 0; i < request.headerCount(); i++) {
            if (request.name(i).equalsIgnoreCase(name)) return request.value(i);
        }
        return null;
    }

    /** The signed-in {@code stats auth} user, null when the page has no sign-in. */
    private String user(RequestHead request) {
        if (allowed.isEmpty()) return null;
        String a = header(request, "Authorization");
        if (a == null || !a.strip().regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded = new String(Base64.getDecoder().decode(a.strip().substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
    }

    @Override
    public LocalResponse answer(RequestHead request, boolean admin) {
        if (!allowed.isEmpty() && !authorized(request)) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "text/html");
            h.put("Cache-Control", "no-cache");
            h.put("WWW-Authenticate", "Basic realm=\"" + page.effectiveRealm().replace("\"", "") + "\"");
            return LocalResponse.of(401, "Unauthorized", h,
                    "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n"
                            .getBytes(StandardCharsets.UTF_8));
        }
        if (request != null && request.method().equals("POST")) {
            // a POST this page does not take: no admin condition applies, or it comes from another site
            return redirect(request.target(), StatsAdminForm.Outcome.DENY);
        }
        Optional<StatsSnapshot> s = snapshots.get();
        if (s.isEmpty()) return LocalResponse.SERVICE_UNAVAILABLE;
        String target = request == null ? page.uri() : request.target();
        Optional<StatsAdminForm.Outcome> outcome = StatsAdminForm.Outcome.fromUri(target);
        boolean form = adminPossible(admin);
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
        return LocalResponse.of(200, "OK", h, html(s.get(), refresh, form, outcome.orElse(null)).getBytes(StandardCharsets.UTF_8));
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

    private String html(StatsSnapshot s, boolean refresh, boolean form, StatsAdminForm.Outcome outcome) {
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
          .append(" &middot; changes: ").append(form ? "the forms below, " : "")
          .append("the stats socket, JMX or the <a href=\"/tidegate/\">admin app</a></p>\n");
        if (outcome != null) {
            boolean good = outcome == StatsAdminForm.Outcome.DONE;
            sb.append("<p class=\"st ").append(outcome.name()).append("\" style=\"padding:4px;background:")
              .append(good ? "#cfc" : outcome == StatsAdminForm.Outcome.NONE || outcome == StatsAdminForm.Outcome.PART ? "#fdb" : "#fcc")
              .append("\"><a href=\"").append(esc(page.uri())).append("\" title=\"Remove this message\">[X]</a> ")
              .append(esc(outcome.message())).append("</p>\n");
        }
        if (page.node() != null) {
            sb.append("<p>Node: <b>").append(esc(page.node().isEmpty() ? s.process().node() : page.node())).append("</b></p>\n");
        }
        if (page.description() != null && !page.description().isEmpty()) {
            sb.append("<p>Description: ").append(esc(page.description())).append("</p>\n");
        }
        List<StatRow> rows = rows(s);
        for (StatsSnapshot.Proxy p : s.proxies()) {
            if (scope != null && !scope.contains(p.name())) continue;
            boolean withForm = form && p.backend() != null && !p.backend().servers().isEmpty();
            if (withForm) sb.append("<form method=\"post\" action=\"").append(esc(page.uri())).append("\">");
            sb.append("<table><caption style=\"text-align:left\"><b>").append(esc(p.name())).append("</b></caption><tr>");
            if (withForm) sb.append("<th></th>");
            for (int c : COLUMNS) sb.append("<th>").append(StatColumn.NAMES.get(c)).append("</th>");
            sb.append("</tr>\n");
            for (StatRow r : rows) {
                if (r.iid() != p.iid()) continue;
                String status = r.field(StatColumn.STATUS).split(" ")[0];
                sb.append("<tr class=\"").append(esc(status)).append("\">");
                if (withForm) {
                    sb.append(r.type() == StatRow.SERVER
                            ? "<td><input type=\"checkbox\" name=\"s\" value=\"" + esc(r.field(StatColumn.SVNAME)) + "\"></td>"
                            : "<td></td>");
                }
                for (int c : COLUMNS) {
                    sb.append(c == StatColumn.SVNAME ? "<td class=\"n\">" : "<td>").append(esc(r.field(c))).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
            if (withForm) {
                // HAProxy 2.6's list and field names, so scripts written for its form work unchanged
                sb.append("Choose the action to perform on the checked servers : <select name=\"action\">")
                  .append("<option value=\"\"></option>");
                for (String[] o : FORM_ACTIONS) {
                    sb.append("<option value=\"").append(o[0]).append("\">").append(o[1]).append("</option>");
                }
                sb.append("</select><input type=\"hidden\" name=\"b\" value=\"#").append(p.iid())
                  .append("\">&nbsp;<input type=\"submit\" value=\"Apply\"></form>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    /** HAProxy 2.6's action list: value, label ({@link StatsAdminForm} says what each does in Tidegate). */
    private static final String[][] FORM_ACTIONS = {
        {"ready", "Set state to READY"}, {"drain", "Set state to DRAIN"}, {"maint", "Set state to MAINT"},
        {"dhlth", "Health: disable checks"}, {"ehlth", "Health: enable checks"}, {"hrunn", "Health: force UP"},
        {"hnolb", "Health: force NOLB"}, {"hdown", "Health: force DOWN"}, {"dagent", "Agent: disable checks"},
        {"eagent", "Agent: enable checks"}, {"arunn", "Agent: force UP"}, {"adown", "Agent: force DOWN"},
        {"shutdown", "Kill Sessions"}};

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
