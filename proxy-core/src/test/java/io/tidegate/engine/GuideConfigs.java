package io.tidegate.engine;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Starts engines from the guide's configurations, written as the guide writes them with loopback
 * ports in place of its addresses. Health-check keywords load (checks are driven from ejb-control,
 * not by the engine); these tests stand in for check results with {@link Engine#setServerUp}.
 */
final class GuideConfigs {
    static final SupportedFeatures FEATURES = SupportedFeatures.CURRENT.with("option httpchk", "server check",
            "server port", "server inter", "server rise", "server fall", "grace", "mode tcp");

    private GuideConfigs() {
    }

    /** One IO thread per engine: the chained tests start several. */
    static Engine start(String text) throws Exception {
        String withGlobal = "global\n    nbthread 1\n" + text;
        return Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("guide.cfg", withGlobal)), FEATURES)
                .config());
    }

    /** A free port on 127.0.0.1 (bound to 0, read back, released) for a configuration to name. */
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
