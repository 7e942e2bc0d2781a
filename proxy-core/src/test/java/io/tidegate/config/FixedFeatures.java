package io.tidegate.config;

import java.util.Set;

/**
 * A frozen feature set for tests of the validator's reporting, so that their expected "not
 * supported yet" lists do not change each time the engine implements something
 * ({@link SupportedFeatures#CURRENT} grows with the product; this does not).
 */
final class FixedFeatures {

    /** What the first engine implemented (the Foundation issue's list). */
    static final SupportedFeatures FOUNDATION = new SupportedFeatures(Set.of(
            "global daemon", "global quiet", "global pidfile", "global maxconn", "global nbthread", "global log",
            "defaults", "listen", "frontend", "backend",
            "bind",
            "mode http",
            "balance roundrobin",
            "server", "server weight", "server cookie", "server backup", "server maxconn",
            "dispatch",
            "default_backend", "use_backend",
            "timeout connect", "timeout client", "timeout server", "timeout http-request",
            "timeout http-keep-alive", "timeout queue",
            "retries",
            "option httpclose", "option http-server-close", "option http-keep-alive",
            "option forwardfor",
            "option httplog",
            "option dontlognull",
            "cookie insert", "cookie prefix", "cookie indirect", "cookie nocache",
            "option redispatch"));

    private FixedFeatures() {
    }
}
