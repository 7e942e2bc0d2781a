package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Whether a full table refuses new keys ({@code nopurge}) rather than dropping its least recently used ones. */
    private final boolean nopurge;

    private StickRules(Rule[] rules, long size, long expireMs, boolean nopurge) {
        this.rules = rules;
        this.size = size;
        this.expireMs = expireMs;
        this.nopurge = nopurge;
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
        return new StickRules(rules.toArray(new Rule[0]), Long.parseLong(tableLine.param("size")), expire,
                "true".equals(tableLine.param("nopurge")));
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
            if (e == null && table.size() >= size && !purge(now) && !dropLeastRecentlyUsed()) return;
            table.put(key, new Entry(server, expireMs > 0 ? now + expireMs : Long.MAX_VALUE));
            return;
        }
    }

    /**
     * A full table without {@code nopurge} makes room as HAProxy 2.6 does: it drops its
     * {@code size/256 + 1} least recently used entries (with {@code expire}, those that would expire
     * first). A table without {@code expire} keeps its entries (their order of use is not known).
     * True when there is room afterwards.
     */
    private boolean dropLeastRecentlyUsed() {
        if (nopurge || expireMs <= 0) return false;
        int batch = (int) Math.min(Integer.MAX_VALUE - 1, (size >> 8) + 1);
        java.util.PriorityQueue<Map.Entry<String, Entry>> latestFirst = new java.util.PriorityQueue<>(batch + 1,
                (x, y) -> Long.compare(y.getValue().expiresAt, x.getValue().expiresAt));
        for (Map.Entry<String, Entry> e : table.entrySet()) {
            latestFirst.add(e);
            if (latestFirst.size() > batch) latestFirst.poll();
        }
        for (Map.Entry<String, Entry> e : latestFirst) table.remove(e.getKey(), e.getValue());
        return table.size() < size;
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
