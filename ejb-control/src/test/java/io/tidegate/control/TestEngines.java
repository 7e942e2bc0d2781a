package io.tidegate.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.tidegate.config.ConfigException;
import io.tidegate.config.ConfigLoader;
import io.tidegate.engine.Engine;
import io.tidegate.engine.EngineException;

/** Engines for ejb-control tests: a listen section on 127.0.0.1 (free port) with cookie-pinned servers. */
public final class TestEngines {

    private TestEngines() {
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code listen farm} with servers webA (port {@code portA}, cookie A) and webB (port 9, cookie B). */
    public static Engine farm(int portA) throws EngineException, ConfigException {
        String text = """
                listen farm
                    bind 127.0.0.1:%d
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect
                    server webA 127.0.0.1:%d cookie A weight 10
                    server webB 127.0.0.1:9 cookie B weight 10
                """.formatted(freePort(), portA);
        return Engine.start(ConfigLoader.load("farm.cfg", text).config());
    }
}
