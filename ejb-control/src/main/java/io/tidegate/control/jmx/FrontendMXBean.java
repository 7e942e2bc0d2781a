package io.tidegate.control.jmx;

/** {@code tidegate:type=Frontend,name=F}: a frontend (or the frontend half of a listen section). */
@Description("A Tidegate frontend: its listening addresses and client traffic")
public interface FrontendMXBean {

    @Description("Frontend name")
    String getName();

    @Description("Addresses it listens on (host:port)")
    String[] getBinds();

    @Description("Proxy mode: http or tcp")
    String getMode();

    @Description("Client connections open now")
    long getCurrentSessions();

    @Description("Client connections accepted since the configuration was loaded")
    long getTotalSessions();

    @Description("Client connections accepted during the last complete second")
    long getSessionRate();

    @Description("Bytes received from clients")
    long getBytesIn();

    @Description("Bytes sent to clients")
    long getBytesOut();

    @Description("Requests rejected as malformed (answered 4xx without reaching a server)")
    long getRequestErrors();
}
