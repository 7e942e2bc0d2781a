package io.tidegate.config;

/**
 * The {@code stats} keyword of the {@code global} section (the runtime API):
 * {@code stats socket PATH [mode OCTAL] [level user|operator|admin] [expose-fd listeners]},
 * {@code stats timeout T}, {@code stats maxconn N}; the socket may be a TCP address as HAProxy
 * allows ({@code ipv4@ADDR:PORT}, {@code ADDR:PORT}). Other {@code stats} forms of the global section
 * (bind-process) are rejected with what is supported.
 */
final class StatsStatementParser {
    private StatsStatementParser() {
    }

    static StatsSettings apply(ConfigLine line, StatsSettings current) {
        if (line.size() < 2) {
            throw new StatementError(line.keyword(), "'stats' expects 'socket', 'timeout' or 'maxconn'");
        }
        return switch (line.text(1)) {
            case "socket" -> current.withSocket(socket(line));
            case "timeout" -> {
                ProxyStatementParser.exactly(line, 3);
                long ms = ProxyStatementParser.time(line.word(2)).toMillis();
                if (ms < 1) throw new StatementError(line.word(2), "stats timeout must be at least 1 ms");
                yield current.withTimeoutMs(ms);
            }
            case "maxconn" -> {
                ProxyStatementParser.exactly(line, 3);
                int n;
                try {
                    n = Units.parseInt(line.text(2), "stats maxconn");
                } catch (IllegalArgumentException e) {
                    throw new StatementError(line.word(2), e.getMessage());
                }
                if (n < 1) throw new StatementError(line.word(2), "stats maxconn must be at least 1");
                yield current.withMaxconn(n);
            }
            default -> throw new StatementError(line.word(1), "unknown 'stats " + line.text(1)
                    + "' in the global section; expected 'stats socket PATH [mode OCTAL] [level user|operator|admin]"
                    + " [expose-fd listeners]', 'stats timeout T' or 'stats maxconn N'");
        };
    }

    private static StatsSocket socket(ConfigLine line) {
        if (line.size() < 3) {
            throw new StatementError(line.word(1), "'stats socket' expects the path of a UNIX socket");
        }
        String path = line.text(2);
        boolean unix = path.startsWith("/") || path.startsWith("unix@/");
        if (!unix) {
            String a = path.startsWith("ipv4@") || path.startsWith("ipv6@") ? path.substring(5) : path;
            try {
                Addresses.parse(a, true);
            } catch (IllegalArgumentException e) {
                throw new StatementError(line.word(2), "stats socket: '" + path + "' is neither the absolute path of a UNIX"
                        + " socket nor a TCP address (ipv4@ADDR:PORT, ADDR:PORT): " + e.getMessage());
            }
        }
        Integer mode = null;
        StatsSocket.Level level = null;
        boolean exposeFd = false;
        for (int i = 3; i < line.size(); i++) {
            String w = line.text(i);
            switch (w) {
                case "mode" -> {
                    Word v = value(line, ++i, "mode", "an octal permission such as 600");
                    try {
                        mode = Integer.parseInt(v.text(), 8);
                    } catch (NumberFormatException e) {
                        throw new StatementError(v, "stats socket mode '" + v.text() + "' is not an octal number such as 600");
                    }
                    if (mode < 0 || mode > 0777) throw new StatementError(v, "stats socket mode must be between 000 and 777");
                }
                case "level" -> {
                    Word v = value(line, ++i, "level", "user, operator or admin");
                    level = switch (v.text()) {
                        case "user" -> StatsSocket.Level.USER;
                        case "operator" -> StatsSocket.Level.OPERATOR;
                        case "admin" -> StatsSocket.Level.ADMIN;
                        default -> throw new StatementError(v, "stats socket level '" + v.text() + "': expected user, operator or admin");
                    };
                }
                case "expose-fd" -> {
                    Word v = value(line, ++i, "expose-fd", "listeners");
                    if (!v.text().equals("listeners")) throw new StatementError(v, "stats socket expose-fd expects 'listeners'");
                    exposeFd = true;
                }
                default -> throw new StatementError(line.word(i), "unsupported stats socket option '" + w
                        + "'; supported: mode OCTAL, level user|operator|admin, expose-fd listeners");
            }
        }
        return new StatsSocket(path, mode, level, exposeFd, line.pos());
    }

    private static Word value(ConfigLine line, int i, String option, String expected) {
        if (i >= line.size()) throw new StatementError(line.word(i - 1), "stats socket " + option + " expects " + expected);
        return line.word(i);
    }
}
