package io.tidegate.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** What the build tells the tests about the provisioned server and the built EAR. */
final class ItEnvironment {

    private ItEnvironment() {
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven failsafe)");
        }
        return value;
    }

    /** The EAR exactly as the build produced it. */
    static EnterpriseArchive tidegateEar() {
        File ear = new File(property("tidegate.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException("EAR not built: " + ear);
        }
        return ShrinkWrap.create(ZipImporter.class, "tidegate.ear").importFrom(ear).as(EnterpriseArchive.class);
    }

    /** Writes the configuration the server reads at deployment (-Dtidegate.config). */
    static Path writeConfig(String text) {
        Path path = Path.of(property("tidegate.it.config"));
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, text);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** WildFly's own HTTP port (admin app), chosen free by the build. */
    static int wildflyHttpPort() {
        return Integer.parseInt(property("tidegate.it.http.port"));
    }

    static int managementPort() {
        return Integer.parseInt(property("tidegate.it.management.port"));
    }

    /** A JMX connection to the test server exactly as JConsole makes it (remote+http, management user). */
    static javax.management.remote.JMXConnector jmx() throws IOException {
        return jmx(managementPort());
    }

    /** The same, to the WildFly whose management interface listens on {@code port}. */
    static javax.management.remote.JMXConnector jmx(int port) throws IOException {
        javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
                "service:jmx:remote+http://127.0.0.1:" + port);
        return javax.management.remote.JMXConnectorFactory.connect(url, java.util.Map.of(
                javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"tgmgmt", "tidegate"}));
    }

    /** A port free on 127.0.0.1 right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
