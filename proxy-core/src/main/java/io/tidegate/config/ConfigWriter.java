package io.tidegate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Config} back to HAProxy-syntax text in the modern spelling ({@code bind} lines,
 * {@code timeout connect}, {@code option redispatch}; a 1.4 {@code dispatch} becomes the server it
 * stands for). Sections, binds, servers and repeated lines keep their order; within a section the
 * statements come in a fixed order (binds, mode, limits, balance, timeouts, options, checks, cookie,
 * monitoring, logs, backend rules, default-server, servers). Words that need it are quoted, so that
 * {@code new ConfigParser().parse(source, write(config)).config()} equals {@code config}.
 *
 * <p>Comments are not kept: the model holds what a file means, not its layout.
 */
public final class ConfigWriter {

    private static final String INDENT = "    ";

    private ConfigWriter() {
    }

    public static String write(Config config) {
        StringBuilder out = new StringBuilder();
        if (!config.global().isEmpty()) {
            writeGlobal(config.global(), out);
        }
        for (Userlist u : config.userlists()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            writeUserlist(u, out);
        }
        for (Section s : config.sections()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (s instanceof DefaultsSection d) {
                line(out, 0, "defaults", d.name());
                writeSettings(d.settings(), out);
                if (d.defaultBackend() != null) {
                    line(out, 1, "default_backend", d.defaultBackend());
                }
                writeStatsPage(d.statsPage(), out);
            } else if (s instanceof ProxySection p) {
                writeProxy(p, out);
            }
        }
        return out.toString();
    }

    private static void writeUserlist(Userlist u, StringBuilder out) {
        line(out, 0, "userlist", u.name());
        for (Userlist.Group g : u.groups()) {
            line(out, 1, "group", g.name(), g.users().isEmpty() ? null : "users",
                    g.users().isEmpty() ? null : String.join(",", g.users()));
        }
        for (Userlist.User user : u.users()) {
            line(out, 1, "user", user.name(), user.password() == null ? null
                            : user.insecure() ? "insecure-password" : "password", user.password(),
                    user.groups().isEmpty() ? null : "groups",
                    user.groups().isEmpty() ? null : String.join(",", user.groups()));
        }
    }

    private static void writeGlobal(GlobalSection g, StringBuilder out) {
        line(out, 0, "global");
        if (g.daemon()) {
            line(out, 1, "daemon");
        }
        if (g.quiet()) {
            line(out, 1, "quiet");
        }
        if (g.pidfile() != null) {
            line(out, 1, "pidfile", g.pidfile());
        }
        if (g.maxconn() != null) {
            line(out, 1, "maxconn", g.maxconn().toString());
        }
        if (g.nbthread() != null) {
            line(out, 1, "nbthread", g.nbthread().toString());
        }
        if (g.hardStopAfter() != null) {
            line(out, 1, "hard-stop-after", Units.formatTime(g.hardStopAfter()));
        }
        for (LogTarget log : g.logs()) {
            writeLog(log, out);
        }
        if (g.httpMaxhdr() != null) {
            line(out, 1, "tune.http.maxhdr", g.httpMaxhdr().toString());
        }
        for (StatsSocket s : g.stats().sockets()) {
            line(out, 1, s.configWords());
        }
        if (g.stats().timeoutMs() > 0) {
            line(out, 1, "stats", "timeout", g.stats().timeoutMs() + "ms");
        }
        if (g.stats().maxconn() > 0) {
            line(out, 1, "stats", "maxconn", Integer.toString(g.stats().maxconn()));
        }
    }

    private static void writeProxy(ProxySection p, StringBuilder out) {
        line(out, 0, p.kind().keyword(), p.name());
        for (Bind b : p.binds()) {
            line(out, 1, "bind", b.address());
        }
        writeSettings(p.settings(), out);
        if (p.defaultBackend() != null) {
            line(out, 1, "default_backend", p.defaultBackend());
        }
        for (ProxyRule r : p.rules()) {
            line(out, 1, r.words());
        }
        for (String b : p.useBackends()) {
            line(out, 1, "use_backend", b);
        }
        writeStatsPage(p.statsPage(), out);
        for (Server s : p.servers()) {
            List<String> words = new ArrayList<>(List.of("server", s.name(), Addresses.format(s.host(), s.port())));
            words.addAll(serverOptionWords(s.options()));
            line(out, 1, words);
        }
    }

