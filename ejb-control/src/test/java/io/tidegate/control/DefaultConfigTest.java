package io.tidegate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.CookieMode;
import io.tidegate.config.ProxySection;
import org.junit.jupiter.api.Test;

/** The demo configuration shows cookie insert persistence and health checks on both demo backends. */
class DefaultConfigTest {

    @Test
    void theDemoPinsClientsByAnInsertedCookieAndChecksBothBackends() throws Exception {
        String text;
        try (InputStream in = ConfigLocation.class.getResourceAsStream(ConfigLocation.DEFAULT_RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var config = ConfigLoader.load("default-tidegate.cfg", text).config();
        ProxySection demo = config.proxy("demo").orElseThrow();
        assertEquals(CookieMode.INSERT, demo.settings().cookie().mode());
        assertEquals("SERVERID", demo.settings().cookie().name());
        assertEquals(2, demo.servers().size());
        for (var s : demo.servers()) {
            assertTrue(config.effectiveServer(demo, s).isChecked(), s.name() + " is health-checked");
        }
        assertEquals("A", demo.server("demoA").orElseThrow().options().cookie());
        assertEquals("B", demo.server("demoB").orElseThrow().options().cookie());
    }
}
