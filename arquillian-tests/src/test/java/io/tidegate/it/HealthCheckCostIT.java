package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

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
 * Measures what health checks cost the deployed EAR: the server process's CPU time (platform
 * OperatingSystemMXBean over WildFly's JMX, as JConsole reads it) while 200 servers are configured
 * without checks, then while the same 200 servers are checked every 100 ms (TCP connect, or
 * {@code option httpchk}) against one local listener. The difference per server and second is written
 * to the build output and to {@code target/health-check-cost-KIND.txt}; it is a measurement, not
 * asserted. The test only asserts that the checks really ran at about their rate.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthCheckCostIT {

    private static final String DEPLOYMENT = "tidegate-cost";
    private static final int SERVERS = 200;
    private static final int INTER_MS = 100;
    private static final long MEASURE_MS = 20_000;
    private static final long SETTLE_MS = 3_000;

    @ArquillianResource
    private Deployer deployer;

    private boolean deployed;
    private ServerSocket listener;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (deployed) {
            deployer.undeploy(DEPLOYMENT);
        }
        if (listener != null) {
            listener.close();
        }
    }

    private static String config(int proxyPort, int serverPort, String proxyOptions, String checkOptions) {
        StringBuilder b = new StringBuilder("listen many 127.0.0.1:" + proxyPort + "\n    mode http\n    balance roundrobin\n")
                .append(proxyOptions);
        for (int i = 0; i < SERVERS; i++) {
            b.append("    server s").append(i).append(" 127.0.0.1:").append(serverPort).append(' ').append(checkOptions)
                    .append('\n');
        }
        return b.toString();
    }

    @Test
    void cpuCostOfTcpChecksPerServerAndSecond() throws Exception {
        measure("tcp", "", false);
    }

    @Test
    void cpuCostOfHttpChecksPerServerAndSecond() throws Exception {
        measure("http", "    option httpchk HEAD /running HTTP/1.0\n", true);
    }

    /**
     * One local listener takes every check: it accepts and closes (TCP), or reads the request head and
     * answers {@code HTTP/1.0 200 OK} (HTTP).
     */
    private void measure(String kind, String proxyOptions, boolean answerHttp) throws Exception {
        listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        AtomicLong answered = new AtomicLong();
        Thread acceptor = new Thread(() -> {
            byte[] buffer = new byte[1024];
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    if (answerHttp) {
                        s.setSoTimeout(2000);
                        InputStream in = s.getInputStream();
                        String head = "";
                        for (int i = 0; i < 16 && !head.contains("\r\n\r\n"); i++) {
                            int n = in.read(buffer);
                            if (n < 0) {
                                break;
                            }
                            head += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                        }
                        s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    answered.incrementAndGet();
                } catch (IOException e) {
                    if (listener.isClosed()) {
                        return;
                    }
                }
            }
        }, "check-target");
        acceptor.setDaemon(true);
        acceptor.start();
        int proxyPort = ItEnvironment.freePort();

        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName os = new ObjectName("java.lang:type=OperatingSystem");

            ItEnvironment.writeConfig(config(proxyPort, listener.getLocalPort(), proxyOptions, ""));
            deployer.deploy(DEPLOYMENT);
            deployed = true;
            Thread.sleep(SETTLE_MS);
            long idleCpu = cpuNanosOver(jmx, os, MEASURE_MS);
            deployer.undeploy(DEPLOYMENT);
            deployed = false;

            ItEnvironment.writeConfig(config(proxyPort, listener.getLocalPort(), proxyOptions, "check inter " + INTER_MS));
            deployer.deploy(DEPLOYMENT);
            deployed = true;
            Thread.sleep(SETTLE_MS);
            long checksBefore = answered.get();
            long checkedCpu = cpuNanosOver(jmx, os, MEASURE_MS);
            long checks = answered.get() - checksBefore;

            double seconds = MEASURE_MS / 1000.0;
            double expectedChecks = SERVERS * seconds * 1000 / INTER_MS;
            double perServerSecondUs = (checkedCpu - idleCpu) / 1000.0 / SERVERS / seconds;
            double perCheckUs = (checkedCpu - idleCpu) / 1000.0 / Math.max(1, checks);
            String report = String.format(Locale.ROOT,
                    "health-check cost: %d servers, %s check every %d ms, %.0f s%n"
                            + "  process CPU without checks: %.3f s, with checks: %.3f s%n"
                            + "  checks done: %d (expected %.0f)%n"
                            + "  extra CPU: %.1f us per server per second, %.1f us per check, %.1f%% of one core%n",
                    SERVERS, kind, INTER_MS, seconds, idleCpu / 1e9, checkedCpu / 1e9, checks, expectedChecks,
                    perServerSecondUs, perCheckUs, (checkedCpu - idleCpu) / 1e7 / seconds);
            System.out.print(report);
            Files.writeString(Path.of("target", "health-check-cost-" + kind + ".txt"), report);

            assertTrue(checks > expectedChecks * 0.5, "checks ran at about their rate: " + checks);
        }
    }

    private static long cpuNanosOver(MBeanServerConnection jmx, ObjectName os, long ms) throws Exception {
        long before = (Long) jmx.getAttribute(os, "ProcessCpuTime");
        Thread.sleep(ms);
        return (Long) jmx.getAttribute(os, "ProcessCpuTime") - before;
    }
}
