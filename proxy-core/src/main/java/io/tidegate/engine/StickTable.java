package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import io.tidegate.config.StickDataType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@code stick-table} of a proxy section: keys (a source address, a cookie value, ...) with the
 * server stickiness stored for them and the counters its {@code store} line names. Entries live
 * {@code expire} after their last use (not while a connection tracks them, as in HAProxy); a full table
 * drops its least recently used entries to store a new key (HAProxy 2.6: {@code size/256 + 1} at a
 * time), unless {@code nopurge} or no {@code expire} is set.
 *
 * <p>Thread safety: entries are shared by the IO threads; the counters of one entry change and are
 * read under that entry's monitor (a few arithmetic steps, no allocation). Time comes from
 * {@code clock} (milliseconds of the engine's monotonic time), so tests drive expiry and rates with a
 * fake clock.
 */
final class StickTable {
    /** The engine's time source for stick tables: milliseconds, monotonic. */
    static final LongSupplier MONOTONIC_MILLIS = () -> System.nanoTime() / 1_000_000L;

    final String name;
    final String type;
    /** The longest key a string table keeps: longer ones are cut to it, as HAProxy does ({@code len}, default 32). */
    private final int keyLength;
    final long size;
    final long expireMs;
    private final boolean nopurge;
    private final LongSupplier clock;
    /** Slot of each data type in {@link Entry#values}, -1 when not stored; a rate takes 3 slots (tick, current, previous). */
    private final int[] slot = new int[StickDataType.values().length];
    /** The period of each stored rate in ms. */
    private final long[] period = new long[StickDataType.values().length];
    private final int slots;
    /** The stored data types in HAProxy's order, as written: {@code http_req_rate(10000)}. */
    private final List<StickDataType> stored;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** The start of a rate's period before its first event: far enough back that the first event starts a period. */
    static final long NO_PERIOD_YET = Long.MIN_VALUE / 4;

    /** One key of the table. */
    static final class Entry {
        final String key;
        /** The server stickiness stored for the key, or null. */
        volatile RuntimeServer server;
        /** Guarded by this. */
        long expiresAt;
        /** Connections tracking the entry now (HAProxy's use=); guarded by this. */
        int trackers;
        /** Guarded by this. */
        final long[] values;

        Entry(String key, int slots) {
            this.key = key;
            this.values = new long[slots];
        }
    }

    StickTable(String name, String type, long size, long expireMs, boolean nopurge, String store, LongSupplier clock) {
        this(name, type, size, expireMs, nopurge, store, clock, 0);
    }

    /** As above; {@code len} is a string table's key length (0: HAProxy's default, 32). */
    StickTable(String name, String type, long size, long expireMs, boolean nopurge, String store, LongSupplier clock,
               int len) {
        this.keyLength = "string".equals(type) ? (len > 0 ? len : 32) : Integer.MAX_VALUE;
        this.name = name;
        this.type = type;
        this.size = size;
        this.expireMs = expireMs;
        this.nopurge = nopurge;
        this.clock = clock;
        java.util.Arrays.fill(slot, -1);
        List<StickDataType> types = new ArrayList<>();
        if (store != null && !store.isEmpty()) {
            for (String item : store.split(",")) {
                String n = item.contains("(") ? item.substring(0, item.indexOf('(')) : item;
                StickDataType t = StickDataType.of(n).orElseThrow(() -> new IllegalArgumentException("data type " + n));
                if (t == StickDataType.SERVER_ID || types.contains(t)) continue;
                types.add(t);
                if (t.isRate()) period[t.ordinal()] = Long.parseLong(item.substring(item.indexOf('(') + 1, item.length() - 1));
            }
        }
        types.sort(Comparator.naturalOrder());
        int next = 0;
        for (StickDataType t : types) {
            slot[t.ordinal()] = next;
            next += t.isRate() ? 3 : 1;
        }
        this.slots = next;
        this.stored = List.copyOf(types);
    }

    /** The table of a section's {@code stick-table} line, or null when it has none. */
    static StickTable of(String section, List<ProxyRule> statements, LongSupplier clock) {
        for (ProxyRule r : statements) {
            if (r.phase() != ProxyRule.Phase.STICK_TABLE) continue;
            return new StickTable(section, r.param("type"), Long.parseLong(r.param("size")),
                    r.param("expire") == null ? 0 : Long.parseLong(r.param("expire")), "true".equals(r.param("nopurge")),
                    r.param("store"), clock, r.param("len") == null ? 0 : Integer.parseInt(r.param("len")));
        }
        return null;
    }

    long now() {
        return clock.getAsLong();
    }

    // ------------------------------------------------------------------ reloads

    /**
     * Why this table cannot take over the entries of {@code previous} (its predecessor of the same
     * section in the configuration a reload replaces), or null when it can: the keys must be of the
     * same type and, for a string table, of the same length.
     */
    String cannotTakeOver(StickTable previous) {
        if (!type.equals(previous.type)) return "type changed from " + previous.type + " to " + type;
        if (keyLength != previous.keyLength) return "key length changed from " + previous.keyLength + " to " + keyLength;
        return null;
    }

    /** The same definition as {@code other}: type, key length, size, expire, nopurge and stored data. */
    boolean sameDefinitionAs(StickTable other) {
        return type.equals(other.type) && keyLength == other.keyLength && size == other.size
                && expireMs == other.expireMs && nopurge == other.nopurge && stored.equals(other.stored)
                && java.util.Arrays.equals(period, other.period);
    }

    /**
     * Copies the live entries of {@code previous} (a compatible table, see {@link #cannotTakeOver})
     * into this new, empty table: the most recently used first, up to this table's size (the others
     * are dropped, as a full table drops its least recently used); each lives {@code expire} (this
     * table's) from now. Data types both tables store keep their values (a rate only with the same
     * period, else it starts at 0), the others start at 0; conn_cur starts at 0 and no connection
     * tracks a copy: the connections that still run on the previous configuration keep counting into
     * {@code previous}. The stored server stays (stick rules map it to the server of the same name).
     * Returns how many entries were dropped for lack of room.
     */
    int takeOver(StickTable previous) {
        List<Entry> live = previous.snapshot();
        live.sort((x, y) -> Long.compare(expiry(y), expiry(x)));
        long now = now();
        int dropped = 0;
        for (Entry old : live) {
            if (entries.size() >= size) {
                dropped++;
                continue;
            }
            Entry copy = new Entry(old.key.length() > keyLength ? old.key.substring(0, keyLength) : old.key, slots);
            copy.server = old.server;
            synchronized (old) {
                for (StickDataType t : stored) {
                    int to = slot[t.ordinal()];
                    int from = previous.slot[t.ordinal()];
                    boolean same = from >= 0 && t != StickDataType.CONN_CUR
                            && (!t.isRate() || previous.period[t.ordinal()] == period[t.ordinal()]);
                    if (t.isRate()) {
                        copy.values[to] = same ? old.values[from] : NO_PERIOD_YET;
                        if (same) {
                            copy.values[to + 1] = old.values[from + 1];
                            copy.values[to + 2] = old.values[from + 2];
                        }
                    } else if (same) {
                        copy.values[to] = old.values[from];
                    }
                }
            }
            copy.expiresAt = expireAt(now);
            entries.putIfAbsent(copy.key, copy);
        }
        return dropped;
    }


    boolean stores(StickDataType t) {
        return slot[t.ordinal()] >= 0;
    }

    List<StickDataType> storedTypes() {
        return stored;
    }

    long periodOf(StickDataType t) {
        return period[t.ordinal()];
    }

    int used() {
        return entries.size();
    }

    // ------------------------------------------------------------------ keys

    /** The live entry of {@code key}, or null (an expired one is dropped). */
    Entry lookup(String key) {
        key = cut(key);
        Entry e = entries.get(key);
        if (e == null) return null;
        if (expired(e, now())) {
            entries.remove(key, e);
            return null;
        }
        return e;
    }

    /**
     * The entry of {@code key}, created when absent; null when the table is full and can make no room.
     * A new or found entry is touched: it lives {@code expire} from now.
     */
    Entry getOrCreate(String key) {
        key = cut(key);
        long now = now();
        Entry e = entries.get(key);
        if (e != null && expired(e, now)) {
            entries.remove(key, e);
            e = null;
        }
        if (e == null) {
            if (entries.size() >= size && !purge(now) && !dropLeastRecentlyUsed()) return null;
            Entry fresh = new Entry(key, slots);
            for (StickDataType t : stored) if (t.isRate()) fresh.values[slot[t.ordinal()]] = NO_PERIOD_YET;
            fresh.expiresAt = expireAt(now);
            e = entries.putIfAbsent(key, fresh);
            if (e == null) return fresh;
        }
        touch(e, now);
        return e;
    }

    /** Removes {@code key}; true when it was there. */
    boolean remove(String key) {
        return entries.remove(cut(key)) != null;
    }

    /** The key as the table keeps it: a string table's cut to its length. */
    private String cut(String key) {
        return key.length() > keyLength ? key.substring(0, keyLength) : key;
    }

    /** Removes every entry no connection tracks (HAProxy's {@code clear table}); returns how many. */
    int clear() {
        int n = 0;
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (e.trackers > 0) continue;
            }
            if (entries.remove(e.key, e)) n++;
        }
        return n;
    }

    /** The live entries, for {@code show table}. */
    List<Entry> snapshot() {
        long now = now();
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) if (!expired(e, now)) out.add(e);
        return out;
    }

    private long expireAt(long now) {
        return expireMs > 0 ? now + expireMs : Long.MAX_VALUE;
    }

    void touch(Entry e, long now) {
        synchronized (e) {
            e.expiresAt = expireAt(now);
        }
    }

    private static boolean expired(Entry e, long now) {
        synchronized (e) {
            return e.trackers == 0 && e.expiresAt <= now;
        }
    }

    /** The ms until the entry expires (HAProxy's exp=), 0 without expire. */
    long remainingMs(Entry e) {
        if (expireMs <= 0) return 0;
        synchronized (e) {
            return Math.max(0, e.expiresAt - now());
        }
    }

    /**
     * No entry expires before this time (the table's clock): every expiry is set to now + expire and
     * only ever moves later, so the earliest one seen by the last purge bounds them all. A full table
     * then scans for expired entries once per expiry, not once per new key.
     */
    private volatile long noExpiryBefore;

    /** Drops expired entries; true when there is room afterwards. */
    private boolean purge(long now) {
        if (expireMs <= 0 || now < noExpiryBefore) return false;     // nothing can have expired yet
        long earliest = now + expireMs;      // what a key stored or released from now on gets at the earliest
        for (java.util.Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            synchronized (e) {
                if (e.trackers > 0) continue;
                if (e.expiresAt <= now) {
                    it.remove();
                    continue;
                }
                earliest = Math.min(earliest, e.expiresAt);
            }
        }
        noExpiryBefore = earliest;
        return entries.size() < size;
    }

    /**
     * A full table without {@code nopurge} makes room as HAProxy 2.6 does: it drops its
     * {@code size/256 + 1} least recently used entries that no connection tracks. A table without
     * {@code expire} keeps its entries. True when there is room afterwards.
     */
    private boolean dropLeastRecentlyUsed() {
        if (nopurge || expireMs <= 0) return false;
        int batch = (int) Math.min(Integer.MAX_VALUE - 1, (size >> 8) + 1);
        PriorityQueue<Map.Entry<String, Entry>> latestFirst = new PriorityQueue<>(batch + 1,
                (x, y) -> Long.compare(expiry(y.getValue()), expiry(x.getValue())));
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            synchronized (e.getValue()) {
                if (e.getValue().trackers > 0) continue;
            }
            latestFirst.add(e);
            if (latestFirst.size() > batch) latestFirst.poll();
        }
        for (Map.Entry<String, Entry> e : latestFirst) entries.remove(e.getKey(), e.getValue());
        return entries.size() < size;
    }

    private static long expiry(Entry e) {
        synchronized (e) {
            return e.expiresAt;
        }
    }

    /** True when stick rules keep servers here: entries then show {@code server_id}. */
    volatile boolean keepsServers;

    /** This table now, with its entries when {@code withRows} (a snapshot for show table). */
    StickTableView view(boolean withRows) {
        List<StickTableView.Row> rows = new ArrayList<>();
        if (withRows) {
            for (Entry e : snapshot()) {
                List<StickTableView.Datum> data = new ArrayList<>();
                if (keepsServers) {
                    RuntimeServer s = e.server;
                    data.add(new StickTableView.Datum("server_id", 0, s == null ? 0 : s.stickId()));
                }
                for (StickDataType t : stored) data.add(new StickTableView.Datum(t.keyword(), period[t.ordinal()], read(e, t)));
                rows.add(new StickTableView.Row("0x" + Integer.toHexString(System.identityHashCode(e)), e.key, trackers(e),
                        remainingMs(e), List.copyOf(data)));
            }
        }
        return new StickTableView(name, type, size, used(), stored.stream().map(StickDataType::keyword).toList(),
                List.copyOf(rows));
    }

    // ------------------------------------------------------------------ counters

    /**
     * A connection starts tracking {@code e} (track-sc*): conn_cnt and conn_cur up, conn_rate counts
     * one, and the entry is touched (HAProxy's stream_start_counters).
     */
    void startTracking(Entry e) {
        long now = now();
        synchronized (e) {
            e.trackers++;
            e.expiresAt = expireAt(now);
            add(e, StickDataType.CONN_CNT, 1);
            add(e, StickDataType.CONN_CUR, 1);
            count(e, StickDataType.CONN_RATE, 1, now);
        }
    }

    /** The tracking connection ended: conn_cur down (never below 0), the entry touched. */
    void stopTracking(Entry e) {
        long now = now();
        synchronized (e) {
            if (e.trackers > 0) e.trackers--;
            int s = slot[StickDataType.CONN_CUR.ordinal()];
            if (s >= 0 && e.values[s] > 0) e.values[s]--;
            e.expiresAt = expireAt(now);
        }
    }

    /** Adds {@code n} to the counter of {@code cnt} and to the rate {@code rate} (either may be absent). */
    void count(Entry e, StickDataType cnt, StickDataType rate, long n) {
        if (slot[cnt.ordinal()] < 0 && slot[rate.ordinal()] < 0) return;
        long now = now();
        synchronized (e) {
            add(e, cnt, n);
            count(e, rate, n, now);
        }
    }

    /** Sets a value (gpt0, or gpc0/gpc1 for clear). */
    void set(Entry e, StickDataType t, long v) {
        int s = slot[t.ordinal()];
        if (s < 0) return;
        synchronized (e) {
            e.values[s] = v;
        }
    }

    /** The current value of {@code t} for {@code e}: a counter, or a rate per its period; Long.MIN_VALUE when not stored. */
    long read(Entry e, StickDataType t) {
        int s = slot[t.ordinal()];
        if (s < 0) return Long.MIN_VALUE;
        synchronized (e) {
            return t.isRate() ? rate(e.values, s, period[t.ordinal()], now()) : e.values[s];
        }
    }

    /** The number of connections tracking {@code e}. */
    int trackers(Entry e) {
        synchronized (e) {
            return e.trackers;
        }
    }

    private void add(Entry e, StickDataType t, long n) {
        int s = slot[t.ordinal()];
        if (s >= 0) e.values[s] += n;
    }

    private void count(Entry e, StickDataType t, long n, long now) {
        int s = slot[t.ordinal()];
        if (s >= 0) update(e.values, s, period[t.ordinal()], now, n);
    }

    /**
     * HAProxy's frequency counter over a period (freq_ctr.h update_freq_ctr_period): slots s, s+1,
     * s+2 hold the start of the current period, its count and the previous period's count. An event
     * after the period rotates; after two periods or more the previous count is 0 and the period
     * starts now.
     */
    static void update(long[] v, int s, long period, long now, long n) {
        long tick = v[s];
        if (now - tick < period) {
            v[s + 1] += n;
            return;
        }
        v[s + 2] = v[s + 1];
        v[s + 1] = n;
        tick += period;
        if (now - tick >= period) {
            v[s + 2] = 0;
            tick = now;
        }
        v[s] = tick;
    }

    /**
     * The events per period now (freq_ctr.c freq_ctr_total then read_freq_ctr_period): the current
     * period's count plus the previous one's weighted by the part of the period still to run; a
     * counter whose previous period counted at most 1 and current none reads that count (HAProxy's
     * correction against flapping at very low rates).
     */
    static long rate(long[] v, int s, long period, long now) {
        long tick = v[s];
        long curr = v[s + 1];
        long past = v[s + 2];
        long remain = tick + period - now;
        if (remain < 0) {
            remain += period;
            past = remain >= 0 ? curr : 0;
            curr = 0;
        }
        if (curr == 0 && past <= 1) return past;
        return (past * remain + curr * period) / period;
    }
}
