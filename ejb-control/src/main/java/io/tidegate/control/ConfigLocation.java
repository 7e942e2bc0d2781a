package io.tidegate.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.jboss.logging.Logger;

/**
 * Where Tidegate's configuration file lives: the system property {@code tidegate.config} if set,
 * else {@code ${jboss.server.config.dir}/tidegate/tidegate.cfg}. A missing file gets the documented
 * default written (the demo configuration).
 */
public final class ConfigLocation {

    public static final String CONFIG_PROPERTY = "tidegate.config";
    static final String DEFAULT_RESOURCE = "/io/tidegate/control/default-tidegate.cfg";
    private static final Logger LOG = Logger.getLogger(ConfigLocation.class);

    private ConfigLocation() {
    }

    /** The configuration path this server uses. */
    public static Path resolve() {
        String explicit = System.getProperty(CONFIG_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        String configDir = System.getProperty("jboss.server.config.dir", ".");
        return Path.of(configDir, "tidegate", "tidegate.cfg").toAbsolutePath();
    }

    /** Writes the default configuration to {@code path} if nothing is there yet; true if it wrote. */
    public static boolean writeDefaultIfMissing(Path path) {
        if (Files.exists(path)) {
            return false;
        }
        try (InputStream in = ConfigLocation.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            Files.createDirectories(path.getParent());
            Path tmp = Files.createTempFile(path.getParent(), "tidegate", ".cfg.tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("No configuration at %s: wrote the default (demo) configuration there", path);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default configuration to " + path, e);
        }
    }
}
