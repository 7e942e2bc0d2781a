package io.tidegate.control.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log.
 *
 * @param at      when
 * @param who     the actor's name ({@code tgadmin}, {@code JMX: tgmgmt})
 * @param action  what was asked ({@code set weight}, {@code save configuration}, ...)
 * @param target  what it applied to ({@code farm/webA}, a file)
 * @param before  the value before (a weight, a state, a configuration version), empty if none
 * @param after   the value after, empty if none
 * @param outcome done, refused (missing role) or failed (invalid, stale, not serving)
 * @param detail  why it was refused or failed, empty when done
 */
public record AuditEntry(Instant at, String who, String action, String target, String before, String after,
                         Outcome outcome, String detail) {

    public enum Outcome { DONE, REFUSED, FAILED }

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        who = Objects.requireNonNullElse(who, "");
        action = Objects.requireNonNullElse(action, "");
        target = Objects.requireNonNullElse(target, "");
        before = Objects.requireNonNullElse(before, "");
        after = Objects.requireNonNullElse(after, "");
        detail = Objects.requireNonNullElse(detail, "");
    }
}
