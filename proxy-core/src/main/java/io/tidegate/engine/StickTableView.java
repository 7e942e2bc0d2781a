package io.tidegate.engine;

import java.util.List;

/**
 * A stick table as the runtime API's {@code show table} shows it: its definition, how many entries
 * it holds, and (when asked for) each entry with its key, the connections tracking it ({@code use}),
 * the milliseconds until it expires ({@code exp}) and the values of its stored data types, read now.
 *
 * @param size   the number of entries it may hold
 * @param stored the data types it stores, e.g. {@code conn_cur}, {@code http_req_rate}
 */
public record StickTableView(String name, String type, long size, int used, List<String> stored, List<Row> rows) {

    /** One entry; {@code id} stands for HAProxy's entry address (unique while the entry lives). */
    public record Row(String id, String key, int use, long expMs, List<Datum> data) {
    }

    /** A stored data type: its name, the period of a rate in ms (0 otherwise), its value now. */
    public record Datum(String type, long periodMs, long value) {
        /** As HAProxy writes it: {@code http_req_rate(10000)}, {@code conn_cur}. */
        public String label() {
            return periodMs > 0 ? type + "(" + periodMs + ")" : type;
        }
    }
}
