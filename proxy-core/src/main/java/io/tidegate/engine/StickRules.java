package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A backend's {@code stick-table} and {@code stick on|match|store-request} rules: server affinity
 * without a cookie. A request whose key (e.g. its source address, or a cookie value) is in the table
 * goes to the server stored for it, like a persistence cookie; otherwise the server the balancing
 * chose is stored under its key. Entries expire {@code expire} after their last use; when the table
 * holds {@code size} entries, expired ones are purged and, if none is, new keys are not stored.
 */
final class StickRules {
    private final Rule[] rules;
    private final ConcurrentHashMap<String, Entry> table = new ConcurrentHashMap<>();
    private final long size;
    private final long expireMs;

    private record Rule(String kind, SampleFetch fetch, boolean source, RuleCondition condition) {
        boolean matches() {
            return !kind.equals("store-request");
        }

        boolean stores() {
            return !kind.equals("match");
        }
    }

    private static final class Entry {
        final RuntimeServer server;
        volatile long expiresAt;

        Entry(RuntimeServer server, long expiresAt) {
            this.server = server;
            this.expiresAt = expiresAt;
        }
    }

    private StickRules(Rule[] rules, long size, long expireMs) {
        this.rules = rules;
        this.size = size;
        this.expireMs = expireMs;
    }

    /** The stick rules of {@code statements}, or null when there are none. */
    static StickRules compile(List<ProxyRule> statements, Function<String, RuntimeBackend> backends,
                              RuntimeBackend own) {
        return compile(statements, backends, own, n -> null);
    }

    /** As above; {@code userlists} resolves http_auth_group's list (e.g. {@code stick on http_auth_group(L)}). */
    static StickRules compile(List<ProxyRule> statements, Function<String, RuntimeBackend> backends,
                              RuntimeBackend own, Function<String, UserlistAuth> userlists) {
        ProxyRule tableLine = null;
        List<Rule> rules = new ArrayList<>();
        for (ProxyRule r : statements) {
            if (r.phase() == ProxyRule.Phase.STICK_TABLE) tableLine = r;
            if (r.phase() != ProxyRule.Phase.STICK) continue;
            String expr = r.param("fetch");
            String name = expr.contains("(") ? expr.substring(0, expr.indexOf('(')) : expr;
            List<String> args = expr.contains("(")
                    ? List.of(expr.substring(expr.indexOf('(') + 1, expr.lastIndexOf(')')).split(",")) : List.of();
            rules.add(new Rule(r.action(), SampleFetch.of(name, args, backends, own, userlists), name.equals("src"),
                    RuleCondition.compile(r.condition(), backends, own, userlists)));
        }
        if (rules.isEmpty() || tableLine == null) return null;
        long expire = tableLine.param("expire") == null ? 0 : Long.parseLong(tableLine.param("expire"));
        return new StickRules(rules.toArray(new Rule[0]), Long.parseLong(tableLine.param("size")), expire);
    }

    /** The server stored for this request's key, when it may take the request; else null. */
    RuntimeServer match(ExchangeFacts x) {
        long now = System.currentTimeMillis();
        for (Rule r : rules) {
            if (!r.matches() || !RuleCondition.applies(r.condition, x)) continue;
            String key = key(r, x);
            if (key == null) continue;
            Entry e = table.get(key);
            if (e == null) continue;
            if (expireMs > 0 && e.expiresAt < now) {
                table.remove(key, e);
                continue;
            }
            if (!e.server.acceptsCookieHolders()) continue;
            if (expireMs > 0) e.expiresAt = now + expireMs;
            return e.server;
        }
        return null;
    }

    /**
     * Stores {@code server} under this request's key (stick on, stick store-request). As in HAProxy,
     * only the first storing rule whose condition holds and whose key exists stores: the later ones
     * are fallbacks (e.g. a header first, then {@code src}).
     */
    void store(ExchangeFacts x, RuntimeServer server) {
        long now = System.currentTimeMillis();
        for (Rule r : rules) {
            if (!r.stores() || !RuleCondition.applies(r.condition, x)) continue;
            String key = key(r, x);
            if (key == null) continue;
            Entry e = table.get(key);
            if (e != null && e.server == server) {
                if (expireMs > 0) e.expiresAt = now + expireMs;
                return;
            }
            if (e == null && table.size() >= size && !purge(now)) return;
            table.put(key, new Entry(server, expireMs > 0 ? now + expireMs : Long.MAX_VALUE));
            return;
        }
    }

    /** Drops expired entries; true when there is room afterwards. */
    private boolean purge(long now) {
        table.values().removeIf(e -> e.expiresAt < now);
        return table.size() < size;
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
        return table.size();
    }
}
