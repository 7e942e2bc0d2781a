package io.tidegate.control.jmx;

import java.lang.reflect.Method;
import java.util.Arrays;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/**
 * An MXBean whose descriptions come from {@link Description} annotations on its interface, so
 * JConsole shows a readable sentence for the bean, every attribute, operation and parameter
 * (plain MXBeans show only the Java names). It emits the notifications of the emitter it is given
 * (none by default).
 *
 * @param <T> the MXBean interface
 */
public class DescribedMXBean<T> extends StandardEmitterMBean {

    private final Class<T> type;

    public DescribedMXBean(T implementation, Class<T> type) {
        this(implementation, type, new NotificationBroadcasterSupport());
    }

    /** @param emitter sends this MBean's notifications and describes them ({@code getNotificationInfo}) */
    public DescribedMXBean(T implementation, Class<T> type, NotificationEmitter emitter) {
        super(implementation, type, true, emitter);
        this.type = type;
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        Description d = type.getAnnotation(Description.class);
        return d == null ? super.getDescription(info) : d.value();
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        for (String prefix : new String[] {"get", "is"}) {
            Method getter = find(prefix + info.getName(), 0);
            if (getter != null && getter.isAnnotationPresent(Description.class)) {
                return getter.getAnnotation(Description.class).value();
            }
        }
        return super.getDescription(info);
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        Method m = find(info.getName(), info.getSignature().length);
        return m != null && m.isAnnotationPresent(Description.class)
                ? m.getAnnotation(Description.class).value() : super.getDescription(info);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Method m = find(op.getName(), op.getSignature().length);
        return m != null ? m.getParameters()[sequence].getName() : super.getParameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Method m = find(op.getName(), op.getSignature().length);
        if (m != null) {
            Description d = m.getParameters()[sequence].getAnnotation(Description.class);
            if (d != null) {
                return d.value();
            }
        }
        return super.getDescription(op, param, sequence);
    }

    private Method find(String name, int parameterCount) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == parameterCount)
                .findFirst().orElse(null);
    }
}
