package io.tidegate.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The on/off options of a section that carry no setting of their own, as written:
 * {@code option NAME} (on) or {@code no option NAME} (off), and {@code http-check disable-on-404}.
 * A name not written here is taken from the defaults section ({@link #over}); a name written nowhere
 * is off, as in HAProxy.
 *
 * @param written the written options by name (e.g. {@code tcpka}, {@code log-health-checks}); true = on
 */
public record OptionFlags(Map<String, Boolean> written) {

    /** {@code option tcpka}: TCP keep-alive probes on both sides. */
    public static final String TCPKA = "tcpka";
    /** {@code option clitcpka}: TCP keep-alive probes on client connections. */
    public static final String CLITCPKA = "clitcpka";
    /** {@code option srvtcpka}: TCP keep-alive probes on server connections. */
    public static final String SRVTCPKA = "srvtcpka";
    /** {@code option log-health-checks}: log every change of a server's check status, not only up/down. */
    public static final String LOG_HEALTH_CHECKS = "log-health-checks";
    /** {@code http-check disable-on-404}: a running server answering 404 to its check takes no new load. */
    public static final String DISABLE_ON_404 = "http-check disable-on-404";

    public static final OptionFlags NONE = new OptionFlags(Map.of());

    public OptionFlags {
        written = Map.copyOf(written);
    }

    /** This section's options, then those of {@code base} for names not written here. */
    public OptionFlags over(OptionFlags base) {
        if (base.written.isEmpty()) return this;
        if (written.isEmpty()) return base;
        Map<String, Boolean> m = new TreeMap<>(base.written);
        m.putAll(written);
        return new OptionFlags(m);
    }

    /** A copy with {@code name} written as {@code on}. */
    public OptionFlags with(String name, boolean on) {
        Map<String, Boolean> m = new TreeMap<>(written);
        m.put(name, on);
        return new OptionFlags(m);
    }

    public boolean isOn(String name) {
        return Boolean.TRUE.equals(written.get(name));
    }

    /** Keep-alive probes on client sockets: {@code option clitcpka} or {@code option tcpka}. */
    public boolean clientTcpKeepAlive() {
        return isOn(CLITCPKA) || isOn(TCPKA);
    }

    /** Keep-alive probes on server sockets: {@code option srvtcpka} or {@code option tcpka}. */
    public boolean serverTcpKeepAlive() {
        return isOn(SRVTCPKA) || isOn(TCPKA);
    }
}
