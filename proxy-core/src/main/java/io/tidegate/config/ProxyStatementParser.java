package io.tidegate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies one statement of a {@code defaults}, {@code listen}, {@code frontend} or {@code backend}
 * section to the section being built. Every error is reported to the {@link ParseContext} and the
 * statement is skipped; every feature used is recorded there for {@link SupportedFeatures}.
 */
final class ProxyStatementParser {

    private static final Pattern NETWORK = Pattern.compile(
            "(\\d{1,3}(\\.\\d{1,3}){3})(/(\\d{1,2}|\\d{1,3}(\\.\\d{1,3}){3}))?|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(/\\d{1,3})?");
    private static final Set<String> FACILITIES = Set.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    private static final Set<String> LEVELS = Set.of("emerg", "alert", "crit", "err", "warning", "notice", "info",
            "debug");
    /** Facilities in syslog's numbering, for messages and for the PRI of a syslog line. */
    static final List<String> FACILITY_ORDER = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    static final List<String> LOG_FORMATS = List.of("raw", "short", "rfc3164", "rfc5424");
    private static final List<String> EXPECT_MATCHES = List.of("status", "rstatus", "string", "rstring");

    private final ParseContext ctx;
    private final ServerLineParser serverLines;
    private final RuleParser rules;

    ProxyStatementParser(ParseContext ctx) {
        this.ctx = ctx;
        this.serverLines = new ServerLineParser(ctx);
        this.rules = new RuleParser(ctx);
    }

    void apply(ConfigLine line, ProxyDraft d) {
        String keyword = line.keyword().text();
        Set<SectionType> allowed = Keywords.PROXY.get(keyword);
        if (allowed == null) {
            ctx.error(line.keyword(), "unknown keyword '" + keyword + "' in " + d.describe()
                    + "; keywords valid in a " + d.type.keyword() + " section: "
                    + String.join(", ", Keywords.validIn(d.type)));
            return;
        }
        if (!allowed.contains(d.type)) {
            ctx.error(line.keyword(), "'" + keyword + "' is not allowed in a " + d.type.keyword()
                    + " section (valid in: " + Keywords.sectionsOf(allowed) + ")");
            return;
        }
        try {
            switch (keyword) {
                case "bind" -> bind(line, d);
                case "mode" -> mode(line, d);
                case "balance" -> balance(line, d);
                case "server" -> server(line, d);
                case "default-server" -> defaultServer(line, d);
                case "dispatch" -> dispatch(line, d);
                case "default_backend" -> defaultBackend(line, d);
                case "use_backend" -> useBackend(line, d);
                case "timeout" -> timeout(line, d);
                case "option" -> option(line, 1, true, d);
                case "no" -> negated(line, d);
                case "redispatch" -> {
                    exactly(line, 1);
                    ctx.use("option redispatch", "redispatch", line.pos());
                    d.settings = d.settings.withFlag(ProxyFlag.REDISPATCH, true);
                }
                case "cookie" -> cookie(line, d);
                case "grace" -> {
                    exactly(line, 2);
                    d.settings = d.settings.withGrace(time(line.word(1)));
                    ctx.use("grace", line.pos());
                }
                case "monitor-net" -> monitorNet(line, d);
                case "monitor-uri" -> {
                    exactly(line, 2);
                    if (!line.text(1).startsWith("/")) {
                        throw new StatementError(line.word(1), "monitor-uri must start with '/'");
                    }
                    d.settings = d.settings.withMonitorUri(line.text(1));
                    ctx.use("monitor-uri", line.pos());
                }
                case "monitor" -> rules.monitorFail(line, d);
                case "http-check" -> httpCheck(line, d);
                case "log-format" -> logFormat(line, d);
                case "source" -> source(line, d);
                case "capture" -> capture(line, d);
                case "compression" -> compression(line, d);
                case "stats" -> {
                    StatsPage from = d.statsPage != null ? d.statsPage : d.inheritedStatsPage;
                    d.statsPage = line.size() > 1 && line.text(1).equals("admin")
                            ? rules.statsAdmin(line, d, from)
                            : StatsPageParser.apply(line, from);
                    ctx.use("stats " + line.text(1), line.pos());
                }
                case "log" -> {
                    List<LogTarget> logs = new ArrayList<>(d.settings.logs());
                    logs.add(logTarget(line));
                    d.settings = d.settings.withLogs(logs);
                    ctx.use("log", line.pos());
                }
                case "acl" -> rules.acl(line, d);
                case "http-request" -> rules.httpRule(line, d, true);
                case "http-response" -> rules.httpRule(line, d, false);
                case "redirect" -> rules.legacyRedirect(line, d);
                case "errorfile" -> rules.errorfile(line, d);
                case "tcp-request" -> rules.tcpRequest(line, d);
                case "reqadd", "reqrep", "reqirep", "reqdel", "reqidel", "rspadd", "rsprep", "rspirep", "rspdel",
                        "rspidel", "block" -> rules.legacy(line, d);
                case "hash-type" -> hashType(line, d);
                case "persist" -> persist(line, d);
                case "stick-table" -> rules.stickTable(line, d);
                case "stick" -> rules.stick(line, d);
                case "tcp-check" -> {
                    List<TcpCheckRule> tcpRules = new ArrayList<>(d.settings.tcpCheckRules());
                    tcpRules.add(TcpCheckParser.parse(line, tcpRules));
                    d.settings = d.settings.withTcpCheckRules(tcpRules);
                    ctx.use("tcp-check " + line.text(1), line.pos());
                }
                case "description" -> {
                    atLeast(line, 2, "description needs a text");
                    ctx.use("description", line.pos());
                }
                default -> {
                    java.util.Optional<TimeoutKind> legacy = TimeoutKind.byLegacyKeyword(keyword);
                    if (legacy.isPresent()) {
                        legacyTimeout(line, d, legacy.get());
                    } else {
                        ProxyCount count = ProxyCount.byKeyword(keyword).orElseThrow(
                                () -> new IllegalStateException("keyword table and parser disagree on " + keyword));
                        d.settings = count.set(d.settings, intArg(line, keyword));
                        ctx.use(keyword, line.pos());
                    }
                }
            }
        } catch (StatementError e) {
            ctx.error(e.at, e.getMessage());
        }
    }

