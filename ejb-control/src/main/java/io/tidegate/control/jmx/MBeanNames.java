package io.tidegate.control.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** The ObjectNames of Tidegate's MBeans; proxy names JMX cannot take as they are (a listen section named 127.0.0.1:80) are quoted. */
public final class MBeanNames {

    public static final String DOMAIN = "tidegate";

    private MBeanNames() {
    }

    /** {@code tidegate:type=Frontend,name=F} */
    public static ObjectName frontend(String name) {
        return of("type=Frontend,name=" + value(name));
    }

    /** {@code tidegate:type=Backend,name=B} */
    public static ObjectName backend(String name) {
        return of("type=Backend,name=" + value(name));
    }

    /** {@code tidegate:type=Server,backend=B,name=S} */
    public static ObjectName server(String backend, String name) {
        return of("type=Server,backend=" + value(backend) + ",name=" + value(name));
    }

    /** Every Tidegate MBean: {@code tidegate:*}. */
    public static ObjectName all() {
        return of("*");
    }

    private static String value(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (",=:\"*?\\\n".indexOf(v.charAt(i)) >= 0) return ObjectName.quote(v);
        }
        return v;
    }

    private static ObjectName of(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid MBean name: " + properties, e);
        }
    }
}
