package io.tidegate.control.jmx;

/**
 * {@code tidegate:type=Tidegate}: the whole Tidegate instance, as JConsole shows it.
 */
public interface TidegateMXBean {

    /** Absolute path of the configuration file this instance serves. */
    String getConfigPath();

    /** Tidegate version. */
    String getVersion();

    /** Seconds since the deployment started. */
    long getUptimeSeconds();

    /** Why Tidegate does not serve traffic (bad configuration, bind failure), or an empty string. */
    String getProblem();

    /**
     * Re-reads the configuration file and applies it; an invalid file is rejected and the running
     * configuration stays.
     *
     * @return "reloaded" or the errors, one per line
     */
    String reload();

    /**
     * Validates a configuration text without applying it.
     *
     * @return "Configuration file is valid" or the problems, one per line (file:line:column: message)
     */
    String checkConfig(String text);
}
