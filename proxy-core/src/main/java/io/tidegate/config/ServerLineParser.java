package io.tidegate.config;

import java.time.Duration;
import java.util.List;

/** Parses the options of {@code server} and {@code default-server} lines into {@link ServerOptions}. */
final class ServerLineParser {

    /** Option words understood on server lines, for messages. */
    static final List<String> OPTION_WORDS = List.of("weight", "cookie", "check", "no-check", "inter", "fastinter",
            "downinter", "rise", "fall", "port", "addr", "backup", "no-backup", "maxconn", "minconn", "maxqueue",
            "source", "slowstart", "disabled", "enabled", "on-marked-down", "on-marked-up");

    private final ParseContext ctx;

    ServerLineParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Parses {@code words} (the options after the address, or after {@code default-server}).
     *
     * @param what {@code server 'webA'} or {@code default-server}, for messages
     */
    ServerOptions parseOptions(List<Word> words, String what) {
        ServerOptions o = ServerOptions.NONE;
        int i = 0;
        while (i < words.size()) {
            Word w = words.get(i);
            String key = w.text();
            Word arg = i + 1 < words.size() ? words.get(i + 1) : null;
            int consumed = 1;
            try {
                switch (key) {
                    case "check" -> o = o.withCheck(true);
                    case "no-check" -> o = o.withCheck(false);
                    case "backup" -> o = o.withBackup(true);
                    case "no-backup" -> o = o.withBackup(false);
                    case "disabled" -> o = o.withDisabled(true);
                    case "enabled" -> o = o.withDisabled(false);
                    case "weight" -> {
                        int weight = Units.parseInt(need(arg, w, what), "weight");
                        if (weight > ServerOptions.MAX_WEIGHT) {
                            throw new IllegalArgumentException("weight " + weight + " out of range 0..256");
                        }
                        o = o.withWeight(weight);
                        consumed = 2;
                    }
                    case "cookie" -> {
                        o = o.withCookie(need(arg, w, what));
                        consumed = 2;
                    }
                    case "inter" -> {
                        o = o.withInter(positiveTime(need(arg, w, what), key));
                        consumed = 2;
                    }
                    case "fastinter" -> {
                        o = o.withFastinter(positiveTime(need(arg, w, what), key));
                        consumed = 2;
                    }
                    case "downinter" -> {
                        o = o.withDowninter(positiveTime(need(arg, w, what), key));
                        consumed = 2;
                    }
                    case "slowstart" -> {
                        o = o.withSlowstart(Units.parseTime(need(arg, w, what)));
                        consumed = 2;
                    }
                    case "rise" -> {
                        o = o.withRise(positiveInt(need(arg, w, what), key));
                        consumed = 2;
                    }
                    case "fall" -> {
                        o = o.withFall(positiveInt(need(arg, w, what), key));
                        consumed = 2;
                    }
                    case "port" -> {
                        int port = Units.parseInt(need(arg, w, what), "port");
                        if (port < 1 || port > 65535) {
                            throw new IllegalArgumentException("check port " + port + " out of range 1..65535");
                        }
                        o = o.withPort(port);
                        consumed = 2;
                    }
                    case "addr" -> {
                        HostPort hp = Addresses.parse(need(arg, w, what), false);
                        if (hp.port() != 0) {
                            throw new IllegalArgumentException("'addr' takes an address without port; "
                                    + "use 'port' for the check port");
                        }
                        o = o.withAddr(hp.host());
                        consumed = 2;
                    }
                    case "source" -> {
                        o = o.withSource(SourceAddress.parse(need(arg, w, what)).toString());
                        consumed = 2;
                    }
                    case "maxconn" -> {
                        o = o.withMaxconn(Units.parseInt(need(arg, w, what), "maxconn"));
                        consumed = 2;
                    }
                    case "minconn" -> {
                        o = o.withMinconn(Units.parseInt(need(arg, w, what), "minconn"));
                        consumed = 2;
                    }
                    case "maxqueue" -> {
                        o = o.withMaxqueue(Units.parseInt(need(arg, w, what), "maxqueue"));
                        consumed = 2;
                    }
                    case "on-marked-down" -> {
                        String action = need(arg, w, what);
                        if (!action.equals("shutdown-sessions")) {
                            throw new IllegalArgumentException("unknown on-marked-down action '" + action
                                    + "'; expected shutdown-sessions");
                        }
                        o = o.withMarked((o.marked() == null ? MarkedActions.NONE : o.marked()).onMarkedDown(true));
                        consumed = 2;
                    }
                    case "on-marked-up" -> {
                        String action = need(arg, w, what);
                        if (!action.equals("shutdown-backup-sessions")) {
                            throw new IllegalArgumentException("unknown on-marked-up action '" + action
                                    + "'; expected shutdown-backup-sessions");
                        }
                        o = o.withMarked((o.marked() == null ? MarkedActions.NONE : o.marked()).onMarkedUp(true));
                        consumed = 2;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + key + "' on " + what
                            + "; supported options: " + String.join(", ", OPTION_WORDS));
                }
                ctx.use("server " + canonical(key), w.pos());
            } catch (IllegalArgumentException e) {
                boolean valueAtFault = arg != null && takesArgument(key);
                ctx.error(valueAtFault ? arg : w, e.getMessage());
                consumed = valueAtFault ? 2 : 1;
            }
            i += consumed;
        }
        return o;
    }

    private static String canonical(String key) {
        return switch (key) {
            case "no-check" -> "check";
            case "no-backup" -> "backup";
            case "enabled" -> "disabled";
            default -> key;
        };
    }

    private static boolean takesArgument(String key) {
        return switch (key) {
            case "weight", "cookie", "inter", "fastinter", "downinter", "slowstart", "rise", "fall", "port", "addr",
                    "source", "maxconn", "minconn", "maxqueue", "on-marked-down", "on-marked-up" -> true;
            default -> false;
        };
    }

    private static String need(Word arg, Word key, String what) {
        if (arg == null) {
            throw new IllegalArgumentException("'" + key.text() + "' on " + what + " needs a value");
        }
        return arg.text();
    }

    private static Duration positiveTime(String text, String key) {
        Duration d = Units.parseTime(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + key + "' must be greater than 0");
        }
        return d;
    }

    private static int positiveInt(String text, String key) {
        int v = Units.parseInt(text, key);
        if (v < 1) {
            throw new IllegalArgumentException("'" + key + "' must be at least 1");
        }
        return v;
    }
}
