package io.tidegate.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import org.junit.jupiter.api.Test;

class PersistenceEditTest {

    private static final String PLAIN = """
            frontend www
                bind 127.0.0.1:8088
                default_backend app
            backend app   # no persistence yet
                balance roundrobin
                server a 127.0.0.1:8081 check   # first
                server b 127.0.0.1:8082 check
            """;

    @Test
    void addingPersistenceInsertsTheCookieLineBeforeTheServersAndTheValuesOnTheirLines() {
        CookieSpec spec = CookieSpec.of("SERVERID", CookieMode.INSERT).withIndirect(true).withNocache(true).withHttponly(true);
        String edited = PersistenceEdit.apply("t.cfg", PLAIN, "app", spec, Map.of("a", "A", "b", "B"));
        assertEquals("""
                frontend www
                    bind 127.0.0.1:8088
                    default_backend app
                backend app   # no persistence yet
                    balance roundrobin
                    cookie SERVERID insert indirect nocache httponly
                    server a 127.0.0.1:8081 check cookie A   # first
                    server b 127.0.0.1:8082 check cookie B
                """, edited);
    }

    @Test
    void removingPersistenceRemovesTheLineAndTheValues() {
        String with = PersistenceEdit.apply("t.cfg", PLAIN, "app", CookieSpec.of("S", CookieMode.PREFIX), Map.of("a", "x"));
        assertEquals(PLAIN, PersistenceEdit.apply("t.cfg", with, "app", null, Map.of("a", "")));
    }

    @Test
    void anUnknownBackendOrServerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PersistenceEdit.apply("t.cfg", PLAIN, "www", null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PersistenceEdit.apply("t.cfg", PLAIN, "app", null, Map.of("zz", "Z")));
    }

    @Test
    void aBackendThatSharesItsNameWithAFrontendIsTheOneEdited() {
        String shared = """
                frontend app
                    bind 127.0.0.1:8088
                    default_backend app
                backend app
                    server a 127.0.0.1:8081
                """;
        assertEquals("""
                frontend app
                    bind 127.0.0.1:8088
                    default_backend app
                backend app
                    cookie S prefix
                    server a 127.0.0.1:8081 cookie x
                """, PersistenceEdit.apply("t.cfg", shared, "app", CookieSpec.of("S", CookieMode.PREFIX), Map.of("a", "x")));
    }
}
