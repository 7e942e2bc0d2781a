package io.tidegate.control.jmx;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.tidegate.control.ServerManagement;
import io.tidegate.control.TidegateRuntime;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import org.jboss.logging.Logger;

/**
 * Registers Tidegate's MBeans in the platform MBeanServer (which WildFly exposes to JConsole over
 * its management interface) and removes them at undeploy so nothing outlives the deployment.
 */
@Singleton
@Startup
@DependsOn("TidegateRuntime")
public class JmxRegistration {

    public static final String TIDEGATE_NAME = "tidegate:type=Tidegate";
    private static final Logger LOG = Logger.getLogger(JmxRegistration.class);

    @EJB
    private TidegateRuntime runtime;

    @jakarta.inject.Inject
    private ServerManagement management;

    private ObjectName tidegateName;

    @PostConstruct
    void register() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            tidegateName = new ObjectName(TIDEGATE_NAME);
            if (server.isRegistered(tidegateName)) {
                server.unregisterMBean(tidegateName);
            }
            server.registerMBean(new DescribedMXBean<>(new TidegateControl(runtime, management), TidegateMXBean.class), tidegateName);
        } catch (JMException e) {
            LOG.errorf(e, "Cannot register MBean %s", TIDEGATE_NAME);
        }
    }

    @PreDestroy
    void unregister() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (tidegateName != null && server.isRegistered(tidegateName)) {
                server.unregisterMBean(tidegateName);
            }
        } catch (JMException e) {
            LOG.warnf(e, "Cannot unregister MBean %s", TIDEGATE_NAME);
        }
    }
}
