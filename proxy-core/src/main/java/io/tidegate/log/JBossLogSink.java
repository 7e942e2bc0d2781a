package io.tidegate.log;

import org.jboss.logging.Logger;

/**
 * Lines of a proxy without any {@code log} line: logged at INFO to the JBoss Logging category
 * {@value #CATEGORY}, so WildFly's logging subsystem (handlers, rotation, JSON formatters, its own
 * syslog-handler) decides where they go. Nothing is formatted when the category is not enabled.
 */
public final class JBossLogSink implements LogSink {
    public static final String CATEGORY = "io.tidegate.access";
    public static final JBossLogSink INSTANCE = new JBossLogSink();
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private JBossLogSink() {
    }

    /** Whether a line would be written at all (checked before formatting it). */
    public boolean enabled() {
        return LOG.isInfoEnabled();
    }

    @Override
    public void write(LineBytes line, int level) {
        LOG.info(line.text());
    }

    @Override
    public String toString() {
        return "WildFly logging category " + CATEGORY;
    }
}
