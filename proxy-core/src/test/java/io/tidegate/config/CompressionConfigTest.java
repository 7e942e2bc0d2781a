package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code compression algo|type|offload} as HAProxy 2.6 reads them, with what it refuses. */
class CompressionConfigTest {

    private static final String TEXT = """
            defaults
                mode http
                compression algo gzip
                compression type text/html
                compression offload
            frontend fe
                bind :8080
                compression type text/plain application/json
                default_backend be
            backend be
                compression algo deflate
                compression algo raw-deflate identity
                compression offload
                server s 127.0.0.1:80
            """;

    @Test
    void linesAddUpAfterTheDefaultsListsAndOffloadIsNotInherited() {
        ParsedConfig parsed = TestConfigs.parse("c.cfg", TEXT);
        assertEquals(List.of(), TestConfigs.errors(parsed.problems()));
        assertEquals(List.of("c.cfg:5:5: warning: 'compression offload' ignored in 'defaults' section (as HAProxy)"),
                parsed.problems().stream().map(ConfigProblem::toString).toList());
        Config c = parsed.config();
        Compression fe = c.effective(c.frontend("fe").orElseThrow()).compression();
        assertEquals(new Compression(List.of("gzip"), List.of("text/html", "text/plain", "application/json"), false), fe);
        Compression be = c.effective(c.backend("be").orElseThrow()).compression();
        assertEquals(new Compression(List.of("gzip", "deflate", "raw-deflate", "identity"), List.of("text/html"), true), be);
        Config reread = TestConfigs.parseClean("again", ConfigWriter.write(c));
        assertEquals(fe, reread.effective(reread.frontend("fe").orElseThrow()).compression());
        assertEquals(be, reread.effective(reread.backend("be").orElseThrow()).compression());
    }

    @Test
    void whatHaproxy26DoesNotKnowIsRefusedAtItsWord() {
        ParsedConfig parsed = TestConfigs.parse("c.cfg", """
                frontend fe
                    bind :8080
                    mode http
                    compression algo gzip br
                    compression minsize-res 1500
                    compression
                    compression type
                    default_backend be
                backend be
                    server s 127.0.0.1:80
                """);
        assertEquals(List.of(
                "c.cfg:4:27: error: 'br' is not a supported algorithm (gzip, deflate, raw-deflate, identity)",
                "c.cfg:5:17: error: 'compression minsize-res' came after HAProxy 2.6: 'compression' expects 'algo', "
                        + "'type' or 'offload' (HAProxy 2.6)",
                "c.cfg:6:5: error: 'compression' expects 'algo', 'type' or 'offload' (HAProxy 2.6)",
                "c.cfg:7:17: error: 'compression type' expects at least one value"),
                TestConfigs.errors(parsed.problems()).stream().map(ConfigProblem::toString).toList());
    }
}
