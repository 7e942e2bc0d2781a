package io.tidegate.engine;

import io.tidegate.engine.status.BackendStatus;
import java.util.ArrayList;
import java.util.List;

/** A backend at run time: chooses the server of each request (persistence first, then balancing). */
final class RuntimeBackend {
    private final EnginePlan.Backend plan;
    private final List<RuntimeServer> servers;
    /** {@code option srvtcpka|tcpka}: keep-alive probes on connections to the servers (set once at build). */
    boolean serverTcpKeepAlive;
    private final ServerRotation normal;
    private final ServerRotation backups;
    /** Counts changes of a server's weight or eligibility for load balancing (see {@link #balancingChanged()}). */
    private final java.util.concurrent.atomic.AtomicInteger balancingChanges = new java.util.concurrent.atomic.AtomicInteger();
    private final SlotDispatcher dispatcher = new SlotDispatcher(this);
    /** Requests that waited longer than {@code timeout queue} for any server (the backend queue). */
    private final java.util.concurrent.atomic.LongAdder queueTimeouts = new java.util.concurrent.atomic.LongAdder();
    private final List<RuntimeServer> backupOrder;
    private final PersistenceCookie persistenceCookie;
    private final CookieIndex cookieIndex;

    /** The hash of hash-based balancing (source, uri, url_param, hdr, rdp-cookie), else null. */
    private final RequestHash requestHash;
    private final HashedChoice hashed;
    /** The last response of one of its servers refused as invalid (show errors; set by ErrorCaptures). */
    volatile ErrorCapture lastResponseError;

    /**
     * Whether the balancing is one of HAProxy's static algorithms ({@code static-rr}, and the hashes
     * with {@code hash-type map-based}), whose servers keep their configured weight at run time.
     */
    private final boolean staticWeights;

    RuntimeBackend(EnginePlan.Backend plan, int ioThreads) {
        this(plan, ioThreads, null, null);
    }

    /**
     * @param balance  {@code balance} and {@code hash-type} details; null = round robin
     * @param previous the backend of the same name in the graph a reload replaces, or null: its
     *                 servers that stay (same name and address) hand their state and counters over
     */
    RuntimeBackend(EnginePlan.Backend plan, int ioThreads, EnginePlan.Rules balance, RuntimeBackend previous) {
        this.plan = plan;
        this.staticWeights = staticWeights(balance);
        List<RuntimeServer> all = new ArrayList<>();
        List<RuntimeServer> n = new ArrayList<>();
        List<RuntimeServer> b = new ArrayList<>();
        for (EnginePlan.Server s : plan.servers()) {
            RuntimeServer old = previous == null ? null : previous.kept(s);
            RuntimeServer rs = old == null ? new RuntimeServer(s, this, ioThreads)
                    : new RuntimeServer(s, this, ioThreads, old.counters(), old.latency());
            if (old != null) old.handOver(rs);
            all.add(rs);
            (s.backup() ? b : n).add(rs);
        }
        this.servers = List.copyOf(all);
        this.lastResponseError = previous == null ? null : previous.lastResponseError;    // a reload keeps it
        io.tidegate.config.Balance algo = balance == null ? null : balance.balance();
        this.normal = algo == null ? ServerRotation.of(n, balancingChanges::get) : switch (algo.algorithm()) {
            case LEASTCONN -> new LeastConnections(n);
            case FIRST -> new FirstAvailable(n);
            case RANDOM -> new RandomDraws(n, algo.parameter() == null ? 2 : Integer.parseInt(algo.parameter()));
            default -> ServerRotation.of(n, balancingChanges::get);    // roundrobin, static-rr, hash fallback
        };
        this.requestHash = algo != null && RequestHash.hashes(algo) ? new RequestHash(algo) : null;
        this.persistRdpCookie = balance == null || balance.persistRdpCookie() == null ? null
                : balance.persistRdpCookie().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.hashed = requestHash == null ? null : new HashedChoice(n, consistent(balance));
        this.backups = ServerRotation.of(b, balancingChanges::get);
        this.backupOrder = List.copyOf(b);
        this.persistenceCookie = plan.cookie() == null ? null : new PersistenceCookie(plan.cookie());
        this.cookieIndex = new CookieIndex(this.servers);
    }

    EnginePlan.Backend plan() { return plan; }

    boolean staticWeights() { return staticWeights; }

