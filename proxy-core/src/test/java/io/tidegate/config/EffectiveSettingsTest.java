package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Settings in force: own over the preceding defaults over HAProxy's built-in values; routing helpers. */
class EffectiveSettingsTest {

    private static Config parse(String text) {
        return TestConfigs.parseClean("e.cfg", text);
    }

    @Test
    void ownSettingsOverDefaultsOverBuiltIns() {
        Config c = parse("""
                defaults
                    mode http
                    retries 2
                    timeout connect 5s
                    timeout client 30s
                    option redispatch
                    option httpclose
                listen web
                    bind 127.0.0.1:8080
                    retries 5
                    option http-server-close
                    server s 127.0.0.1:8081
                """);
        ProxySettings e = c.effective(c.proxy("web").orElseThrow());
        assertEquals(Mode.HTTP, e.mode());
        assertEquals(5, e.retries());
        assertTrue(e.isOn(ProxyFlag.REDISPATCH));
        assertEquals(ConnectionMode.SERVER_CLOSE, e.connectionMode());
        assertEquals(Balance.ROUNDROBIN, e.balance());
        assertEquals(2000, e.maxconn());
        assertEquals(Duration.ZERO, e.grace());
        assertEquals(HealthCheck.TCP, e.healthCheck());
        assertEquals(ForwardFor.DISABLED, e.forwardFor());
        Timeouts t = e.timeouts();
        assertEquals(Duration.ofSeconds(5), t.connect());
        assertEquals(Duration.ofSeconds(5), t.queue(), "queue follows connect");
        assertEquals(Duration.ofSeconds(30), t.httpRequest(), "http-request follows client");
        assertEquals(Duration.ofSeconds(30), t.httpKeepAlive(), "http-keep-alive follows http-request");
        assertNull(t.server(), "no server timeout written: none, as in HAProxy");
        assertEquals(200, e.fullconn(), "10% of the listen's maxconn");
    }

    @Test
    void aNewDefaultsSectionStartsAgainFromBuiltIns() {
        Config c = parse("""
                defaults
                    mode http
                    option forwardfor
                listen a
                    bind :8080
                defaults
                    retries 7
                listen b
                    bind :8081
                """);
        ProxySettings a = c.effective(c.proxy("a").orElseThrow());
        ProxySettings b = c.effective(c.proxy("b").orElseThrow());
        assertTrue(a.isForwardFor());
        assertEquals(Mode.HTTP, a.mode());
        assertEquals(Mode.TCP, b.mode(), "HAProxy's default mode");
        assertEquals(false, b.isForwardFor());
        assertEquals(7, b.retries());
        assertEquals(3, a.retries());
    }

    @Test
    void noOptionCancelsWhatTheDefaultsSectionSet() {
        Config c = parse("defaults\n mode http\n option redispatch\n option forwardfor\n"
                + "backend b\n no option redispatch\n no option forwardfor\n");
        ProxySettings e = c.effective(c.proxy("b").orElseThrow());
        assertEquals(false, e.isOn(ProxyFlag.REDISPATCH));
        assertEquals(false, e.isForwardFor());
    }

    @Test
    void fullconnDefaultsToTenPercentOfTheFrontendsThatReachTheBackend() {
        Config c = parse("""
                defaults
                    mode http
                frontend f1
                    bind :8080
                    maxconn 1000
                    default_backend app
                frontend f2
                    bind :8081
                    maxconn 3000
                    use_backend app
                    default_backend other
                backend app
                backend other
                    fullconn 77
                """);
        assertEquals(400, c.effective(c.proxy("app").orElseThrow()).fullconn());
        assertEquals(77, c.effective(c.proxy("other").orElseThrow()).fullconn());
        ProxySection f2 = c.proxy("f2").orElseThrow();
        assertEquals(List.of("app", "other"), c.backendsUsedBy(f2).stream().map(ProxySection::name).toList());
    }

    @Test
    void defaultFullconnRoundsUpAsHaproxyDoes() {
        Config c = parse("""
                frontend f
                    bind :8080
                    maxconn 1005
                    default_backend app
                backend app
                frontend tiny
                    bind :8081
                    maxconn 3
                    default_backend small
                backend small
                """);
        assertEquals(101, c.effective(c.proxy("app").orElseThrow()).fullconn(), "(1005 + 9) / 10");
        assertEquals(1, c.effective(c.proxy("small").orElseThrow()).fullconn(), "(3 + 9) / 10");
    }

    @Test
    void backendOfFrontendListenAndDefaults() {
        Config c = parse("""
                defaults
                    mode http
                    default_backend app
                frontend f
                    bind :8080
                frontend g
                    bind :8081
                    default_backend other
                listen l
                    bind :8082
                backend app
                backend other
                """);
        assertEquals(Optional.of("app"), c.backendOf(c.proxy("f").orElseThrow()).map(ProxySection::name));
        assertEquals(Optional.of("other"), c.backendOf(c.proxy("g").orElseThrow()).map(ProxySection::name));
        assertEquals(Optional.of("l"), c.backendOf(c.proxy("l").orElseThrow()).map(ProxySection::name));
        assertEquals(Optional.empty(), c.backendOf(c.proxy("app").orElseThrow()));
        assertEquals(List.of("f", "g", "l"), c.frontends().stream().map(ProxySection::name).toList());
        assertEquals(List.of("l", "app", "other"), c.backends().stream().map(ProxySection::name).toList());
    }

    @Test
    void serverOptionsOverDefaultServerLinesOverBuiltIns() {
        Config c = parse("""
                defaults
                    mode http
                    default-server inter 5s fall 5
                backend b
                    default-server rise 4
                    default-server fall 6
                    server s1 127.0.0.1:8081 check fall 1
                    server s2 127.0.0.1:8082
                """);
        ProxySection b = c.proxy("b").orElseThrow();
        ServerOptions s1 = c.effectiveServer(b, b.servers().get(0));
        ServerOptions s2 = c.effectiveServer(b, b.servers().get(1));
        assertEquals(Duration.ofSeconds(5), s1.effectiveInter());
        assertEquals(4, s1.effectiveRise());
        assertEquals(1, s1.effectiveFall());
        assertTrue(s1.isChecked());
        assertEquals(6, s2.effectiveFall());
        assertEquals(1, s2.effectiveWeight());
        assertEquals(false, s2.isChecked());
        ServerOptions none = ServerOptions.NONE;
        assertEquals(List.of(1, 2, 3), List.of(none.effectiveWeight(), none.effectiveRise(), none.effectiveFall()));
        assertEquals(Duration.ofMillis(2000), none.effectiveInter());
    }
}
