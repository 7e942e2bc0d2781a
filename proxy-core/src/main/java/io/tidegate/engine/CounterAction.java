package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import io.tidegate.config.StickDataType;
import java.util.List;
import java.util.function.Function;

/**
 * A stick-counter action of a tcp-request or http-request rule: {@code track-scN KEY [table T]}
 * starts tracking the entry of the request's key (the proxy's own table unless one is named),
 * {@code sc-inc-gpc0(N)} / {@code sc-inc-gpc1(N)} count one on the entry tracked as N (and its
 * rate), {@code sc-set-gpt0(N) V} sets its gpt0. An action on a counter that tracks nothing does
 * nothing, as in HAProxy.
 */
final class CounterAction {
    private enum Kind { TRACK, INC_GPC0, INC_GPC1, SET_GPT0 }

    private final Kind kind;
    private final int counter;
    private final StickTable table;
    private final SampleFetch key;
    private final boolean sourceKey;
    private final boolean perRequest;
    private final long value;

    private CounterAction(Kind kind, int counter, StickTable table, SampleFetch key, boolean sourceKey,
                          boolean perRequest, long value) {
        this.kind = kind;
        this.counter = counter;
        this.table = table;
        this.key = key;
        this.sourceKey = sourceKey;
        this.perRequest = perRequest;
        this.value = value;
    }

    /** Whether rule {@code r} is a stick-counter action. */
    static boolean isCounterAction(ProxyRule r) {
        return switch (r.action()) {
            case "track-sc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt0" -> true;
            default -> false;
        };
    }

    static CounterAction compile(ProxyRule r, Function<String, RuntimeBackend> backends, RuntimeBackend own,
                                 RuleScope scope) {
        int counter = Integer.parseInt(r.param("counter"));
        boolean perRequest = r.phase() == ProxyRule.Phase.HTTP_REQUEST;
        return switch (r.action()) {
            case "track-sc" -> {
                String t = r.param("table");
                StickTable table = t == null ? scope.ownTable() : scope.table(t);
                if (table == null) {
                    throw new IllegalArgumentException("track-sc" + counter + ": " + (t == null
                            ? "this proxy has no stick-table" : "no stick-table named '" + t + "'"));
                }
                String expr = r.param("key");
                yield new CounterAction(Kind.TRACK, counter, table, SampleFetch.expression(expr, backends, own, scope),
                        expr.equals("src"), perRequest, 0);
            }
            case "sc-inc-gpc0" -> new CounterAction(Kind.INC_GPC0, counter, null, null, false, perRequest, 0);
            case "sc-inc-gpc1" -> new CounterAction(Kind.INC_GPC1, counter, null, null, false, perRequest, 0);
            case "sc-set-gpt0" -> new CounterAction(Kind.SET_GPT0, counter, null, null, false, perRequest,
                    Long.parseLong(r.param("value")));
            default -> throw new IllegalArgumentException(r.action());
        };
    }

    void run(ExchangeFacts x) {
        TrackedCounters tracked = x.counters();
        if (kind == Kind.TRACK) {
            tracked.track(counter, table, key(x), perRequest);
            return;
        }
        StickTable.Entry e = tracked.entry(counter);
        if (e == null) return;
        StickTable t = tracked.table(counter);
        switch (kind) {
            case INC_GPC0 -> t.count(e, StickDataType.GPC0, StickDataType.GPC0_RATE, 1);
            case INC_GPC1 -> t.count(e, StickDataType.GPC1, StickDataType.GPC1_RATE, 1);
            default -> t.set(e, StickDataType.GPT0, value);
        }
    }

    /** The key of this request, or null when the fetch finds no value (nothing is tracked then). */
    private String key(ExchangeFacts x) {
        if (sourceKey) return x.sourceKey();
        StringBuilder sb = new StringBuilder(32);
        key.append(x, sb);
        return sb.length() == 0 ? null : sb.toString();
    }
}
