package io.tidegate.control.cli;

import java.util.HashMap;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ./tidegate reload}: asks a running Tidegate to reload its configuration through the
 * {@code tidegate:type=Tidegate} MBean, over WildFly's management interface (remote+http). Run by
 * the launcher with WildFly's remoting-jmx module on the class path (jboss-modules {@code -dep}).
 * Without {@code --user}, WildFly's local authentication is used (same OS user, same host).
 *
 * <p>Arguments: {@code [--url service:jmx:remote+http://127.0.0.1:9990] [--user U --password P]}.
 * Exit code 0 when reloaded, 1 when the configuration was rejected, 2 when unreachable.
 */
public final class ReloadCommand {

    private ReloadCommand() {
    }

    public static void main(String[] args) throws Exception {
        // the JMX client libraries announce their versions at INFO; the user wants only the answer
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        String url = "service:jmx:remote+http://127.0.0.1:9990";
        String user = null;
        String password = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                default -> {
                    System.err.println("usage: reload [--url JMX_URL] [--user U --password P]");
                    System.exit(2);
                }
            }
        }
        Map<String, Object> env = new HashMap<>();
        if (user != null) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        }
        String result;
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url), env)) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            result = (String) connection.invoke(new ObjectName("tidegate:type=Tidegate"), "reload",
                    new Object[0], new String[0]);
        } catch (java.io.IOException e) {
            System.err.println("Cannot reach Tidegate at " + url + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if ("reloaded".equals(result)) {
            System.out.println(result);
            System.exit(0);
        }
        System.err.println("Reload rejected, the running configuration stays:");
        System.err.println(result);
        System.exit(1);
    }
}
