package io.tidegate.health;

import io.tidegate.config.Bind;
import io.tidegate.config.Config;
import io.tidegate.config.ProxySection;
import io.tidegate.config.ProxySettings;
import io.tidegate.config.Server;
import io.tidegate.config.ServerOptions;
import java.util.ArrayList;
import java.util.List;

/** The health checks a configuration asks for: one per server with {@code check}, in file order. */
public final class ServerChecks {

    /**
     * The configuration features (names as {@code io.tidegate.config.SupportedFeatures} writes them) that
     * this package implements; add them to the supported set once the engine applies check results.
     */
    public static final List<String> FEATURES = List.of("option httpchk", "option ssl-hello-chk",
            "option redis-check", "option pgsql-check", "option mysql-check", "option smtpchk", "option ldap-check",
            "option tcp-check", "tcp-check connect", "tcp-check comment", "tcp-check send", "tcp-check send-lf",
            "tcp-check send-binary", "tcp-check expect",
            "http-check expect", "timeout check", "server check", "server inter", "server fastinter",
            "server downinter", "server rise", "server fall", "server port", "server addr");

    private ServerChecks() {
    }

    /**
     * Every checked server of every {@code listen} and {@code backend} section, with its effective
     * options and settings ({@code default-server} and {@code defaults} applied).
     *
     * @throws IllegalArgumentException naming the server when a checked server has no port to check
     */
    public static List<ServerCheck> of(Config config) {
        List<ServerCheck> checks = new ArrayList<>();
        for (ProxySection p : config.backends()) {
            ProxySettings settings = config.effective(p);
            int listenerPort = p.binds().stream().mapToInt(Bind::port).filter(port -> port > 0).findFirst().orElse(0);
            for (Server s : p.servers()) {
                ServerOptions options = config.effectiveServer(p, s);
                if (options.isChecked()) {
                    checks.add(ServerCheck.of(p.name(), s, options, settings, listenerPort));
                }
            }
        }
        return List.copyOf(checks);
    }
}
