package io.tidegate.control.jmx;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

import io.tidegate.control.audit.Actor;
import org.wildfly.security.auth.server.SecurityDomain;
import org.wildfly.security.auth.server.SecurityIdentity;

/**
 * The {@link Actor} of an MBean call: {@code "JMX: user"} with the management user WildFly
 * authenticated (from WildFly's AccessAuditContext of the management call, else the thread's
 * Elytron identity or JAAS subject), {@code "JMX: unknown"} outside WildFly (unit tests, a local
 * MBeanServer).
 */
final class JmxCaller {

    private JmxCaller() {
    }

    static Actor current() {
        return Actor.jmx(userName());
    }

    @SuppressWarnings("removal")
    private static String userName() {
        String fromAudit = fromAccessAuditContext();
        if (fromAudit != null) {
            return fromAudit;
        }
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

    /**
     * WildFly's management layer records the authenticated identity of every management call
     * (remote JMX included) in {@code org.jboss.as.controller.AccessAuditContext}; read by
     * reflection, since that class exists only inside WildFly.
     */
    private static String fromAccessAuditContext() {
        try {
            Class<?> type = Class.forName("org.jboss.as.controller.AccessAuditContext", false, JmxCaller.class.getClassLoader());
            Object context = type.getMethod("currentAccessAuditContext").invoke(null);
            if (context == null) {
                return null;
            }
            Object identity = type.getMethod("getSecurityIdentity").invoke(context);
            if (identity instanceof SecurityIdentity id && !"anonymous".equals(id.getPrincipal().getName())) {
                return id.getPrincipal().getName();
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            org.jboss.logging.Logger.getLogger(JmxCaller.class).debugf("no AccessAuditContext: %s", e);
        }
        return null;
    }
}
