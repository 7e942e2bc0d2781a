package io.tidegate.control.jmx;

/**
 * {@code tidegate:type=Tidegate}: the whole Tidegate instance, as JConsole shows it.
 */
@Description("Tidegate, the HAProxy-class load balancer running in this WildFly")
public interface TidegateMXBean {

    @Description("Absolute path of the HAProxy-syntax configuration file this instance serves")
    String getConfigPath();

    @Description("Tidegate version")
    String getVersion();

    @Description("Seconds since the Tidegate deployment started")
    long getUptimeSeconds();

    @Description("Why Tidegate does not serve traffic (invalid configuration, bind failure); empty when it serves")
    String getProblem();

    @Description("Re-read the configuration file and apply it; an invalid file is rejected and the running configuration stays. Returns 'reloaded' or the errors")
    String reload();

    @Description("Validate a configuration text without applying it. Returns 'Configuration file is valid' or the problems as file:line:column: message")
    String checkConfig(@Description("the configuration, HAProxy syntax") String text);
}