    private static boolean consistent(EnginePlan.Rules balance) {
        return balance != null && balance.hashType() != null && balance.hashType().startsWith("consistent");
    }

    private static boolean staticWeights(EnginePlan.Rules balance) {
        io.tidegate.config.Balance algo = balance == null ? null : balance.balance();
        if (algo == null) return false;
        return algo.algorithm() == io.tidegate.config.BalanceAlgorithm.STATIC_RR
                || RequestHash.hashes(algo) && !consistent(balance);
    }

    /** This backend's server that a reload keeps as {@code next} (same name and address), or null. */
    private RuntimeServer kept(EnginePlan.Server next) {
        for (RuntimeServer s : servers) if (s.sameServerAs(next)) return s;
        return null;
    }
    List<RuntimeServer> servers() { return servers; }

    /** This backend's server named {@code name}, or null. */
    RuntimeServer server(String name) {
        for (RuntimeServer s : servers) if (s.name().equals(name)) return s;
        return null;
    }

    /** The persistence cookie of this backend, or null when it has none. */
    PersistenceCookie persistenceCookie() { return persistenceCookie; }

    /**
     * The first server, in configuration order, whose cookie value is {@code in[from, to)} and that
     * may take persistent traffic, or null. Backups count too: a backup sharing a normal server's
     * value keeps that server's clients while the normal one is down (guide §4.2), and a backup
     * holding its own value keeps its clients while it is up. A server drained for longer than
     * {@code option redispatch-drained} no longer keeps them. One hash lookup, whatever the
     * number of servers ({@link CookieIndex}).
     */
    RuntimeServer byCookie(java.nio.ByteBuffer in, int from, int to) {
        return cookieIndex.firstCookieHolder(in, from, to);
    }

    /** Every server whose persistence cookie value is {@code in[from, to)}, whatever its state; null if none. */
    RuntimeServer[] serversByCookie(java.nio.ByteBuffer in, int from, int to) {
        return cookieIndex.serversWith(in, from, to);
    }

    /**
     * The balancing choice: a normal server; when none is usable, the first usable backup (or, with
     * {@code option allbackups}, all usable backups in turn); null if there is none.
     */
    RuntimeServer pickBalanced() {
        return pickBalancedAvoiding(null);
    }

    /** As {@link #pickBalanced()} without {@code avoid} (a server that just refused a connection). */
    RuntimeServer pickBalancedAvoiding(RuntimeServer avoid) {
        return pickBalanced(avoid, RequestHash.NONE);
    }

    /** stick-table + stick rules of this backend, or null. */
    private StickRules stickRules;

    /** Sets the stick rules (once, while the engine is built). */
    void stickRules(StickRules s) {
        this.stickRules = s;
    }

    /** Whether requests need their facts for this backend's stick rules. */
    boolean sticks() {
        return stickRules != null;
    }

    /** The server the stick table holds for this request, or null. */
    /** {@code persist rdp-cookie}: the cookie name, else null. */
    private final byte[] persistRdpCookie;

    /**
     * {@code persist rdp-cookie}: the server the RDP cookie of the request contents names as
     * {@code ADDRESS.PORT.} (Microsoft's routing token: the IPv4 address and the port as the
     * little-endian integers of their network bytes, as HAProxy reads them on x86), when it takes
     * persistent traffic (up, or down under option persist); else null.
     */
    boolean persistsRdpCookie() {
        return persistRdpCookie != null;
    }

    RuntimeServer rdpCookieServer(ExchangeFacts x) {
        if (persistRdpCookie == null || x.contents == null) return null;
        long v = RequestContents.rdpCookie(x.contents, x.contentsFrom, x.contentsTo, persistRdpCookie);
        if (v < 0) return null;
        java.nio.ByteBuffer b = x.contents;
        int p = RequestContents.from(v);
        int end = RequestContents.to(v);
        long address = 0;
        int start = p;
        while (p < end && b.get(p) >= '0' && b.get(p) <= '9' && p - start < 10) address = address * 10 + (b.get(p++) - '0');
        if (p == start || p >= end || b.get(p) != '.' || address > 0xffffffffL) return null;
        long port = 0;
        start = ++p;
        while (p < end && b.get(p) >= '0' && b.get(p) <= '9' && p - start < 5) port = port * 10 + (b.get(p++) - '0');
        if (p == start || p >= end || b.get(p) != '.' || port > 0xffff) return null;
        int wantedPort = (int) (((port & 0xff) << 8) | (port >> 8));
        for (RuntimeServer s : servers) {
            java.net.InetSocketAddress a = s.plan().address();
            if (a.getPort() != wantedPort || a.getAddress() == null || a.getAddress().getAddress().length != 4) continue;
            byte[] ip = a.getAddress().getAddress();
            long littleEndian = (ip[0] & 0xffL) | (ip[1] & 0xffL) << 8 | (ip[2] & 0xffL) << 16 | (ip[3] & 0xffL) << 24;
            if (littleEndian == address) return s.acceptsPersistentTraffic() ? s : null;
        }
        return null;
    }