    private static void writeStatsPage(StatsPage page, StringBuilder out) {
        if (page == null) {
            return;
        }
        line(out, 1, "stats", "enable");
        if (!page.uri().equals(StatsPage.DEFAULT_URI)) {
            line(out, 1, "stats", "uri", page.uri());
        }
        if (page.realm() != null) {
            List<String> words = new ArrayList<>(List.of("stats", "realm"));
            words.addAll(List.of(page.realm().split(" ")));
            line(out, 1, words);
        }
        for (String auth : page.auths()) {
            line(out, 1, "stats", "auth", auth);
        }
        if (page.refreshSeconds() > 0) {
            line(out, 1, "stats", "refresh", page.refreshSeconds() + "s");
        }
        if (page.hideVersion()) {
            line(out, 1, "stats", "hide-version");
        }
        for (String scope : page.scopes()) {
            line(out, 1, "stats", "scope", scope);
        }
        if (page.node() != null) {
            if (page.node().isEmpty()) line(out, 1, "stats", "show-node");
            else line(out, 1, "stats", "show-node", page.node());
        }
        if (page.description() != null) {
            List<String> words = new ArrayList<>(List.of("stats", "show-desc"));
            if (!page.description().isEmpty()) words.addAll(List.of(page.description().split(" ")));
            line(out, 1, words);
        }
        for (StatsPage.Admin admin : page.admins()) {
            line(out, 1, admin.words());
        }
    }

