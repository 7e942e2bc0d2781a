package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.CookieSpec;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The cookie line with every option, written in a configuration, on a running engine. */
class CookieConfigTest extends EngineTestSupport {

    @Test
    void everyInsertOptionFromTheConfigurationLine() throws Exception {
        RecordingBackend a = track(new RecordingBackend("A"));
        int port = GuideConfigs.freePort();
        Engine engine = track(GuideConfigs.start("""
                backend app
                    mode http
                    cookie SRV insert indirect nocache httponly secure domain .example.com maxidle 30m maxlife 8h attr "SameSite=Lax"
                    server s1 127.0.0.1:%d cookie s1
                frontend web
                    bind 127.0.0.1:%d
                    mode http
                    default_backend app
                """.formatted(a.port(), port)));
        CookieSpec p = engine.plan().backends().get(0).cookie();
        assertEquals(1800, p.maxIdleSeconds());
        assertEquals(8 * 3600, p.maxLifeSeconds());
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/");
            String set = r.header("Set-Cookie");
            assertTrue(Pattern.matches("SRV=s1\\|[A-Za-z0-9+/]{5}\\|[A-Za-z0-9+/]{5}; path=/; domain=\\.example\\.com; "
                    + "HttpOnly; Secure; SameSite=Lax", set), set);
            assertEquals(List.of("private"), r.all("Cache-Control"));
            a.take();
            String value = set.substring(0, set.indexOf(';'));
            c.send("GET / HTTP/1.1\r\nHost: lb\r\nCookie: " + value + "; theme=dark\r\n\r\n");
            RawClient.Response again = c.read();
            assertEquals(List.of("theme=dark"), a.take().all("Cookie"), "indirect: the dated cookie is removed too");
            String refreshed = again.header("Set-Cookie");     // only when a 4-second date unit went by
            assertTrue(refreshed == null || refreshed.startsWith("SRV=s1|"), "still pinned to s1: " + refreshed);
        }
    }

    @Test
    void rewriteModeFromTheConfiguration() throws Exception {
        RecordingBackend a = track(new RecordingBackend("A"));
        a.setCookies("SERVERID=whatever; Path=/");
        int port = GuideConfigs.freePort();
        track(GuideConfigs.start("""
                listen web 127.0.0.1:%d
                    mode http
                    cookie SERVERID rewrite
                    server webA 127.0.0.1:%d cookie A
                """.formatted(port, a.port())));
        try (RawClient c = new RawClient(port)) {
            assertEquals(List.of("SERVERID=A; Path=/"), c.get("/").all("Set-Cookie"));
            a.take();
        }
    }

    @Test
    void configTextReadsBackAsTheSamePolicy() throws Exception {
        for (String line : List.of("cookie SITE", "cookie JSESSIONID prefix", "cookie SRV rewrite indirect",
                "cookie SERVERID insert indirect nocache postonly preserve httponly secure domain .a.example "
                        + "domain b.example maxidle 30m maxlife 8h attr \"SameSite=Lax\" attr Partitioned")) {
            CookieSpec p = policyOf(line);
            assertEquals(p, policyOf(p.configText()), p.configText());
        }
        assertEquals("cookie SERVERID insert indirect nocache", policyOf("cookie SERVERID insert indirect nocache").configText());
    }

    private static CookieSpec policyOf(String cookieLine) throws Exception {
        var config = io.tidegate.config.ConfigLoader.loadSources(List.of(new io.tidegate.config.ConfigSource("c.cfg", """
                backend b
                    mode http
                    %s
                    server s 127.0.0.1:1 cookie x
                """.formatted(cookieLine))), GuideConfigs.FEATURES).config();
        return PlanBuilder.from(config).backends().get(0).cookie();
    }
}
