package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * HAProxy's fallback rules for timeouts not written, as the relay gets them: a frontend's client-side
 * timeouts and its backend's server-side ones, in milliseconds (0 = none).
 */
class TimeoutsRulesTest {

    private static Timeouts effective(Config c, String proxy) {
        return c.effective(c.proxy(proxy).orElseThrow()).timeouts();
    }

    @Test
    void unwrittenTimeoutsFollowTheOnesTheyFallBackTo() {
        Config c = TestConfigs.parseClean("t.cfg", """
                defaults
                    mode http
                    timeout connect 4s
                    timeout client 20s
                    timeout server 30s
                frontend web
                    bind 127.0.0.1:8080
                    timeout http-request 7s
                    default_backend app
                backend app
                    server s 127.0.0.1:8081
                """);
        Timeouts front = effective(c, "web");
        Timeouts back = effective(c, "app");
        assertEquals(Duration.ofSeconds(7), front.effectiveHttpRequest());
        assertEquals(Duration.ofSeconds(7), front.effectiveHttpKeepAlive(), "keep-alive follows http-request");
        assertEquals(Duration.ofSeconds(4), back.effectiveQueue(), "queue follows connect");
        assertEquals(30_000, Timeouts.tunnelMs(front, back), "no tunnel timeout: the larger of client and server");
        assertEquals(30_000, Timeouts.halfClosedMs(front, back), "no fin timeouts: a half-closed tunnel keeps the tunnel timeout");
        assertEquals(front, front.withDerivedDefaults(), "the effective settings already hold the derived values");
    }

    @Test
    void writtenTunnelAndFinTimeoutsWin() {
        Config c = TestConfigs.parseClean("t.cfg", """
                defaults
                    mode http
                    timeout client 20s
                    timeout server 30s
                frontend web
                    bind 127.0.0.1:8080
                    timeout client-fin 2s
                    default_backend app
                backend app
                    timeout tunnel 1h
                    timeout server-fin 3s
                    server s 127.0.0.1:8081
                """);
        Timeouts front = effective(c, "web");
        Timeouts back = effective(c, "app");
        assertEquals(Duration.ofHours(1).toMillis(), Timeouts.tunnelMs(front, back));
        assertEquals(2_000, Timeouts.halfClosedMs(front, back));
        assertEquals(0, Timeouts.ms(back.effectiveQueue()), "no connect, no queue timeout: none");
    }

    @Test
    void withoutFinTimeoutsAHalfClosedTunnelKeepsTheTunnelTimeoutNotTheClientOne() {
        Config c = TestConfigs.parseClean("t.cfg", """
                defaults
                    mode tcp
                    timeout client 20s
                    timeout server 30s
                    timeout tunnel 1h
                listen ws
                    bind 127.0.0.1:8080
                    server s 127.0.0.1:8081
                """);
        Timeouts t = effective(c, "ws");
        assertEquals(Duration.ofHours(1).toMillis(), Timeouts.halfClosedMs(t, t),
                "HAProxy applies client-fin/server-fin to a tunnel only when written");
    }
}
