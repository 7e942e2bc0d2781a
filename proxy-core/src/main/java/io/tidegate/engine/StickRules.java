package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A backend's {@code stick-table} and {@code stick on|match|store-request} rules: server affinity
 * without a cookie. A request whose key (e.g. its source address, or a cookie value) is in the table
 * goes to the server stored for it, like a persistence cookie; otherwise the server the balancing
 * chose is stored under its key. Entries expire {@code expire} after their last use; when the table
 * holds {@code size} entries, expired ones are purged and, if none is, the least recently used are
 * dropped (HAProxy's default; with {@code nopurge}, or without {@code expire}, new keys are not stored).
 */
final class StickRules {
    private final Rule[] rules;
    private final StickTable table;
    /** The backend whose servers the rules store. */
    private final RuntimeBackend own;

    private record Rule(String kind, SampleFetch fetch, boolean source, RuleCondition condition) {
        boolean matches() {
            return !kind.equals("store-request");
        }

        boolean stores() {
            return !kind.equals("match");
        }
    }

    private StickRules(Rule[] rules, StickTable table, RuntimeBackend own) {
        this.rules = rules;
        this.table = table;
        this.own = own;
    }

    /** The stick rules of {@code statements} over {@code table}, or null when there are none. */
    static StickRules compile(List<ProxyRule> statements, StickTable table, Function<String, RuntimeBackend> backends,
                              RuntimeBackend own, RuleScope scope) {
        List<Rule> rules = new ArrayList<>();
        for (ProxyRule r : statements) {
            if (r.phase() != ProxyRule.Phase.STICK) continue;
            String expr = r.param("fetch");
            rules.add(new Rule(r.action(), SampleFetch.expression(expr, backends, own, scope), expr.equals("src"),
                    RuleCondition.compile(r.condition(), backends, own, scope)));
        }
        if (rules.isEmpty() || table == null) return null;
        table.keepsServers = true;
        return new StickRules(rules.toArray(new Rule[0]), table, own);
    }

    /** The server stored for this request's key, when it may take the request; else null. */
    RuntimeServer match(ExchangeFacts x) {
        for (Rule r : rules) {
            if (!r.matches() || !RuleCondition.applies(r.condition, x)) continue;
            String key = key(r, x);
            if (key == null) continue;
            StickTable.Entry e = table.lookup(key);
            if (e == null) continue;
            RuntimeServer server = e.server;
            if (server != null && server.backend() != own) {
                // stored by the configuration a reload replaced (the table outlives it): the server of
                // the same name here, as HAProxy's peers map server_id by name; none when it was removed
                server = own.server(server.name());
                e.server = server;
            }
            if (server == null || !server.acceptsCookieHolders()) continue;
            table.touch(e, table.now());
            return server;
        }
        return null;
    }

    /**
     * Stores {@code server} under this request's key (stick on, stick store-request). As in HAProxy,
     * only the first storing rule whose condition holds and whose key exists stores: the later ones
     * are fallbacks (e.g. a header first, then {@code src}).
     */
    void store(ExchangeFacts x, RuntimeServer server) {
        for (Rule r : rules) {
            if (!r.stores() || !RuleCondition.applies(r.condition, x)) continue;
            String key = key(r, x);
            if (key == null) continue;
            StickTable.Entry e = table.getOrCreate(key);
            if (e != null) e.server = server;
            return;
        }
    }

    /** The key of this request for rule r, or null when the request has no such value. */
    private static String key(Rule r, ExchangeFacts x) {
        if (r.source) return x.sourceKey();
        StringBuilder sb = new StringBuilder(32);
        r.fetch.append(x, sb);
        return sb.length() == 0 ? null : sb.toString();
    }

    /** How many keys the table holds now. */
    int entries() {
        return table.used();
    }
}
