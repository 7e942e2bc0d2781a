package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;

/** Applies one statement of the {@code global} section. */
final class GlobalStatementParser {

    private final ParseContext ctx;
    private final ProxyStatementParser logs;

    GlobalStatementParser(ParseContext ctx, ProxyStatementParser logs) {
        this.ctx = ctx;
        this.logs = logs;
    }

    GlobalSection apply(ConfigLine line, GlobalSection g) {
        String keyword = line.keyword().text();
        try {
            if (Keywords.GLOBAL_NO_EFFECT.contains(keyword)
                    || keyword.startsWith("tune.") && !keyword.equals("tune.http.maxhdr")) {
                if (line.size() < 2 && !keyword.equals("master-worker")) {
                    throw new StatementError(line.keyword(), "'" + keyword + "' needs a value");
                }
                ctx.use("global " + (keyword.startsWith("tune.") ? "tune.*" : keyword), "global " + keyword,
                        line.pos());
                return g;
            }
            GlobalSection result = switch (keyword) {
                case "daemon" -> {
                    ProxyStatementParser.exactly(line, 1);
                    yield g.withDaemon(true);
                }
                case "quiet" -> {
                    ProxyStatementParser.exactly(line, 1);
                    yield g.withQuiet(true);
                }
                case "pidfile" -> {
                    ProxyStatementParser.exactly(line, 2);
                    yield g.withPidfile(line.text(1));
                }
                case "maxconn" -> g.withMaxconn(positive(line, "maxconn"));
                case "nbthread" -> g.withNbthread(positive(line, "nbthread"));
                case "tune.http.maxhdr" -> {
                    int n = positive(line, "tune.http.maxhdr");
                    if (n > 32767) {
                        throw new StatementError(line.word(1), "tune.http.maxhdr must be between 1 and 32767");
                    }
                    yield g.withHttpMaxhdr(n);
                }
                case "stats" -> g.withStats(StatsStatementParser.apply(line, g.stats()));
                case "server-state-file", "server-state-base" -> {     // Keywords.GLOBAL_STATE_FILE
                    ProxyStatementParser.exactly(line, 2);
                    ctx.warning(line.keyword().pos(), "'" + keyword + "' is accepted but has no effect: HAProxy reads "
                            + "the file only for backends with 'load-server-state-from-file'; Tidegate keeps the "
                            + "weights and states that operators set in its own state file beside the configuration");
                    yield g;
                }
                case "hard-stop-after" -> {
                    ProxyStatementParser.exactly(line, 2);
                    try {
                        yield g.withHardStopAfter(Units.parseTime(line.text(1)));
                    } catch (IllegalArgumentException e) {
                        throw new StatementError(line.word(1), e.getMessage());
                    }
                }
                case "log" -> {
                    if (line.size() == 2 && line.text(1).equals("global")) {
                        throw new StatementError(line.word(1), "'log global' is meaningless in the global section");
                    }
                    List<LogTarget> targets = new ArrayList<>(g.logs());
                    targets.add(logs.logTarget(line));
                    yield g.withLogs(targets);
                }
                default -> {
                    boolean proxyKeyword = Keywords.PROXY.containsKey(keyword);
                    throw new StatementError(line.keyword(), "unknown keyword '" + keyword + "' in the global section"
                            + (proxyKeyword ? " (it belongs in a defaults, listen, frontend or backend section)" : "")
                            + "; keywords valid in the global section: " + String.join(", ", Keywords.GLOBAL_KEYWORDS));
                }
            };
            if (!Keywords.GLOBAL_STATE_FILE.contains(keyword)) ctx.use("global " + keyword, line.pos());
            return result;
        } catch (StatementError e) {
            ctx.error(e.at, e.getMessage());
            return g;
        }
    }

    private static int positive(ConfigLine line, String what) {
        ProxyStatementParser.exactly(line, 2);
        int v;
        try {
            v = Units.parseInt(line.text(1), what);
        } catch (IllegalArgumentException e) {
            throw new StatementError(line.word(1), e.getMessage());
        }
        if (v < 1) {
            throw new StatementError(line.word(1), what + " must be at least 1");
        }
        return v;
    }
}
