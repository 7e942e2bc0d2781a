package io.tidegate.engine;

import io.tidegate.config.AclDef;
import io.tidegate.config.Condition;
import java.util.List;
import java.util.function.Function;

/**
 * An {@code if}/{@code unless} condition compiled at load time: alternatives (OR) of terms (AND),
 * each term one or more ACLs of one name (OR), possibly negated. Evaluation stops at the first
 * alternative that holds and allocates nothing.
 */
final class RuleCondition {
    private final boolean unless;
    private final Term[][] alternatives;

    private RuleCondition(boolean unless, Term[][] alternatives) {
        this.unless = unless;
        this.alternatives = alternatives;
    }

    /** null stays null: a rule without condition always applies. */
    static RuleCondition compile(Condition c, Function<String, RuntimeBackend> backends, RuntimeBackend own) {
        return compile(c, backends, own, n -> null);
    }

    /** As above; {@code userlists} resolves the lists of http_auth and http_auth_group. */
    static RuleCondition compile(Condition c, Function<String, RuntimeBackend> backends, RuntimeBackend own,
                                 RuleScope userlists) {
        if (c == null) return null;
        Term[][] alts = new Term[c.alternatives().size()][];
        for (int i = 0; i < alts.length; i++) {
            List<Condition.Term> terms = c.alternatives().get(i);
            alts[i] = new Term[terms.size()];
            for (int j = 0; j < terms.size(); j++) {
                Condition.Term t = terms.get(j);
                Acl[] acls = new Acl[t.acls().size()];
                for (int k = 0; k < acls.length; k++) acls[k] = Acl.compile(t.acls().get(k), backends, own, userlists);
                alts[i][j] = new Term(t.negated(), acls);
            }
        }
        return new RuleCondition(c.unless(), alts);
    }

    /** Whether the rule applies: {@code if} and the expression holds, or {@code unless} and it does not. */
    static boolean applies(RuleCondition c, ExchangeFacts x) {
        return c == null || c.holds(x) != c.unless;
    }

    /** Results of {@link #test}, encoded as HAProxy's ACL_TEST_*: AND is {@code &}, OR is {@code |}. */
    static final int FAIL = 0, MISS = 1, PASS = 3;

    /**
     * The three-valued evaluation of content inspection: PASS when the rule applies, FAIL when it
     * does not, MISS when the answer depends on request contents that have not all arrived yet
     * (a fetch set {@link ExchangeFacts#mayChange}). With final contents no fetch says so, so MISS
     * never comes out.
     */
    static int test(RuleCondition c, ExchangeFacts x) {
        if (c == null) return PASS;
        int r = c.test(x);
        if (r == MISS) return MISS;
        return (r == PASS) != c.unless ? PASS : FAIL;
    }

    private int test(ExchangeFacts x) {
        int any = FAIL;
        for (Term[] all : alternatives) {
            int every = PASS;
            for (Term t : all) {
                int r = t.test(x);
                if (t.negated && r != MISS) r = PASS - r;
                every &= r;
                if (every == FAIL) break;
            }
            any |= every;
            if (any == PASS) break;
        }
        return any;
    }

    private boolean holds(ExchangeFacts x) {
        for (Term[] all : alternatives) {
            boolean ok = true;
            for (Term t : all) {
                if (t.matches(x) == t.negated) {
                    ok = false;
                    break;
                }
            }
            if (ok) return true;
        }
        return false;
    }

    /** A term: the ACLs of one name, OR-ed. */
    private record Term(boolean negated, Acl[] acls) {
        boolean matches(ExchangeFacts x) {
            for (Acl a : acls) if (a.matches(x)) return true;
            return false;
        }

        int test(ExchangeFacts x) {
            int r = FAIL;
            for (Acl a : acls) {
                x.mayChange = false;
                if (a.matches(x)) return PASS;
                if (x.mayChange) r = MISS;
            }
            return r;
        }
    }

    /** One ACL line: a fetch and its compiled patterns. */
    record Acl(SampleFetch fetch, PatternMatcher patterns) {
        static Acl compile(AclDef d, Function<String, RuntimeBackend> backends, RuntimeBackend own,
                           RuleScope userlists) {
            PatternMatcher m = PatternMatcher.of(d.method(), d.ignoreCase(), d.patterns());
            SampleFetch fetch = SampleFetch.of(d.fetch(), d.fetchArgs(), backends, own, userlists);
            boolean caseOnly = d.converters().stream().allMatch(c -> c.equals("lower") || c.equals("upper"));
            if (!caseOnly) {
                // a value is built (allocating) only for chains other than lower/upper, which map in place
                return new Acl(new SampleFetch.Converted(fetch, ConverterChain.compile(d.converters())), m);
            }
            for (int i = d.converters().size() - 1; i >= 0; i--) {
                m = new PatternMatcher.CaseMapped(m, d.converters().get(i).equals("lower"));
            }
            return new Acl(fetch, m);
        }

        boolean matches(ExchangeFacts x) {
            return fetch.any(x, patterns);
        }
    }
}
