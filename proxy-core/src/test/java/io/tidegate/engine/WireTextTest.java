package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Configuration text as the engine compares and writes it: its UTF-8 bytes, one char each. */
class WireTextTest {

    @Test
    void nonAsciiTextBecomesItsUtf8BytesAsciiStaysTheSameString() {
        assertEquals("Z\u00c3\u00bcrich", WireText.of("Zürich"));
        assertEquals(4, WireText.of("😀").length(), "a character outside the BMP is four bytes");
        String ascii = "plain text";
        assertSame(ascii, WireText.of(ascii));
    }
}