    // ---- addresses and servers

    private void bind(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "bind needs an address, e.g. 'bind :80' or 'bind 127.0.0.1:8080'");
        if (line.size() > 2) {
            throw new StatementError(line.word(2), "bind option '" + line.text(2) + "' is not supported yet "
                    + "(Tidegate understands 'bind ADDRESS:PORT[,ADDRESS:PORT...]')");
        }
        for (Bind b : binds(line.word(1))) {
            if (d.binds.stream().anyMatch(h -> sameAddress(h, b))
                    || d.headerBinds.stream().anyMatch(h -> sameAddress(h, b))) {
                throw new StatementError(line.word(1), "address " + b.address() + " is already bound in "
                        + d.describe());
            }
            d.binds.add(b);
        }
        ctx.use("bind", line.pos());
    }

    /** Parses {@code ADDR:PORT[,ADDR:PORT...]}. */
    List<Bind> binds(Word word) {
        List<Bind> result = new ArrayList<>();
        for (String part : word.text().split(",", -1)) {
            try {
                HostPort hp = ctx.address(part, true);
                result.add(new Bind(hp.host(), hp.port(), word.pos()));
            } catch (IllegalArgumentException e) {
                throw new StatementError(word, e.getMessage());
            }
        }
        return result;
    }

    private static boolean sameAddress(Bind a, Bind b) {
        return a.host().equals(b.host()) && a.port() == b.port();
    }

    private void server(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "server needs a name and an address, e.g. 'server web1 10.0.0.1:80'");
        String name = line.text(1);
        if (line.size() < 3) {
            throw new StatementError(line.word(1), "server '" + name + "' has no address "
                    + "(expected 'server " + name + " ADDRESS[:PORT] [options]')");
        }
        checkName(line.word(1), "server");
        HostPort hp;
        try {
            hp = ctx.address(line.text(2), false);
        } catch (IllegalArgumentException e) {
            throw new StatementError(line.word(2), "server '" + name + "': " + e.getMessage());
        }
        ServerOptions options = serverLines.parseOptions(line.from(3), "server '" + name + "'");
        addServer(d, new Server(name, hp.host(), hp.port(), options, line.pos()), line.word(1));
        ctx.use("server", line.pos());
    }

    private void addServer(ProxyDraft d, Server server, Word at) {
        if (d.servers.stream().anyMatch(s -> s.name().equals(server.name()))) {
            throw new StatementError(at, "duplicate server name '" + server.name() + "' in " + d.describe());
        }
        d.servers.add(server);
    }

    private void defaultServer(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "default-server needs at least one option");
        ServerOptions options = serverLines.parseOptions(line.from(1), "default-server");
        d.settings = d.settings.withDefaultServer(options.over(d.settings.defaultServer()));
        ctx.use("default-server", line.pos());
    }

    /** 1.4 {@code dispatch ADDR:PORT}: the section's only server, named {@code dispatch}. */
    private void dispatch(ConfigLine line, ProxyDraft d) {
        exactly(line, 2);
        HostPort hp;
        try {
            hp = Addresses.parse(line.text(1), true);
        } catch (IllegalArgumentException e) {
            throw new StatementError(line.word(1), "dispatch: " + e.getMessage());
        }
        addServer(d, new Server("dispatch", hp.host(), hp.port(), ServerOptions.NONE, line.pos()), line.keyword());
        ctx.use("dispatch", line.pos());
    }

    private void defaultBackend(ConfigLine line, ProxyDraft d) {
        exactly(line, 2);
        d.defaultBackend = line.word(1);
        ctx.use("default_backend", line.pos());
    }

    private void useBackend(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "use_backend needs a backend name");
        if (line.text(1).contains("%[")) {
            rules.useBackendDynamic(line, d);
            return;
        }
        if (line.size() > 2) {
            rules.useBackendIf(line, d);
            return;
        }
        d.useBackends.add(line.word(1));
        d.plainUseBackends.add(line.text(1));
        ctx.use("use_backend", line.pos());
    }

    // ---- mode, balance, timeouts

    private void mode(ConfigLine line, ProxyDraft d) {
        exactly(line, 2);
        Mode mode = switch (line.text(1)) {
            case "http" -> Mode.HTTP;
            case "tcp" -> Mode.TCP;
            default -> throw new StatementError(line.word(1), "unknown mode '" + line.text(1)
                    + "'; expected http or tcp");
        };
        d.settings = d.settings.withMode(mode);
        ctx.use("mode " + mode.keyword(), line.pos());
    }

    private void balance(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "balance needs an algorithm");
        String word = line.text(1);
        int open = word.indexOf('(');
        if (open > 0 && !word.endsWith(")")) {
            throw new StatementError(line.word(1), "missing ')' in '" + word + "'");
        }
        String algorithmWord = open > 0 ? word.substring(0, open) : word;
        String parameter = open > 0 ? word.substring(open + 1, word.length() - 1) : null;
        BalanceAlgorithm algorithm = BalanceAlgorithm.fromKeyword(algorithmWord).orElseThrow(() ->
                new StatementError(line.word(1), "unknown balance algorithm '" + algorithmWord + "'; supported: "
                        + String.join(", ", java.util.Arrays.stream(BalanceAlgorithm.values())
                        .map(BalanceAlgorithm::keyword).toList())));
        if (algorithm == BalanceAlgorithm.RANDOM && parameter != null && !parameter.matches("[1-9][0-9]?")) {
            throw new StatementError(line.word(1), "random(DRAWS) needs a number of draws from 1 to 99");
        }
        if (algorithm == BalanceAlgorithm.RDP_COOKIE && parameter != null && parameter.isEmpty()) {
            throw new StatementError(line.word(1), "rdp-cookie : missing cookie name (write 'rdp-cookie' for "
                    + "mstshash or 'rdp-cookie(NAME)')");
        }
        if (algorithm == BalanceAlgorithm.URL_PARAM && line.size() < 3) {
            throw new StatementError(line.word(1), "balance url_param needs a parameter name, e.g. "
                    + "'balance url_param userid'");
        }
        if (algorithm.takesParameter() != (parameter != null) && algorithm != BalanceAlgorithm.RDP_COOKIE
                && algorithm != BalanceAlgorithm.RANDOM) {
            throw new StatementError(line.word(1), algorithm.takesParameter()
                    ? "balance " + algorithmWord + " needs a name in parentheses, e.g. " + algorithmWord + "(Host)"
                    : "balance " + algorithmWord + " takes no parameter in parentheses");
        }
        List<String> args = line.from(2).stream().map(Word::text).toList();
        d.settings = d.settings.withBalance(new Balance(algorithm, parameter, args));
        ctx.use("balance " + algorithm.keyword(), line.pos());
    }

    /** {@code persist rdp-cookie[(NAME)]}: an RDP client goes to the server its cookie names (msts by default). */
    private void persist(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "missing persist method; expected 'persist rdp-cookie' or 'persist rdp-cookie(NAME)'");
        exactly(line, 2);
        String method = line.text(1);
        if (!method.startsWith("rdp-cookie")) {
            throw new StatementError(line.word(1), "unknown persist method '" + method + "'; expected rdp-cookie or "
                    + "rdp-cookie(NAME)");
        }
        String name = method.equals("rdp-cookie") ? "msts" : method.startsWith("rdp-cookie(") && method.endsWith(")")
                ? method.substring(11, method.length() - 1) : "";
        if (name.isEmpty()) {
            throw new StatementError(line.word(1), "'persist rdp-cookie(name)' requires an rdp cookie name");
        }
        d.settings = d.settings.withPersistRdpCookie(name);
        ctx.use("persist rdp-cookie", line.pos());
    }

    /** {@code hash-type map-based|consistent [sdbm|djb2|wt6|crc32|none] [avalanche]}. */
    private void hashType(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "hash-type needs map-based or consistent");
        String method = line.text(1);
        if (!method.equals("map-based") && !method.equals("consistent")) {
            throw new StatementError(line.word(1), "unknown hash-type '" + method + "'; expected map-based or consistent");
        }
        for (Word w : line.from(2)) {
            if (!Set.of("sdbm", "djb2", "wt6", "crc32", "none", "avalanche").contains(w.text())) {
                throw new StatementError(w, "unknown hash function '" + w.text()
                        + "'; expected sdbm, djb2, wt6, crc32, none or avalanche");
            }
        }
        d.settings = d.settings.withHashType(String.join(" ", line.from(1).stream().map(Word::text).toList()));
        ctx.use("hash-type " + method, line.pos());
    }

    private void timeout(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "timeout needs a name and a time, e.g. 'timeout connect 5s'");
        String which = line.text(1);
        Set<SectionType> allowed = Keywords.TIMEOUTS.get(which);
        if (allowed == null) {
            throw new StatementError(line.word(1), "unknown timeout '" + which + "'; timeouts valid in a "
                    + d.type.keyword() + " section: " + String.join(", ", Keywords.validIn(Keywords.TIMEOUTS, d.type)));
        }
        if (!allowed.contains(d.type)) {
            throw new StatementError(line.word(1), "'timeout " + which + "' is not allowed in a " + d.type.keyword()
                    + " section (valid in: " + Keywords.sectionsOf(allowed) + ")");
        }
        if (line.size() != 3) {
            throw new StatementError(line.size() < 3 ? line.word(1) : line.word(3),
                    "expected 'timeout " + which + " TIME'");
        }
        TimeoutKind kind = TimeoutKind.byKeyword(which).orElseThrow(
                () -> new IllegalStateException("keyword table and parser disagree on timeout " + which));
        d.settings = d.settings.withTimeouts(kind.set(d.settings.timeouts(), time(line.word(2))));
        ctx.use("timeout " + which, line.pos());
    }

    private void legacyTimeout(ConfigLine line, ProxyDraft d, TimeoutKind kind) {
        exactly(line, 2);
        d.settings = d.settings.withTimeouts(kind.set(d.settings.timeouts(), time(line.word(1))));
        ctx.use(kind.feature(), line.keyword().text(), line.pos());
    }

    // ---- options

    private void negated(ConfigLine line, ProxyDraft d) {
        if (line.size() == 2 && line.text(1).equals("log")) {
            // no log: this proxy logs nothing, also not what its defaults section says
            d.settings = d.settings.withLogs(List.of(LogTarget.DISABLED));
            ctx.use("no log", line.pos());
            return;
        }
        if (line.size() < 2 || !line.text(1).equals("option")) {
            throw new StatementError(line.size() < 2 ? line.keyword() : line.word(1),
                    "'no' must be followed by 'option NAME' or 'log'");
        }
        option(line, 2, false, d);
    }

    /**
     * @param at      index of the option name in the line
     * @param enabled false for {@code no option NAME}
     */
    private void option(ConfigLine line, int at, boolean enabled, ProxyDraft d) {
        if (line.size() <= at) {
            throw new StatementError(line.word(at - 1), "option needs a name; options valid in a " + d.type.keyword()
                    + " section: " + String.join(", ", Keywords.validIn(Keywords.OPTIONS, d.type)));
        }
        Word nameWord = line.word(at);
        String name = nameWord.text();
        Set<SectionType> allowed = Keywords.OPTIONS.get(name);
        if (allowed == null) {
            throw new StatementError(nameWord, "unknown option '" + name + "'; options valid in a " + d.type.keyword()
                    + " section: " + String.join(", ", Keywords.validIn(Keywords.OPTIONS, d.type)));
        }
        if (!allowed.contains(d.type)) {
            throw new StatementError(nameWord, "'option " + name + "' is not allowed in a " + d.type.keyword()
                    + " section (valid in: " + Keywords.sectionsOf(allowed) + ")");
        }
        List<Word> args = line.from(at + 1);
        if (!enabled || !(name.equals("forwardfor") || name.equals("httpchk") || name.equals("httplog")
                || name.equals("redispatch-drained") || name.equals("pgsql-check") || name.equals("mysql-check")
                || name.equals("smtpchk"))) {
            if (!args.isEmpty()) {
                throw new StatementError(args.get(0), "unexpected '" + args.get(0).text() + "' after "
                        + (enabled ? "" : "no ") + "option " + name);
            }
        }
        ProxySettings s = d.settings;
        java.util.Optional<ProxyFlag> flag = ProxyFlag.byKeyword(name);
        if (flag.isPresent()) {
            d.settings = s.withFlag(flag.get(), enabled);
            ctx.use("option " + name, (enabled ? "" : "no ") + "option " + name, line.pos());
            return;
        }
        switch (name) {
            case "httpclose", "http-server-close", "http-keep-alive" -> {
                if (!enabled && name.equals("http-keep-alive")) {
                    throw new StatementError(nameWord, "'no option http-keep-alive' is not supported; "
                            + "write 'option httpclose' or 'option http-server-close'");
                }
                ConnectionMode mode = enabled ? switch (name) {
                    case "httpclose" -> ConnectionMode.CLOSE;
                    case "http-server-close" -> ConnectionMode.SERVER_CLOSE;
                    default -> ConnectionMode.KEEP_ALIVE;
                } : ConnectionMode.KEEP_ALIVE;
                s = s.withConnectionMode(mode);
            }
            case "forwardfor" -> s = s.withForwardFor(enabled ? forwardFor(args) : ForwardFor.DISABLED);
            case "httplog", "tcplog" -> {
                if (!enabled) {
                    throw new StatementError(nameWord, "'option " + name + "' cannot be negated");
                }
                if (name.equals("httplog") && !args.isEmpty()) {
                    throw new StatementError(args.get(0), "'option httplog " + args.get(0).text()
                            + "' is not supported yet");
                }
                s = s.withLogFormat(name.equals("httplog") ? LogFormat.HTTP : LogFormat.TCP);
            }
            case "redispatch-drained" -> s = s.withRedispatchDrained(enabled ? drainedTime(nameWord, args) : Duration.ZERO);
            case "httpchk" -> s = s.withHealthCheck(enabled ? httpCheck(args) : HealthCheck.TCP);
            case "ssl-hello-chk" -> s = s.withHealthCheck(enabled ? HealthCheck.SSL_HELLO : HealthCheck.TCP);
            // without tcp-check rules (here or in the defaults) it is the plain connect check
            case "tcp-check" -> s = s.withHealthCheck(enabled ? HealthCheck.TCP_CHECK : HealthCheck.TCP);
            case "redis-check", "pgsql-check", "mysql-check", "smtpchk", "ldap-check" ->
                    s = s.withHealthCheck(enabled ? serviceCheck(nameWord, args) : HealthCheck.TCP);
            default -> throw new IllegalStateException("option table and parser disagree on " + name);
        }
        d.settings = s;
        ctx.use("option " + name, (enabled ? "" : "no ") + "option " + name, line.pos());
    }

    /** The T of {@code option redispatch-drained T}: one time above zero. */
    private static Duration drainedTime(Word nameWord, List<Word> args) {
        if (args.isEmpty()) {
            throw new StatementError(nameWord, "option redispatch-drained needs a time, e.g. "
                    + "'option redispatch-drained 10m'");
        }
        if (args.size() > 1) {
            throw new StatementError(args.get(1), "unexpected '" + args.get(1).text()
                    + "' after option redispatch-drained " + args.get(0).text());
        }
        Duration t = time(args.get(0));
        if (t.isZero()) {
            throw new StatementError(args.get(0), "option redispatch-drained needs a time above 0 "
                    + "(write 'no option redispatch-drained' to keep a drained server's persistent clients)");
        }
        return t;
    }

    private ForwardFor forwardFor(List<Word> args) {
        String except = null;
        String header = null;
        boolean ifNone = false;
        for (int i = 0; i < args.size(); i++) {
            Word w = args.get(i);
            switch (w.text()) {
                case "except" -> {
                    except = next(args, i, "except needs a network, e.g. 'except 127.0.0.0/8'").text();
                    if (!NETWORK.matcher(except).matches()) {
                        throw new StatementError(args.get(i + 1), "invalid network '" + except
                                + "' (expected ADDRESS or ADDRESS/BITS)");
                    }
                    ctx.use("option forwardfor except", w.pos());
                    i++;
                }
                case "header" -> {
                    header = next(args, i, "header needs a header name").text();
                    ctx.use("option forwardfor header", w.pos());
                    i++;
                }
                case "if-none" -> {
                    ifNone = true;
                    ctx.use("option forwardfor if-none", w.pos());
                }
                default -> throw new StatementError(w, "unexpected '" + w.text()
                        + "' in option forwardfor; expected except NETWORK, header NAME or if-none");
            }
        }
        return new ForwardFor(true, except, header, ifNone);
    }

    /** {@code option redis-check | ldap-check | pgsql-check user U | mysql-check [user U [post-41]] | smtpchk [HELO|EHLO D]}. */
    private static HealthCheck serviceCheck(Word nameWord, List<Word> args) {
        List<String> words = args.stream().map(Word::text).toList();
        CheckKind kind = switch (nameWord.text()) {
            case "redis-check" -> CheckKind.REDIS;
            case "pgsql-check" -> CheckKind.PGSQL;
            case "mysql-check" -> CheckKind.MYSQL;
            case "smtpchk" -> CheckKind.SMTP;
            default -> CheckKind.LDAP;
        };
        boolean ok = switch (kind) {
            case PGSQL -> words.size() == 2 && words.get(0).equals("user");
            case MYSQL -> words.isEmpty() || (words.size() >= 2 && words.size() <= 3 && words.get(0).equals("user")
                    && (words.size() == 2 || words.get(2).equals("post-41")));
            case SMTP -> words.isEmpty() || (words.size() == 2 && (words.get(0).equals("HELO")
                    || words.get(0).equals("EHLO")));
            default -> words.isEmpty();
        };
        if (!ok) {
            throw new StatementError(args.isEmpty() ? nameWord : args.get(0), "expected " + switch (kind) {
                case PGSQL -> "'option pgsql-check user NAME'";
                case MYSQL -> "'option mysql-check [user NAME [post-41]]'";
                case SMTP -> "'option smtpchk [HELO|EHLO DOMAIN]'";
                default -> "'option " + nameWord.text() + "' without arguments";
            });
        }
        return HealthCheck.service(kind, words);
    }

    private static HealthCheck httpCheck(List<Word> args) {
        return switch (args.size()) {
            case 0 -> HealthCheck.http(null, null, null);
            case 1 -> HealthCheck.http(null, args.get(0).text(), null);
            case 2 -> HealthCheck.http(args.get(0).text(), args.get(1).text(), null);
            case 3 -> HealthCheck.http(args.get(0).text(), args.get(1).text(), args.get(2).text());
            default -> throw new StatementError(args.get(3), "option httpchk takes at most METHOD URI VERSION");
        };
    }

    private void httpCheck(ConfigLine line, ProxyDraft d) {
        if (line.size() == 2 && line.text(1).equals("disable-on-404")) {
            d.settings = d.settings.withFlag(ProxyFlag.DISABLE_ON_404, true);
            ctx.use("http-check disable-on-404", line.pos());
            return;
        }
        if (line.size() >= 2 && line.text(1).equals("send")) {
            d.settings = d.settings.withHttpCheckSend(HttpCheckSendParser.parse(line));
            ctx.use("http-check send", line.pos());
            return;
        }
        if (line.size() < 2 || !line.text(1).equals("expect")) {
            throw new StatementError(line.size() < 2 ? line.keyword() : line.word(1),
                    "only 'http-check expect [!] MATCH PATTERN', 'http-check send [meth M] [uri U] [ver V] "
                            + "[hdr NAME VALUE]...' and 'http-check disable-on-404' are supported");
        }
        int i = 2;
        boolean negated = false;
        if (line.size() > i && line.text(i).equals("!")) {
            negated = true;
            i++;
        }
        if (line.size() != i + 2) {
            throw new StatementError(line.word(Math.min(i, line.size() - 1)),
                    "expected 'http-check expect [!] MATCH PATTERN' with MATCH one of "
                            + String.join(", ", EXPECT_MATCHES));
        }
        if (!EXPECT_MATCHES.contains(line.text(i))) {
            throw new StatementError(line.word(i), "unknown http-check expect match '" + line.text(i)
                    + "'; supported: " + String.join(", ", EXPECT_MATCHES));
        }
        d.settings = d.settings.withHttpCheckExpect(new HttpCheckExpect(negated, line.text(i), line.text(i + 1)));
        ctx.use("http-check expect", line.pos());
    }

    // ---- cookie

    private void cookie(ConfigLine line, ProxyDraft d) {
        atLeast(line, 2, "cookie needs a name, e.g. 'cookie SERVERID insert indirect nocache'");
        checkName(line.word(1), "cookie");
        CookieSpec c = CookieSpec.of(line.text(1), CookieMode.PASSIVE);
        List<String> domains = new ArrayList<>();
        List<String> attrs = new ArrayList<>();
        Word modeWord = null;
        List<Word> words = line.from(2);
        for (int i = 0; i < words.size(); i++) {
            Word w = words.get(i);
            String t = w.text();
            switch (t) {
                case "insert", "prefix", "rewrite" -> {
                    if (modeWord != null) {
                        throw new StatementError(w, "cookie modes '" + modeWord.text() + "' and '" + t
                                + "' exclude each other");
                    }
                    modeWord = w;
                    c = c.withMode(switch (t) {
                        case "insert" -> CookieMode.INSERT;
                        case "prefix" -> CookieMode.PREFIX;
                        default -> CookieMode.REWRITE;
                    });
                }
                case "indirect" -> c = c.withIndirect(true);
                case "nocache" -> c = c.withNocache(true);
                case "preserve" -> c = c.withPreserve(true);
                case "httponly" -> c = c.withHttponly(true);
                case "secure" -> c = c.withSecure(true);
                case "postonly" -> c = c.withPostonly(true);
                case "domain" -> {
                    domains.add(next(words, i, "domain needs a value").text());
                    i++;
                }
                case "attr" -> {
                    attrs.add(next(words, i, "attr needs a value").text());
                    i++;
                }
                case "maxidle" -> {
                    c = c.withMaxidle(time(next(words, i, "maxidle needs a time")));
                    i++;
                }
                case "maxlife" -> {
                    c = c.withMaxlife(time(next(words, i, "maxlife needs a time")));
                    i++;
                }
                default -> throw new StatementError(w, "unknown cookie option '" + t + "'; supported: insert, "
                        + "prefix, rewrite, indirect, nocache, preserve, httponly, secure, postonly, domain, "
                        + "maxidle, maxlife, attr");
            }
            if (!t.equals("insert") && !t.equals("prefix") && !t.equals("rewrite")) {
                ctx.use("cookie " + t, w.pos());
            }
        }
        if ((c.nocache() || c.postonly() || c.maxidle() != null || c.maxlife() != null)
                && c.mode() != CookieMode.INSERT) {
            throw new StatementError(line.word(1), "cookie options nocache, postonly, maxidle and maxlife "
                    + "need 'insert'");
        }
        c = c.withDomains(domains).withAttrs(attrs);
        d.settings = d.settings.withCookie(c);
        ctx.use(c.mode() == CookieMode.PASSIVE ? "cookie (passive: no insert, prefix or rewrite)"
                : "cookie " + c.mode().keyword(), line.pos());
    }

    // ---- monitoring and logs

    private void monitorNet(ConfigLine line, ProxyDraft d) {
        exactly(line, 2);
        String net = line.text(1);
        if (!NETWORK.matcher(net).matches()) {
            throw new StatementError(line.word(1), "invalid network '" + net + "' (expected ADDRESS or ADDRESS/BITS)");
        }
        List<String> nets = new ArrayList<>(d.settings.monitorNets());
        nets.add(net);
        d.settings = d.settings.withMonitorNets(nets);
        ctx.use("monitor-net", line.pos());
    }

    /**
     * {@code log global}, or {@code log TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]} with
     * TARGET {@code stdout}, {@code stderr}, {@code HOST[:PORT]} (UDP) or {@code /path} (UNIX socket);
     * shared with the global section.
     */
    LogTarget logTarget(ConfigLine line) {
        atLeast(line, 2, "log needs 'global' or TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]");
        if (line.text(1).equals("global")) {
            exactly(line, 2);
            return LogTarget.GLOBAL;
        }
        String address = line.text(1);
        if (!address.equals("stdout") && !address.equals("stderr") && !address.startsWith("/")) {
            try {
                Addresses.parse(address, false);
            } catch (IllegalArgumentException e) {
                throw new StatementError(line.word(1), "log target: " + e.getMessage()
                        + " (expected stdout, stderr, HOST[:PORT] or /path)");
            }
        }
        int i = 2;
        String format = null;
        Integer length = null;
        while (i < line.size() && (line.text(i).equals("format") || line.text(i).equals("len")
                || line.text(i).equals("sample"))) {
            Word key = line.word(i);
            if (i + 1 >= line.size()) {
                throw new StatementError(key, "'" + key.text() + "' needs a value");
            }
            Word value = line.word(i + 1);
            switch (key.text()) {
                case "format" -> {
                    if (!LOG_FORMATS.contains(value.text())) {
                        throw new StatementError(value, "unknown log format '" + value.text() + "'; supported: "
                                + String.join(", ", LOG_FORMATS));
                    }
                    format = value.text();
                }
                case "len" -> {
                    int n;
                    try {
                        n = Units.parseInt(value.text(), "len");
                    } catch (IllegalArgumentException e) {
                        throw new StatementError(value, e.getMessage());
                    }
                    if (n < 80 || n > 65535) {
                        throw new StatementError(value, "log len must be between 80 and 65535");
                    }
                    length = n;
                }
                default -> throw new StatementError(key, "log sampling ('sample') is not supported yet");
            }
            i += 2;
        }
        if (line.size() <= i || line.size() > i + 3) {
            throw new StatementError(line.size() <= i ? line.word(line.size() - 1) : line.word(i + 3),
                    "expected 'log TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]'");
        }
        if (!FACILITIES.contains(line.text(i))) {
            throw new StatementError(line.word(i), "unknown log facility '" + line.text(i) + "'; facilities: "
                    + String.join(", ", FACILITY_ORDER));
        }
        for (int j = i + 1; j < line.size(); j++) {
            if (!LEVELS.contains(line.text(j))) {
                throw new StatementError(line.word(j), "unknown log level '" + line.text(j) + "'; levels: "
                        + "emerg, alert, crit, err, warning, notice, info, debug");
            }
        }
        return new LogTarget(address, format, length, line.text(i), line.size() > i + 1 ? line.text(i + 1) : null,
                line.size() > i + 2 ? line.text(i + 2) : null);
    }

    /** {@code log-format STRING}: the line a proxy logs instead of httplog/tcplog. */
    private void logFormat(ConfigLine line, ProxyDraft d) {
        exactly(line, 2);
        String f = line.text(1);
        List<LogFormatParser.Token> tokens;
        try {
            tokens = LogFormatParser.parse(f);
        } catch (LogFormatParser.FormatException e) {
            throw new StatementError(line.word(1).pointingAt(e.offset()), e.getMessage());
        }
        for (LogFormatParser.Token t : tokens) {
            if (t.sample() != null && t.sample().fetch().equals("nbsrv") && t.sample().args().isEmpty()
                    && d.type != SectionType.BACKEND && d.type != SectionType.LISTEN) {
                throw new StatementError(line.word(1), "nbsrv needs a backend name in a frontend's log-format, "
                        + "e.g. %[nbsrv(app)]");
            }
            if (t.sample() != null && t.sample().fetch().equals("nbsrv") && !t.sample().args().isEmpty()) {
                int at = f.indexOf("nbsrv(" + t.sample().args().get(0));
                d.logFormatBackends.add(new Word(t.sample().args().get(0).strip(), line.word(1).at(Math.max(0, at))));
            }
        }
        d.settings = d.settings.withLogFormat(LogFormat.custom(f));
        ctx.use("log-format", line.pos());
    }

    /** {@code capture cookie NAME len N} (the other captures are not supported yet). */
    /** {@code compression algo ALGO... | type MIME... | offload} (HAProxy 2.6's three forms; lines add up). */
    private void compression(ConfigLine line, ProxyDraft d) {
        if (line.size() < 2 || !List.of("algo", "type", "offload").contains(line.text(1))) {
            String later = line.size() < 2 ? "" : List.of("algo-req", "algo-res", "type-req", "type-res", "direction",
                    "minsize-req", "minsize-res").contains(line.text(1))
                    ? "'compression " + line.text(1) + "' came after HAProxy 2.6: " : "";
            throw new StatementError(line.size() < 2 ? line.keyword() : line.word(1),
                    later + "'compression' expects 'algo', 'type' or 'offload' (HAProxy 2.6)");
        }
        Compression c = d.settings.compression() == null ? Compression.NONE : d.settings.compression();
        String what = line.text(1);
        if (what.equals("offload")) {
            exactly(line, 2);
            if (d.type == SectionType.DEFAULTS) {
                ctx.warning(line.pos(), "'compression offload' ignored in 'defaults' section (as HAProxy)");
                return;
            }
            c = new Compression(c.algorithms(), c.types(), true);
        } else {
            if (line.size() < 3) throw new StatementError(line.word(1), "'compression " + what + "' expects at least one value");
            List<String> values = new ArrayList<>(what.equals("algo") ? c.algorithms() : c.types());
            for (int i = 2; i < line.size(); i++) {
                String v = line.text(i);
                if (what.equals("algo") && !Compression.ALGORITHMS.contains(v)) {
                    throw new StatementError(line.word(i), "'" + v + "' is not a supported algorithm (gzip, deflate, "
                            + "raw-deflate, identity)");
                }
                values.add(v);
            }
            c = what.equals("algo") ? new Compression(values, c.types(), c.offload())
                    : new Compression(c.algorithms(), values, c.offload());
        }
        d.settings = d.settings.withCompression(c);
        ctx.use("compression " + what, line.pos());
    }

    private void capture(ConfigLine line, ProxyDraft d) {
        if (line.size() < 2 || !line.text(1).equals("cookie")) {
            throw new StatementError(line.size() < 2 ? line.keyword() : line.word(1),
                    "only 'capture cookie NAME len N' is supported yet");
        }
        if (line.size() != 5 || !line.text(3).equals("len")) {
            throw new StatementError(line.word(Math.min(line.size() - 1, 3)), "expected 'capture cookie NAME len N'");
        }
        int len;
        try {
            len = Units.parseInt(line.text(4), "len");
            d.settings = d.settings.withCaptureCookie(new CookieCapture(line.text(2), len));
        } catch (IllegalArgumentException e) {
            throw new StatementError(line.word(4), e.getMessage());
        }
        ctx.use("capture cookie", line.pos());
    }

    /** {@code source ADDR[:PORT[-PORT]]} in a backend, listen or defaults section: every server's source. */
    private void source(ConfigLine line, ProxyDraft d) {
        exactly(line, 2);
        String v;
        try {
            v = SourceAddress.parse(line.text(1)).toString();
        } catch (IllegalArgumentException e) {
            throw new StatementError(line.word(1), e.getMessage());
        }
        ServerOptions ds = d.settings.defaultServer();
        if (ds.source() == null) {          // a default-server source, like a server's own, takes precedence
            d.settings = d.settings.withDefaultServer(ds.withSource(v));
        }
        ctx.use("source", line.pos());
    }

    // ---- helpers

    /** A time argument (HAProxy's units, ms by default), its error at the word. */
    static Duration time(Word w) {
        try {
            return Units.parseTime(w.text());
        } catch (IllegalArgumentException e) {
            throw new StatementError(w, e.getMessage());
        }
    }

    private static int intArg(ConfigLine line, String what) {
        exactly(line, 2);
        try {
            return Units.parseInt(line.text(1), what);
        } catch (IllegalArgumentException e) {
            throw new StatementError(line.word(1), e.getMessage());
        }
    }

    static void exactly(ConfigLine line, int words) {
        if (line.size() < words) {
            throw new StatementError(line.word(line.size() - 1), "'" + line.keyword().text() + "' needs "
                    + (words - 1) + " argument" + (words == 2 ? "" : "s"));
        }
        if (line.size() > words) {
            throw new StatementError(line.word(words), "unexpected '" + line.text(words) + "' after '"
                    + line.keyword().text() + "'");
        }
    }

    static void atLeast(ConfigLine line, int words, String message) {
        if (line.size() < words) {
            throw new StatementError(line.word(line.size() - 1), message);
        }
    }

    private static Word next(List<Word> words, int i, String message) {
        if (i + 1 >= words.size()) {
            throw new StatementError(words.get(i), message);
        }
        return words.get(i + 1);
    }

    static void checkName(Word w, String what) {
        if (!ConfigNames.isValid(w.text())) {
            throw new StatementError(w, "invalid " + what + " name '" + w.text() + "': " + ConfigNames.RULE);
        }
    }
}
