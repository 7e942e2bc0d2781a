package io.tidegate.control.audit;

/** A change refused because the caller lacks the role it needs (the refusal is audited). */
public class AccessRefused extends SecurityException {

    private static final long serialVersionUID = 1L;

    public AccessRefused(Actor actor, Role needed, String action) {
        super(actor.name() + " may not " + action + ": it needs the role " + needed.roleName());
    }
}