    RuntimeServer stuckServer(ExchangeFacts x) {
        return stickRules == null ? null : stickRules.match(x);
    }

    /** Remembers the server chosen for this request in the stick table. */
    void stick(ExchangeFacts x, RuntimeServer s) {
        if (stickRules != null && s != null) stickRules.store(x, s);
    }

    StickRules stickTable() {
        return stickRules;
    }

    /** Whether the balancing hashes something of each request ({@link #hashKey}). */
    boolean hashesRequests() {
        return requestHash != null;
    }

    /** The hash key of this exchange for the balancing, or {@link RequestHash#NONE}. */
    long hashKey(ExchangeFacts x) {
        return requestHash == null ? RequestHash.NONE : requestHash.key(x);
    }

    /**
     * The balancing choice for a request whose hash key is {@code key} ({@link RequestHash#NONE}:
     * none, or not a hash-based algorithm), without {@code avoid}.
     */
    RuntimeServer pickBalanced(RuntimeServer avoid, long key) {
        RuntimeServer s = key != RequestHash.NONE && hashed != null ? hashed.pick(key, avoid) : normal.next(avoid);
        if (s != null) return s;
        if (plan.allBackups()) return backups.next(avoid);
        for (RuntimeServer b : backupOrder) {
            if (b != avoid && b.acceptsNewTraffic()) return b;
        }
        return null;
    }

    /**
     * A server's weight, health, admin state or checks switch has just changed (called after the
     * change is visible): the rotations of large backends re-read their servers at the next pick
     * instead of reading every server on every pick. Slowstart steps are not signalled; the
     * rotations watch the ramping servers themselves.
     */
    void balancingChanged() {
        balancingChanges.incrementAndGet();
    }

    /** Matches free server slots with waiting requests (S9). */
    SlotDispatcher dispatcher() { return dispatcher; }

    void queueTimeout() { queueTimeouts.increment(); }

    /** nbsrv: the usable normal servers, else the usable backups. */
    int usableServerCount() {
        int normalUp = 0;
        int backupUp = 0;
        for (RuntimeServer s : servers) {
            if (!s.acceptsNewTraffic()) continue;
            if (s.plan().backup()) backupUp++;
            else normalUp++;
        }
        return normalUp > 0 ? normalUp : backupUp;
    }

    /** Some server could take a load-balanced request if it had a free slot. */
    boolean hasUsableServer() {
        for (RuntimeServer s : servers) if (s.acceptsNewTraffic()) return true;
        return false;
    }

    /**
     * {@code s} may take requests that wait for any server: it takes new traffic and is a normal
     * server, or a backup while no normal server takes new traffic.
     */
    boolean takesBalancedTraffic(RuntimeServer s) {
        if (!s.acceptsNewTraffic()) return false;
        if (!s.plan().backup()) return true;
        for (RuntimeServer o : servers) if (!o.plan().backup() && o.acceptsNewTraffic()) return false;
        return true;
    }

    /**
     * The backend's load as HAProxy's dynamic limits read it: requests in progress on its servers
     * plus requests waiting for them. Only servers with minconn below maxconn ask.
     */
    long load() {
        long n = dispatcher.anyServerQueue().length();
        for (RuntimeServer s : servers) n += s.counters().current() + s.queue().length();
        return n;
    }

    BackendStatus status() {
        List<io.tidegate.engine.status.ServerStatus> list = new ArrayList<>(servers.size());
        for (RuntimeServer s : servers) list.add(s.status());
        return new BackendStatus(plan.name(), plan.balance(), plan.cookie(), list,
                dispatcher.anyServerQueue().length(), queueTimeouts.sum());
    }
}
