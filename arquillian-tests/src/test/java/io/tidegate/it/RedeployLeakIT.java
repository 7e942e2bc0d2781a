package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Repeated deploy/undeploy leaves nothing behind that grows: no Tidegate thread, no Tidegate MBean,
 * and the number of class loaders of undeployed EARs does not rise with the number of redeploys
 * (the JVM's own VM.classloaders diagnostic, read over JMX as an operator would).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployLeakIT {

    private static final String DEPLOYMENT = "tidegate-leak";
    /** The name WildFly gives the EAR's top-level class loader. */
    private static final String EAR_LOADER = "\"deployment.tidegate.ear\"";

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private int proxyPort;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() {
        if (backends != null) {
            backends.close();
        }
    }

    @Test
    void redeployingLeavesNoThreadsNoMBeansAndNoGrowingClassLoaders() throws Exception {
        backends = new NamedBackends("one");
        proxyPort = ItEnvironment.freePort();
        ItEnvironment.writeConfig("""
                listen leak
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    server one 127.0.0.1:%d check inter 200
                """.formatted(proxyPort, backends.port("one")));
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            cycles(3);
            long afterThree = earClassLoaders(jmx);
            cycles(5);
            long afterEight = earClassLoaders(jmx);
            System.out.printf("Tidegate EAR class loaders alive after 3 redeploys: %d, after 8: %d%n",
                    afterThree, afterEight);

            assertTrue(afterEight <= afterThree,
                    "class loaders of undeployed EARs must not pile up: " + afterThree
                            + " alive after 3 redeploys, " + afterEight + " after 8");
            Set<ObjectName> left = jmx.queryNames(new ObjectName("tidegate:*"), null);
            assertEquals(Set.of(), left, "no Tidegate MBean after undeploy");
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(jmx,
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            List<String> tidegateThreads = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                    .filter(t -> t != null && t.getThreadName().startsWith("tidegate"))
                    .map(ThreadInfo::getThreadName).toList();
            assertEquals(List.of(), tidegateThreads, "no Tidegate thread after undeploy");
        }
    }

    /** Deploys, sends a request through the proxy (so the engine's classes are in use), undeploys. */
    private void cycles(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            deployer.deploy(DEPLOYMENT);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + proxyPort + "/"))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            deployer.undeploy(DEPLOYMENT);
        }
    }

    /** Class loaders named after the Tidegate EAR still alive in the server after full GCs. */
    private static long earClassLoaders(MBeanServerConnection jmx) throws Exception {
        ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
        for (int i = 0; i < 3; i++) {   // a class histogram forces a full GC
            jmx.invoke(diagnostics, "gcClassHistogram", new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
        }
        String loaders = (String) jmx.invoke(diagnostics, "vmClassloaders", new Object[] {new String[0]},
                new String[] {String[].class.getName()});
        return loaders.lines().filter(l -> l.contains(EAR_LOADER)).count();
    }
}
