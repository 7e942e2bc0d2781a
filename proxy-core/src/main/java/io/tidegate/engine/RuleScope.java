package io.tidegate.engine;

import java.util.function.Function;

/**
 * What the rules of one proxy may name besides backends, resolved while they are compiled: the
 * userlists of {@code http_auth}, and the stick tables of {@code track-sc*} and the {@code sc_*} /
 * {@code src_*} fetches (by section name; {@link #ownTable()} when a rule names none). A lambda is a
 * scope with userlists only.
 */
@FunctionalInterface
interface RuleScope extends Function<String, UserlistAuth> {

    /** The stick table of section {@code name}, or null. */
    default StickTable table(String name) {
        return null;
    }

    /** The stick table of the proxy whose rules are compiled, or null. */
    default StickTable ownTable() {
        return null;
    }

    /** A scope of userlists and stick tables; {@code own} is the table of the proxy whose rules are compiled, or null. */
    static RuleScope of(Function<String, UserlistAuth> userlists, Function<String, StickTable> tables, StickTable own) {
        return new RuleScope() {
            @Override
            public UserlistAuth apply(String name) {
                return userlists.apply(name);
            }

            @Override
            public StickTable table(String name) {
                return tables.apply(name);
            }

            @Override
            public StickTable ownTable() {
                return own;
            }
        };
    }
}
