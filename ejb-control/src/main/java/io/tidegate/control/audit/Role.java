package io.tidegate.control.audit;

/**
 * The admin roles, each including the ones before it: a viewer reads; an operator also sets
 * weights, server states and health checks (HAProxy's {@code operator} level); an admin also edits
 * persistence and the configuration.
 */
public enum Role {
    VIEWER("tidegate-viewer"), OPERATOR("tidegate-operator"), ADMIN("tidegate-admin");

    private final String roleName;

    Role(String roleName) {
        this.roleName = roleName;
    }

    /** The application role name users are given ({@code add-user.sh -g tidegate-operator}). */
    public String roleName() {
        return roleName;
    }

    /** True when this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }
}
