package io.tidegate.engine;

import io.tidegate.config.CounterFetch;
import io.tidegate.config.StickDataType;
import java.util.List;

/**
 * The stick-counter fetches at run time ({@link CounterFetch}): the value of a data type of the entry
 * tracked as counter N ({@code sc_*}, {@code scN_*}), or of the client address's entry
 * ({@code src_*}). As in HAProxy 2.6: a counter that tracks nothing has no value (an ACL on it never
 * matches); an entry that is not in the table reads 0; a table that does not store the data type
 * has no value. {@code inc_gpc*} adds one and returns the new value; {@code src_inc_gpc*} creates the
 * entry if needed; {@code clr_gpc*} returns the value and sets it to 0.
 */
final class StickCounterFetch extends SampleFetch {
    private static final long NONE = Long.MIN_VALUE;
    private final CounterFetch name;
    private final int counter;
    /** The table named in the arguments, or for src_* the proxy's own; null: the tracked entry's table. */
    private final StickTable table;
    private final StickDataType type;

    private StickCounterFetch(CounterFetch name, int counter, StickTable table) {
        this.name = name;
        this.counter = counter;
        this.table = table;
        this.type = name.dataType();
    }

    /** The fetch {@code fn(args)}; {@code scope} resolves table names and the proxy's own table. */
    static SampleFetch of(CounterFetch name, String fn, List<String> args, RuleScope scope) {
        int counter = name.form() == CounterFetch.Form.SC ? Integer.parseInt(args.get(0).strip()) : name.slot();
        int at = name.tableArgument();
        StickTable table = null;
        if (args.size() > at) {
            table = scope.table(args.get(at).strip());
            if (table == null) throw new IllegalArgumentException(fn + ": no stick-table named '" + args.get(at).strip() + "'");
        } else if (name.form() == CounterFetch.Form.SRC) {
            table = scope.ownTable();
            if (table == null) throw new IllegalArgumentException(fn + ": this proxy has no stick-table; name one");
        }
        return new StickCounterFetch(name, counter, table);
    }

    /** table_cnt([TABLE]): the number of entries of the table. */
    static SampleFetch tableCount(List<String> args, RuleScope scope) {
        StickTable t = args.isEmpty() ? scope.ownTable() : scope.table(args.get(0).strip());
        if (t == null) throw new IllegalArgumentException("table_cnt: no stick-table" + (args.isEmpty() ? " in this proxy"
                : " named '" + args.get(0).strip() + "'"));
        return new Int(x -> t.used());
    }

    @Override
    boolean any(ExchangeFacts x, PatternMatcher m) {
        if (name.what().equals("tracked")) return m.matchBool(tracked(x) != null);
        long v = value(x);
        return v != NONE && m.matchLong(v);
    }

    @Override
    void append(ExchangeFacts x, StringBuilder out) {
        if (name.what().equals("tracked")) {
            out.append(tracked(x) != null ? '1' : '0');
            return;
        }
        long v = value(x);
        if (v != NONE) out.append(v);
    }

    private StickTable.Entry tracked(ExchangeFacts x) {
        return x.tracked == null ? null : x.tracked.entry(counter);
    }

    private long value(ExchangeFacts x) {
        StickTable t;
        StickTable.Entry e;
        boolean creates = name.what().startsWith("inc_") || name.what().startsWith("clr_");
        if (name.form() == CounterFetch.Form.SRC) {
            t = table;
            String key = x.sourceKey();
            e = creates ? t.getOrCreate(key) : t.lookup(key);
        } else {
            StickTable.Entry own = tracked(x);
            if (own == null) return NONE;
            t = table != null ? table : x.tracked.table(counter);
            e = table != null ? table.lookup(own.key) : own;
        }
        if (type == null) return e == null ? 0 : t.trackers(e);       // trackers
        if (!t.stores(type)) return NONE;
        if (e == null) return 0;
        switch (name.what()) {
            case "inc_gpc0" -> t.count(e, StickDataType.GPC0, StickDataType.GPC0_RATE, 1);
            case "inc_gpc1" -> t.count(e, StickDataType.GPC1, StickDataType.GPC1_RATE, 1);
            case "clr_gpc0", "clr_gpc1" -> {
                long before = t.read(e, type);
                t.set(e, type, 0);
                return before;
            }
            default -> { }
        }
        long v = t.read(e, type);
        return name.what().startsWith("kbytes_") ? v >> 10 : v;
    }
}
