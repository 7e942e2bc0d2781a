package io.tidegate.config;

import java.util.List;

/**
 * {@code if COND} / {@code unless COND}: alternatives separated by {@code ||} (or {@code or}), each a
 * conjunction of terms (implicit AND). A term names ACLs (several {@code acl} lines of one name are
 * OR-ed), possibly negated with {@code !}, or is an anonymous {@code { ... }} ACL.
 *
 * @param unless       {@code unless}: the rule applies when the expression is false
 * @param alternatives OR of ANDs
 */
public record Condition(boolean unless, List<List<Term>> alternatives) {

    public Condition {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    /**
     * @param negated {@code !NAME}
     * @param name    the ACL name as written, or {@code {...}} for an anonymous ACL
     * @param acls    the ACL definitions the term stands for (OR-ed), resolved when parsed
     */
    public record Term(boolean negated, String name, List<AclDef> acls) {
        public Term {
            acls = List.copyOf(acls);
        }
    }
}
