package io.tidegate.control.jmx;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

import io.tidegate.engine.ServerStateChange;

/**
 * Sends a Server MBean's notifications: an {@link AttributeChangeNotification} for every change of
 * its Health, State, Weight or HealthChecksEnabled, delivered on the given executor so the thread
 * that changed the state (possibly an IO thread) never waits for JMX clients.
 */
final class ServerChangeEmitter extends NotificationBroadcasterSupport {

    static final MBeanNotificationInfo INFO = new MBeanNotificationInfo(
            new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE}, AttributeChangeNotification.class.getName(),
            "The server's Health (UP/DOWN), State (READY/DRAIN/MAINT), Weight or HealthChecksEnabled changed");

    private final ObjectName source;
    private final AtomicLong sequence = new AtomicLong();

    ServerChangeEmitter(ObjectName source, Executor executor) {
        super(executor, INFO);
        this.source = source;
    }

    void send(ServerStateChange change) {
        String attribute;
        String type;
        Object before;
        Object after;
        switch (change.aspect()) {
            case WEIGHT -> {
                attribute = "Weight";
                type = "int";
                before = Integer.valueOf(change.previous());
                after = Integer.valueOf(change.current());
            }
            case HEALTH_CHECKS -> {
                attribute = "HealthChecksEnabled";
                type = "boolean";
                before = "enabled".equals(change.previous());
                after = "enabled".equals(change.current());
            }
            case ADMIN_STATE -> {
                attribute = "State";
                type = String.class.getName();
                before = change.previous();
                after = change.current();
            }
            default -> {
                attribute = "Health";
                type = String.class.getName();
                before = change.previous();
                after = change.current();
            }
        }
        String message = change.backend() + "/" + change.server() + " " + attribute + " " + change.previous()
                + " -> " + change.current();
        sendNotification(new AttributeChangeNotification(source, sequence.incrementAndGet(), System.currentTimeMillis(),
                message, attribute, type, before, after));
    }
}
