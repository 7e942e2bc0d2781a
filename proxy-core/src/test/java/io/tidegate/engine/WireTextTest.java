package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Configuration text as the engine compares and writes it: its UTF-8 bytes, one char each. */
class WireTextTest {

    private static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void nonAsciiTextBecomesItsUtf8BytesAsciiStaysTheSameString() {
        assertEquals("Z\u00c3\u00bcrich", WireText.of("Zürich"));
        assertEquals(4, WireText.of("😀").length(), "a character outside the BMP is four bytes");
        String ascii = "plain text";
        assertSame(ascii, WireText.of(ascii));
    }

    @Test
    void aValueKeepsItsSamplesAsWritten() {
        assertEquals(bytes("Grüße ") + "%[req.hdr(x-stadt)]" + bytes(" aus Zürich"),
                WireText.value("Grüße %[req.hdr(x-stadt)] aus Zürich"));
        assertEquals(bytes("kein Ende %[offen"), WireText.value("kein Ende %[offen"));
    }
}
