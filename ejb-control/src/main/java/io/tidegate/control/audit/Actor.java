package io.tidegate.control.audit;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who asks for a change: the signed-in user of the admin app with the roles the container
 * granted, or a JMX caller ({@code "JMX: user"}, who passed WildFly's management authentication and
 * may do everything, as in JConsole).
 *
 * @param name  as the audit log shows it
 * @param roles the Tidegate roles the caller holds
 */
public record Actor(String name, Set<Role> roles) {

    public Actor {
        Objects.requireNonNull(name, "name");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** A signed-in user of the admin app. */
    public static Actor user(String name, Set<Role> roles) {
        return new Actor(name, roles);
    }

    /** A JMX caller authenticated by WildFly's management interface. */
    public static Actor jmx(String user) {
        return new Actor("JMX: " + (user == null || user.isBlank() ? "unknown" : user), EnumSet.allOf(Role.class));
    }

    /** True when one of the caller's roles includes {@code needed}. */
    public boolean may(Role needed) {
        return roles.stream().anyMatch(r -> r.includes(needed));
    }

    /** The strongest role held, or null. */
    public Role strongestRole() {
        return roles.stream().max(Enum::compareTo).orElse(null);
    }
}
