package io.tidegate.config;

/**
 * The {@code stats} keyword of a frontend or listen section (the statistics page). {@code stats
 * admin} is parsed by {@link RuleParser#statsAdmin} (its condition needs the section's ACLs).
 */
final class StatsPageParser {
    private StatsPageParser() {
    }

    static StatsPage apply(ConfigLine line, StatsPage current) {
        if (line.size() < 2) {
            throw new StatementError(line.keyword(), "'stats' expects enable, uri, realm, auth, refresh, hide-version, scope, show-node, show-desc or admin");
        }
        StatsPage page = current == null ? StatsPage.enabled(line.pos()) : current;
        return switch (line.text(1)) {
            case "enable" -> {
                ProxyStatementParser.exactly(line, 2);
                yield page;
            }
            case "uri" -> {
                ProxyStatementParser.exactly(line, 3);
                if (!line.text(2).startsWith("/")) throw new StatementError(line.word(2), "stats uri must start with '/'");
                yield page.withUri(line.text(2));
            }
            case "realm" -> {
                if (line.size() < 3) throw new StatementError(line.word(1), "stats realm expects a realm name");
                StringBuilder realm = new StringBuilder();
                for (Word w : line.from(2)) realm.append(realm.length() == 0 ? "" : " ").append(w.text());
                yield page.withRealm(realm.toString());
            }
            case "auth" -> {
                ProxyStatementParser.exactly(line, 3);
                if (line.text(2).indexOf(':') <= 0) {
                    throw new StatementError(line.word(2), "stats auth expects user:password");
                }
                yield page.withAuth(line.text(2));
            }
            case "refresh" -> {
                ProxyStatementParser.exactly(line, 3);
                long ms = ProxyStatementParser.time(line.word(2)).toMillis();
                // HAProxy's stats refresh takes seconds by default
                long seconds = line.text(2).chars().allMatch(Character::isDigit) ? ms : (ms + 999) / 1000;
                yield page.withRefreshSeconds(Math.max(1, seconds));
            }
            case "hide-version" -> {
                ProxyStatementParser.exactly(line, 2);
                yield page.withHideVersion(true);
            }
            case "scope" -> {
                ProxyStatementParser.exactly(line, 3);
                yield page.withScope(line.text(2));
            }
            case "show-node" -> {
                if (line.size() > 3) throw new StatementError(line.word(3), "stats show-node takes at most one name");
                yield page.withNode(line.size() == 3 ? line.text(2) : "");
            }
            case "show-desc" -> {
                if (line.size() < 3) yield page.withDescription("");   // HAProxy: the global description, which Tidegate has none of
                StringBuilder desc = new StringBuilder();
                for (Word w : line.from(2)) desc.append(desc.length() == 0 ? "" : " ").append(w.text());
                yield page.withDescription(desc.toString());
            }
            default -> throw new StatementError(line.word(1), "unsupported 'stats " + line.text(1)
                    + "'; supported: stats enable, uri, realm, auth, refresh, hide-version, scope, show-node, show-desc, admin");
        };
    }
}
