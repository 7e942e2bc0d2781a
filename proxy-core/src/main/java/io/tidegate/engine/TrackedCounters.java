package io.tidegate.engine;

import io.tidegate.config.StickDataType;

/**
 * The stick-table entries one client connection tracks ({@code track-sc0}, {@code track-sc1},
 * {@code track-sc2}) and the counting HAProxy does on them: HTTP requests when they arrive, HTTP
 * errors (denied requests and 4xx responses), bytes when an exchange ends, sessions once the
 * connection is accepted, and conn_cur back down when the tracking ends. Entries tracked by
 * {@code tcp-request connection|content} rules stay for the connection (HAProxy's session counters);
 * those of {@code http-request} rules for one request (HAProxy's stream counters). Made on the first
 * track rule of a connection, then reused; confined to the connection's IO thread (the entries are
 * shared, {@link StickTable} guards them).
 */
final class TrackedCounters {
    static final int SLOTS = 3;
    private final StickTable[] tables = new StickTable[SLOTS];
    private final StickTable.Entry[] entries = new StickTable.Entry[SLOTS];
    private final boolean[] perRequest = new boolean[SLOTS];

    /**
     * Starts tracking {@code key} of {@code table} as counter {@code n}, unless counter n already
     * tracks something (the first track rule wins, as in HAProxy). {@code request}: an http-request
     * rule, which also counts the current request on the entry.
     */
    void track(int n, StickTable table, String key, boolean request) {
        if (entries[n] != null || key == null) return;
        StickTable.Entry e = table.getOrCreate(key);
        if (e == null) return;          // full, and no room can be made
        table.startTracking(e);
        tables[n] = table;
        entries[n] = e;
        perRequest[n] = request;
        if (request) table.count(e, StickDataType.HTTP_REQ_CNT, StickDataType.HTTP_REQ_RATE, 1);
    }

    StickTable table(int n) {
        return tables[n];
    }

    StickTable.Entry entry(int n) {
        return entries[n];
    }

    /** The connection passed its tcp-request rules: a session of every entry tracked so far. */
    void sessionAccepted() {
        for (int i = 0; i < SLOTS; i++) {
            if (entries[i] != null) tables[i].count(entries[i], StickDataType.SESS_CNT, StickDataType.SESS_RATE, 1);
        }
    }

    /** A request head arrived: counted on the entries the connection tracks (http-request ones count when they track). */
    void requestArrived() {
        for (int i = 0; i < SLOTS; i++) {
            if (entries[i] != null && !perRequest[i]) {
                tables[i].count(entries[i], StickDataType.HTTP_REQ_CNT, StickDataType.HTTP_REQ_RATE, 1);
            }
        }
    }

    /** An HTTP error of the client: a denied request, or a 4xx response from a server. */
    void httpError() {
        for (int i = 0; i < SLOTS; i++) {
            if (entries[i] != null) tables[i].count(entries[i], StickDataType.HTTP_ERR_CNT, StickDataType.HTTP_ERR_RATE, 1);
        }
    }

    /** An exchange ended: its bytes are counted, and the entries tracked for this request are released. */
    void exchangeEnded(long bytesIn, long bytesOut) {
        for (int i = 0; i < SLOTS; i++) {
            StickTable.Entry e = entries[i];
            if (e == null) continue;
            if (bytesIn > 0) tables[i].count(e, StickDataType.BYTES_IN_CNT, StickDataType.BYTES_IN_RATE, bytesIn);
            if (bytesOut > 0) tables[i].count(e, StickDataType.BYTES_OUT_CNT, StickDataType.BYTES_OUT_RATE, bytesOut);
            if (perRequest[i]) release(i);
        }
    }

    /** The connection ended: every tracked entry is released (conn_cur down). */
    void connectionClosed() {
        for (int i = 0; i < SLOTS; i++) if (entries[i] != null) release(i);
    }

    private void release(int i) {
        tables[i].stopTracking(entries[i]);
        tables[i] = null;
        entries[i] = null;
        perRequest[i] = false;
    }
}
