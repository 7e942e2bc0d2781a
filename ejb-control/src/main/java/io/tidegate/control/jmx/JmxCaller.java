package io.tidegate.control.jmx;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

import io.tidegate.control.audit.Actor;
import org.wildfly.security.auth.server.SecurityDomain;
import org.wildfly.security.auth.server.SecurityIdentity;

/**
 * The {@link Actor} of an MBean call: {@code "JMX: user"} with the management user WildFly
 * authenticated (its Elytron identity, or the JAAS subject of the call), {@code "JMX: unknown"}
 * outside WildFly (unit tests, a local MBeanServer).
 */
final class JmxCaller {

    private JmxCaller() {
    }

    static Actor current() {
        return Actor.jmx(userName());
    }

    @SuppressWarnings("removal")
    private static String userName() {
        try {
            SecurityDomain domain = SecurityDomain.getCurrent();
            if (domain != null) {
                SecurityIdentity identity = domain.getCurrentSecurityIdentity();
                String name = identity.getPrincipal().getName();
                if (!"anonymous".equals(name)) {
                    return name;
                }
            }
        } catch (LinkageError | RuntimeException ignored) {
            // not in WildFly, or no domain on this thread
        }
        try {
            Subject subject = Subject.getSubject(AccessController.getContext());
            if (subject != null) {
                for (Principal p : subject.getPrincipals()) {
                    return p.getName();
                }
            }
        } catch (RuntimeException ignored) {
            // no subject
        }
        return null;
    }
}