    private static void writeSettings(ProxySettings s, StringBuilder out) {
        if (s.mode() != null) {
            line(out, 1, "mode", s.mode().keyword());
        }
        for (ProxyCount c : ProxyCount.values()) {
            if (c.in(s) != null) {
                line(out, 1, c.keyword(), c.in(s).toString());
            }
        }
        if (s.grace() != null) {
            line(out, 1, "grace", Units.formatTime(s.grace()));
        }
        if (s.balance() != null) {
            Balance b = s.balance();
            List<String> words = new ArrayList<>();
            words.add("balance");
            words.add(b.algorithm().keyword() + (b.parameter() == null ? "" : "(" + b.parameter() + ")"));
            words.addAll(b.arguments());
            line(out, 1, words);
        }
        if (s.persistRdpCookie() != null) {
            line(out, 1, List.of("persist", s.persistRdpCookie().equals("msts") ? "rdp-cookie"
                    : "rdp-cookie(" + s.persistRdpCookie() + ")"));
        }
        if (s.hashType() != null) {
            List<String> words = new ArrayList<>(List.of("hash-type"));
            words.addAll(List.of(s.hashType().split(" ")));
            line(out, 1, words);
        }
        writeTimeouts(s.timeouts(), out);
        s.errorfiles().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> line(out, 1, "errorfile", e.getKey().toString(), e.getValue()));
        if (s.connectionMode() != null) {
            line(out, 1, "option", s.connectionMode().option());
        }
        if (s.forwardFor() != null) {
            writeForwardFor(s.forwardFor(), out);
        }
        if (s.captureCookie() != null) {
            line(out, 1, "capture", "cookie", s.captureCookie().name(), "len",
                    Integer.toString(s.captureCookie().length()));
        }
        if (s.logFormat() != null) {
            if (s.logFormat().isCustom()) line(out, 1, "log-format", s.logFormat().format());
            else line(out, 1, "option", s.logFormat().option());
        }
        for (ProxyFlag f : ProxyFlag.values()) {
            if (!s.flags().isWritten(f)) continue;
            if (f.isOption()) flag(out, f.keyword(), s.flags().isOn(f));
            else if (s.flags().isOn(f)) line(out, 1, f.statement(), f.keyword());
        }
        if (s.redispatchDrained() != null) {
            if (s.redispatchDrained().isZero()) {
                line(out, 1, "no", "option", "redispatch-drained");
            } else {
                line(out, 1, "option", "redispatch-drained", Units.formatTime(s.redispatchDrained()));
            }
        }
        if (s.healthCheck() != null) {
            HealthCheck h = s.healthCheck();
            switch (h.kind()) {
                case HTTP -> line(out, 1, "option", "httpchk", h.method(), h.uri(), h.version());
                case SSL_HELLO -> line(out, 1, "option", "ssl-hello-chk");
                case REDIS, PGSQL, MYSQL, SMTP, LDAP -> {
                    List<String> words = new ArrayList<>(List.of("option", h.option()));
                    words.addAll(h.arguments());
                    line(out, 1, words);
                }
                case TCP_CHECK -> line(out, 1, "option", "tcp-check");
                case TCP -> line(out, 1, "no", "option", "httpchk");
            }
        }
        for (TcpCheckRule r : s.tcpCheckRules()) {
            line(out, 1, tcpCheckWords(r));
        }
        if (s.httpCheckExpect() != null) {
            HttpCheckExpect e = s.httpCheckExpect();
            List<String> words = new ArrayList<>(List.of("http-check", "expect"));
            if (e.negated()) {
                words.add("!");
            }
            words.add(e.match());
            words.add(e.pattern());
            line(out, 1, words);
        }
        if (s.httpCheckSend() != null) {
            HttpCheckSend h = s.httpCheckSend();
            List<String> words = new ArrayList<>(List.of("http-check", "send"));
            if (h.method() != null) words.addAll(List.of("meth", h.method()));
            if (h.uri() != null) words.addAll(List.of("uri", h.uri()));
            if (h.version() != null) words.addAll(List.of("ver", h.version()));
            for (String hdr : h.headers()) {
                int colon = hdr.indexOf(':');
                words.addAll(List.of("hdr", hdr.substring(0, colon), hdr.substring(colon + 1).strip()));
            }
            if (h.body() != null) words.addAll(List.of("body", h.body()));
            line(out, 1, words);
        }
        if (s.cookie() != null) {
            writeCookie(s.cookie(), out);
        }
        if (s.compression() != null) {
            Compression c = s.compression();
            java.util.List<String> algo = new java.util.ArrayList<>(java.util.List.of("compression", "algo"));
            algo.addAll(c.algorithms());
            if (!c.algorithms().isEmpty()) line(out, 1, algo);
            java.util.List<String> type = new java.util.ArrayList<>(java.util.List.of("compression", "type"));
            type.addAll(c.types());
            if (!c.types().isEmpty()) line(out, 1, type);
            if (c.offload()) line(out, 1, "compression", "offload");
        }
        if (s.monitorUri() != null) {
            line(out, 1, "monitor-uri", s.monitorUri());
        }
        for (String net : s.monitorNets()) {
            line(out, 1, "monitor-net", net);
        }
        for (LogTarget log : s.logs()) {
            writeLog(log, out);
        }
        if (!s.defaultServer().isEmpty()) {
            List<String> words = new ArrayList<>(List.of("default-server"));
            words.addAll(serverOptionWords(s.defaultServer()));
            line(out, 1, words);
        }
    }

    private static void writeTimeouts(Timeouts t, StringBuilder out) {
        for (TimeoutKind k : TimeoutKind.values()) {
            if (k.in(t) != null) {
                line(out, 1, "timeout", k.keyword(), Units.formatTime(k.in(t)));
            }
        }
    }

    private static void writeForwardFor(ForwardFor f, StringBuilder out) {
        if (!f.enabled()) {
            line(out, 1, "no", "option", "forwardfor");
            return;
        }
        List<String> words = new ArrayList<>(List.of("option", "forwardfor"));
        if (f.exceptNetwork() != null) {
            words.add("except");
            words.add(f.exceptNetwork());
        }
        if (f.header() != null) {
            words.add("header");
            words.add(f.header());
        }
        if (f.ifNone()) {
            words.add("if-none");
        }
        line(out, 1, words);
    }

    /** One {@code cookie} line, without indent or line end. */
    static String cookieLine(CookieSpec c) {
        StringBuilder out = new StringBuilder();
        line(out, 0, cookieWords(c));
        return out.toString().strip();
    }

    private static void writeCookie(CookieSpec c, StringBuilder out) {
        line(out, 1, cookieWords(c));
    }

    private static List<String> cookieWords(CookieSpec c) {
        List<String> words = new ArrayList<>(List.of("cookie", c.name()));
        if (c.mode().keyword() != null) {
            words.add(c.mode().keyword());
        }
        addIf(words, c.indirect(), "indirect");
        addIf(words, c.nocache(), "nocache");
        addIf(words, c.preserve(), "preserve");
        addIf(words, c.httponly(), "httponly");
        addIf(words, c.secure(), "secure");
        addIf(words, c.postonly(), "postonly");
        for (String d : c.domains()) {
            words.add("domain");
            words.add(d);
        }
        if (c.maxidle() != null) {
            words.add("maxidle");
            words.add(Units.formatTime(c.maxidle()));
        }
        if (c.maxlife() != null) {
            words.add("maxlife");
            words.add(Units.formatTime(c.maxlife()));
        }
        for (String a : c.attrs()) {
            words.add("attr");
            words.add(a);
        }
        return words;
    }

    private static void writeLog(LogTarget log, StringBuilder out) {
        if (log.isGlobal()) {
            line(out, 1, "log", "global");
        } else if (log.isDisabled()) {
            line(out, 1, "no", "log");
        } else {
            List<String> w = new ArrayList<>(List.of("log", log.address()));
            if (log.length() != null) {
                w.add("len");
                w.add(log.length().toString());
            }
            if (log.format() != null) {
                w.add("format");
                w.add(log.format());
            }
            w.add(log.facility());
            if (log.level() != null) w.add(log.level());
            if (log.minLevel() != null) w.add(log.minLevel());
            line(out, 1, w);
        }
    }

    /** The option words of a server or default-server line. */
    static List<String> serverOptionWords(ServerOptions o) {
        List<String> w = new ArrayList<>();
        valued(w, "weight", o.weight());
        valued(w, "cookie", o.cookie());
        if (o.check() != null) {
            w.add(o.check() ? "check" : "no-check");
        }
        valued(w, "inter", o.inter());
        valued(w, "fastinter", o.fastinter());
        valued(w, "downinter", o.downinter());
        valued(w, "rise", o.rise());
        valued(w, "fall", o.fall());
        valued(w, "port", o.port());
        valued(w, "addr", o.addr() == null ? null : Addresses.format(o.addr(), 0));
        if (o.backup() != null) {
            w.add(o.backup() ? "backup" : "no-backup");
        }
        valued(w, "maxconn", o.maxconn());
        valued(w, "minconn", o.minconn());
        valued(w, "maxqueue", o.maxqueue());
        valued(w, "source", o.source());
        valued(w, "slowstart", o.slowstart());
        if (o.disabled() != null) {
            w.add(o.disabled() ? "disabled" : "enabled");
        }
        if (o.marked() != null && o.marked().writtenDown() && o.marked().shutdownSessionsOnDown()) {
            w.addAll(List.of("on-marked-down", "shutdown-sessions"));
        }
        if (o.marked() != null && o.marked().writtenUp() && o.marked().shutdownBackupSessionsOnUp()) {
            w.addAll(List.of("on-marked-up", "shutdown-backup-sessions"));
        }
        return w;
    }

    private static void valued(List<String> words, String key, Object value) {
        if (value != null) {
            words.add(key);
            words.add(value instanceof Duration d ? Units.formatTime(d) : value.toString());
        }
    }

    private static void addIf(List<String> words, boolean condition, String word) {
        if (condition) {
            words.add(word);
        }
    }

    private static void flag(StringBuilder out, String option, Boolean value) {
        if (value != null) {
            if (value) {
                line(out, 1, "option", option);
            } else {
                line(out, 1, "no", "option", option);
            }
        }
    }

    /** One line of words; {@code null} words (optional trailing ones) are left out. */
    private static void line(StringBuilder out, int indent, String... words) {
        List<String> present = new ArrayList<>();
        for (String w : words) {
            if (w != null) {
                present.add(w);
            }
        }
        line(out, indent, present);
    }

    /** A {@code tcp-check} rule as written. */
    private static List<String> tcpCheckWords(TcpCheckRule rule) {
        List<String> w = new ArrayList<>(List.of("tcp-check"));
        if (rule instanceof TcpCheckRule.Comment c) {
            w.addAll(List.of("comment", c.comment()));
            return w;
        }
        if (rule instanceof TcpCheckRule.Connect c) {
            w.add("connect");
            if (c.useDefault()) w.add("default");
            if (c.port() != null) w.addAll(List.of("port", c.port().toString()));
            if (c.addr() != null) w.addAll(List.of("addr", c.addr().toString()));
            if (c.sendProxy()) w.add("send-proxy");
            if (c.linger()) w.add("linger");
        } else if (rule instanceof TcpCheckRule.Send s) {
            w.addAll(List.of(s.binary() ? "send-binary" : s.logFormat() ? "send-lf" : "send", s.data()));
        } else if (rule instanceof TcpCheckRule.Expect e) {
            w.add("expect");
            if (e.minRecv() != -1) w.addAll(List.of("min-recv", Integer.toString(e.minRecv())));
            if (e.okStatus() != null) w.addAll(List.of("ok-status", e.okStatus()));
            if (e.errorStatus() != null) w.addAll(List.of("error-status", e.errorStatus()));
            if (e.toutStatus() != null) w.addAll(List.of("tout-status", e.toutStatus()));
            if (e.onSuccess() != null) w.addAll(List.of("on-success", e.onSuccess()));
            if (e.onError() != null) w.addAll(List.of("on-error", e.onError()));
            if (e.statusCode() != null) w.addAll(List.of("status-code", "int(" + e.statusCode() + ")"));
            if (e.negated()) w.add("!");
            w.addAll(List.of(e.match().keyword(), e.pattern()));
        }
        if (rule.comment() != null) w.addAll(List.of("comment", rule.comment()));
        return w;
    }

    private static void line(StringBuilder out, int indent, List<String> words) {
        if (indent > 0) {
            out.append(INDENT);
        }
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(quote(words.get(i)));
        }
        out.append('\n');
    }

    /**
     * A word as the {@link Tokenizer} will read it back: as is when it has no special character,
     * else in single quotes (nothing is interpreted there), else, when it contains a single quote or
     * a control character, in double quotes with backslash escapes.
     */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(ConfigWriter::isSpecial)) {
            return word;
        }
        if (word.indexOf('\'') < 0 && word.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return "'" + word + "'";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            switch (c) {
                case '"', '\\', '$' -> b.append('\\').append(c);
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static boolean isSpecial(int c) {
        return c <= ' ' || c == '#' || c == '\'' || c == '"' || c == '\\' || c == '$' || c == 0x7f;
    }
}
