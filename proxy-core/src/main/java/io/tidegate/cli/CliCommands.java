package io.tidegate.cli;

import io.tidegate.config.StatsSocket.Level;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.ForcedHealth;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.stats.ServersState;
import io.tidegate.stats.ShowInfo;
import io.tidegate.stats.StatRows;
import io.tidegate.stats.StatsCsv;
import io.tidegate.stats.StatsSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands of Tidegate's runtime API with HAProxy 2.6's syntax, levels and answers: {@code user}
 * reads, {@code operator} as well (HAProxy's operator commands that Tidegate has are reads too),
 * {@code admin} also changes servers and reloads. A command above the session's level answers
 * {@code Permission denied}; an unknown one HAProxy's {@code Unknown command} answer with the list of
 * commands valid at the level.
 */
public final class CliCommands {
    static final String PERMISSION_DENIED = "Permission denied\n";
    static final String NOT_SERVING = "Tidegate is not serving a configuration.\n";

    /** One command: the words that name it, its usage and description for {@code help}, the level it needs. */
    record Command(List<String> words, String usage, String description, Level level) {
        boolean matches(List<String> line) {
            if (line.size() < words.size()) return false;
            for (int i = 0; i < words.size(); i++) if (!words.get(i).equals(line.get(i))) return false;
            return true;
        }
    }

    static final List<Command> COMMANDS = List.of(
            cmd("clear table", "clear table <name> [key <key>]", "remove all entries of a stick table, or one key's", Level.OPERATOR),
            cmd("disable health", "disable health <bk>/<srv>", "stop a server's health checks (it counts as up)", Level.ADMIN),
            cmd("disable server", "disable server <bk>/<srv>", "put a server in maintenance (same as set server ... state maint)", Level.ADMIN),
            cmd("enable health", "enable health <bk>/<srv>", "resume a server's health checks", Level.ADMIN),
            cmd("enable server", "enable server <bk>/<srv>", "take a server out of maintenance (state ready)", Level.ADMIN),
            cmd("get weight", "get weight <bk>/<srv>", "a server's current weight and its configured one", Level.USER),
            cmd("operator", "operator", "lower this session's level to operator", Level.USER),
            cmd("reload", "reload", "re-read the configuration file (Tidegate; HAProxy has it on the master CLI)", Level.ADMIN),
            cmd("set server", "set server <bk>/<srv> [opts]", "change a server's state, weight or health", Level.ADMIN),
            cmd("set weight", "set weight <bk>/<srv> <w>[%]", "change a server's weight (as set server ... weight)", Level.ADMIN),
            cmd("show backend", "show backend", "list the backends of the running configuration", Level.USER),
            cmd("show cli level", "show cli level", "the level of this session", Level.USER),
            cmd("show errors", "show errors [<px>|-1] [request|response]", "report last request and/or response errors for each proxy", Level.OPERATOR),
            cmd("show info", "show info", "facts about the running process", Level.USER),
            cmd("show sess", "show sess [<id>|all]", "report the list of current sessions or dump this exact session", Level.OPERATOR),
            cmd("show servers state", "show servers state [<bk>]", "servers' runtime state (server-state-file format 1)", Level.USER),
            cmd("show stat", "show stat [json|no-maint|typed|up]*", "counters of each proxy and server ([<px> <type> <sid>] selects)", Level.USER),
            cmd("show table", "show table [<name>] [data.<type> <op> <value>]|[key <key>]", "report table usage stats or dump this table's contents", Level.USER),
            cmd("shutdown session", "shutdown session <id>", "kill a specific session", Level.ADMIN),
            cmd("shutdown sessions server", "shutdown sessions server <bk>/<srv>", "kill sessions on a server", Level.ADMIN),
            cmd("user", "user", "lower this session's level to user", Level.USER),
            cmd("help", "help [<command>]", "list matching or all commands", Level.USER),
            cmd("prompt", "prompt", "toggle interactive mode with prompt", Level.USER),
            cmd("quit", "quit", "disconnect", Level.USER));

    private static Command cmd(String words, String usage, String description, Level level) {
        return new Command(List.of(words.split(" ")), usage, description, level);
    }

    private final RuntimeOperations ops;

    public CliCommands(RuntimeOperations ops) {
        this.ops = ops;
    }

    /**
     * Runs one command (its words) for a session and returns the answer text (each line ending with
     * {@code \n}; empty for a change that succeeded). {@code prompt}, {@code quit}, {@code user} and
     * {@code operator} are the session's business ({@link CliConversation}).
     */
    public String execute(List<String> w, Level level) {
        Command c = find(w);
        if (c == null) return unknown(w, level);
        if (!level.allows(c.level())) return PERMISSION_DENIED;
        try {
            return switch (String.join(" ", c.words())) {
                case "help" -> help(level, w.size() > 1 ? w.get(1) : null);
                case "show cli level" -> level.keyword() + "\n";
                case "show info" -> withSnapshot(ShowInfo::format);
                case "show stat" -> withSnapshot(s -> showStat(s, w));
                case "show servers state" -> withSnapshot(s -> {
                    String be = w.size() > 3 ? w.get(3) : null;
                    Optional<StatsSnapshot.Proxy> p = be == null ? Optional.empty()
                            : s.backend(be).or(() -> s.proxy(be).filter(x -> x.backend() != null));
                    if (be != null && p.isEmpty()) return "Can't find backend.\n";
                    return ServersState.format(s, p.map(StatsSnapshot.Proxy::name).orElse(null));
                });
                case "show backend" -> withSnapshot(CliCommands::showBackend);
                case "get weight" -> withServer(w, 2, (s, p, sv) -> sv.weight() + " (initial " + p.initialWeight(sv.name(), sv.weight()) + ")\n");
                case "set weight" -> withServer(w, 2, (s, p, sv) -> setWeight(p, sv, w.size() > 3 ? w.get(3) : null));
                case "set server" -> setServer(w);
                case "enable server" -> withServer(w, 2, (s, p, sv) -> change(() -> ops.setAdminState(p.name(), sv.name(), AdminState.READY)));
                case "disable server" -> withServer(w, 2, (s, p, sv) -> change(() -> ops.setAdminState(p.name(), sv.name(), AdminState.MAINT)));
                case "enable health" -> withServer(w, 2, (s, p, sv) -> change(() -> ops.setHealthChecks(p.name(), sv.name(), true)));
                case "disable health" -> withServer(w, 2, (s, p, sv) -> change(() -> ops.setHealthChecks(p.name(), sv.name(), false)));
                case "show sess" -> showSess(w);
                case "show table" -> TableListing.show(ops, w, level);
                case "clear table" -> TableListing.clear(ops, w);
                case "show errors" -> withSnapshot(s -> {
                    List<String> a = new ArrayList<>(w.subList(2, w.size()));
                    boolean requests = !a.remove("response");
                    boolean responses = !a.remove("request");
                    String px = a.isEmpty() || a.get(0).equals("-1") ? null : a.get(0);
                    if (px != null && s.proxy(px).isEmpty()) return "No such proxy.\n";
                    return ErrorListing.format(ops.errors(), io.tidegate.engine.ErrorCaptures.events(), s,
                            px == null ? null : s.proxy(px).get(), requests, responses);
                });
                case "shutdown session" -> shutdownSession(w);
                case "shutdown sessions server" -> withServer(w, 3, (s, p, sv) -> {
                    ops.shutdownSessions(p.name(), sv.name());
                    return "";
                });
                case "reload" -> ops.reload().map(problem -> "Reload failed, the running configuration stays:\n" + problem + "\n")
                        .orElse("Success=1\n");
                default -> unknown(w, level);
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage() + "\n";
        }
    }

    static Command find(List<String> w) {
        Command best = null;
        for (Command c : COMMANDS) {
            if (c.matches(w) && (best == null || c.words().size() > best.words().size())) best = c;
        }
        return best;
    }

    static String help(Level level, String filter) {
        StringBuilder sb = new StringBuilder("The following commands are valid at this level:\n");
        for (Command c : COMMANDS) {
            if (!level.allows(c.level())) continue;
            if (filter != null && !c.words().get(0).equals(filter)) continue;
            line(sb, c);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Command c) {
        sb.append("  ").append(c.usage());
        for (int i = c.usage().length(); i < 40; i++) sb.append(' ');
        sb.append(": ").append(c.description()).append('\n');
    }

    /** HAProxy's answer to an unknown command: the commands sharing its first word (or all) valid at this level. */
    static String unknown(List<String> w, Level level) {
        StringBuilder sb = new StringBuilder("Unknown command, but maybe one of the following ones is a better match:\n");
        List<Command> near = new ArrayList<>();
        for (Command c : COMMANDS) if (level.allows(c.level()) && !w.isEmpty() && c.words().get(0).equals(w.get(0))) near.add(c);
        if (near.isEmpty()) for (Command c : COMMANDS) if (level.allows(c.level())) near.add(c);
        for (Command c : near) line(sb, c);
        return sb.toString();
    }

    private interface SnapshotAnswer {
        String answer(StatsSnapshot s);
    }

    private String withSnapshot(SnapshotAnswer a) {
        Optional<StatsSnapshot> s = ops.snapshot();
        return s.isEmpty() ? NOT_SERVING : a.answer(s.get());
    }

    private interface ServerAnswer {
        String answer(StatsSnapshot s, StatsSnapshot.Proxy backend, ServerStatus server);
    }

    /** Finds {@code <bk>/<srv>} at word {@code at} with HAProxy's messages when it cannot. */
    private String withServer(List<String> w, int at, ServerAnswer a) {
        if (w.size() <= at || w.get(at).indexOf('/') < 0) return "Require 'backend/server'.\n";
        String arg = w.get(at);
        int slash = arg.indexOf('/');
        String be = arg.substring(0, slash);
        String sv = arg.substring(slash + 1);
        return withSnapshot(s -> {
            Optional<StatsSnapshot.Proxy> p = s.backend(be).or(() -> s.proxy(be).filter(x -> x.backend() != null));
            if (p.isEmpty()) return "No such backend.\n";
            for (ServerStatus server : p.get().backend().servers()) {
                if (server.name().equals(sv)) return a.answer(s, p.get(), server);
            }
            return "No such server.\n";
        });
    }

    private static String change(Runnable r) {
        r.run();
        return "";
    }

    private static String showStat(StatsSnapshot s, List<String> w) {
        List<String> args = new ArrayList<>(w.subList(2, w.size()));
        if (args.contains("desc")) return "Tidegate does not offer 'show stat desc'.\n";
        boolean typed = args.remove("typed");
        boolean json = args.remove("json");
        boolean up = args.remove("up");
        boolean noMaint = args.remove("no-maint");
        java.util.function.Function<List<io.tidegate.stats.StatRow>, String> format = rows -> {
            List<io.tidegate.stats.StatRow> shown = rows.stream().filter(r -> r.type() != io.tidegate.stats.StatRow.SERVER
                    || ((!up || r.field(io.tidegate.stats.StatColumn.STATUS).startsWith("UP")
                            || r.field(io.tidegate.stats.StatColumn.STATUS).equals("no check"))
                        && (!noMaint || !r.field(io.tidegate.stats.StatColumn.STATUS).equals("MAINT")))).toList();
            return json ? io.tidegate.stats.StatsTyped.json(shown) : typed ? io.tidegate.stats.StatsTyped.typed(shown) : StatsCsv.format(shown);
        };
        if (args.size() >= 3) {
            String px = args.get(0);
            int type;
            int sid;
            try {
                type = Integer.parseInt(args.get(1));
                sid = Integer.parseInt(args.get(2));
            } catch (NumberFormatException e) {
                return "Usage: show stat [<proxy> <type> <sid>]: type and sid are numbers (-1 = all).\n";
            }
            if (!px.equals("-1") && s.proxy(px).isEmpty()) return "No such proxy.\n";
            return format.apply(StatRows.select(s, px, type, sid));
        }
        return format.apply(StatRows.all(s));
    }

    private String showSess(List<String> w) {
        if (ops.snapshot().isEmpty()) return NOT_SERVING;
        List<io.tidegate.engine.SessionView> sessions = ops.sessions();
        if (w.size() < 3) return SessionListing.lines(sessions);
        StringBuilder sb = new StringBuilder();
        if (w.get(2).equals("all")) {
            for (io.tidegate.engine.SessionView v : sessions) sb.append(SessionListing.detail(v));
            return sb.toString();
        }
        long id = SessionListing.parseId(w.get(2));
        if (id == 0) return SessionListing.lines(sessions);       // as HAProxy: not a number, the whole list
        for (io.tidegate.engine.SessionView v : sessions) if (v.id() == id) return SessionListing.detail(v);
        return "Session not found.\n";
    }

    private String shutdownSession(List<String> w) {
        long id = w.size() > 2 ? SessionListing.parseId(w.get(2)) : 0;
        if (id == 0) return "Session pointer expected (use 'show sess').\n";
        if (ops.snapshot().isEmpty()) return NOT_SERVING;
        return ops.shutdownSession(id) ? "" : "No such session (use 'show sess').\n";
    }

    private static String showBackend(StatsSnapshot s) {
        StringBuilder sb = new StringBuilder("# name\n");
        for (StatsSnapshot.Proxy p : s.proxies()) if (p.backend() != null) sb.append(p.name()).append('\n');
        return sb.toString();
    }

    private String setServer(List<String> w) {
        if (w.size() < 4) {
            return w.size() < 3 || w.get(2).indexOf('/') < 0 ? "Require 'backend/server'.\n"
                    : "usage: set server <backend>/<server> health | state | weight\n";
        }
        return withServer(w, 2, (s, p, sv) -> {
            String value = w.size() > 4 ? w.get(4) : "";
            return switch (w.get(3)) {
                case "state" -> switch (value) {
                    case "ready" -> change(() -> ops.setAdminState(p.name(), sv.name(), AdminState.READY));
                    case "drain" -> change(() -> ops.setAdminState(p.name(), sv.name(), AdminState.DRAIN));
                    case "maint" -> change(() -> ops.setAdminState(p.name(), sv.name(), AdminState.MAINT));
                    default -> "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
                };
                case "weight" -> setWeight(p, sv, w.size() > 4 ? value : null);
                case "health" -> switch (value) {
                    case "up" -> change(() -> ops.setHealth(p.name(), sv.name(), ForcedHealth.UP));
                    case "stopping" -> change(() -> ops.setHealth(p.name(), sv.name(), ForcedHealth.STOPPING));
                    case "down" -> change(() -> ops.setHealth(p.name(), sv.name(), ForcedHealth.DOWN));
                    default -> "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n";
                };
                case "addr", "agent", "agent-addr", "agent-port", "agent-send", "check-addr", "check-port", "fqdn", "ssl" ->
                        "Tidegate does not change a server's " + w.get(3) + " at run time; edit the configuration and reload.\n";
                default -> "usage: set server <backend>/<server> health | state | weight\n";
            };
        });
    }

    /** HAProxy's weight syntax: 0..256, or {@code N%} of the configured weight. */
    private String setWeight(StatsSnapshot.Proxy p, ServerStatus sv, String text) {
        if (text == null || text.isEmpty()) return "Require <weight> or <weight%>.\n";
        boolean relative = text.endsWith("%");
        String digits = relative ? text.substring(0, text.length() - 1) : text;
        long v;
        try {
            v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return digits.isEmpty() || !Character.isDigit(digits.charAt(0)) && digits.charAt(0) != '-'
                    ? "Empty weight string empty or preceded by garbage\n" : "Trailing garbage in weight string\n";
        }
        int weight;
        if (relative) {
            if (v < 0) return "Relative weight must be positive.\n";
            weight = (int) Math.min(256, p.initialWeight(sv.name(), sv.weight()) * v / 100);
        } else {
            if (v < 0 || v > 256) return "Absolute weight can only be between 0 and 256 inclusive.\n";
            weight = (int) v;
        }
        int w = weight;
        return change(() -> ops.setWeight(p.name(), sv.name(), w));
    }
}
