package io.tidegate.http;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the request-head parser and the chunked scanner. In a normal {@code mvn test} Jazzer runs
 * the stored regression inputs (resources ...Inputs/METHOD/); with JAZZER_FUZZ=1 it explores.
 */
class RequestHeadFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void requestHead(byte[] data) {
        ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
        buf.put(data).flip();
        RequestHead head = new RequestHead();
        int start = RequestHead.skipLeadingEmptyLines(buf, 0, data.length);
        try {
            int end = MessageHead.findHeadEnd(buf, start, data.length, 431);
            if (end < 0) return;
            head.parse(buf, start, end);
        } catch (HttpParseException e) {
            int s = e.status();
            assertTrue(s == 400 || s == 405 || s == 431 || s == 505, "status " + s);
            return;
        }
        assertWellFormed(head, data);
    }

    /** What an accepted head guarantees to the relay. */
    private static void assertWellFormed(RequestHead h, byte[] data) {
        assertTrue(h.methodEnd() > h.start());
        for (int i = h.start(); i < h.methodEnd(); i++) assertTrue(HttpSyntax.isTchar(data[i]));
        assertTrue(h.targetEnd() > h.targetStart());
        for (int i = h.targetStart(); i < h.targetEnd(); i++) assertTrue(HttpSyntax.isTargetChar(data[i]));
        assertTrue(h.minorVersion() == 0 || h.minorVersion() == 1);
        assertFalse(h.chunked() && h.contentLength() >= 0, "never both framings");
        assertTrue(h.contentLength() >= -1);
        int hosts = 0;
        int previousEnd = h.startLineEnd();
        for (int i = 0; i < h.headerCount(); i++) {
            assertEquals(previousEnd, h.lineStart(i), "header lines are contiguous");
            assertTrue(h.nameEnd(i) > h.lineStart(i));
            for (int p = h.lineStart(i); p < h.nameEnd(i); p++) assertTrue(HttpSyntax.isTchar(data[p]));
            assertEquals(':', data[h.nameEnd(i)]);
            for (int p = h.valueStart(i); p < h.valueEnd(i); p++) {
                assertTrue(data[p] != '\r' && data[p] != '\n' && data[p] != 0, "no CR, LF or NUL in values");
            }
            assertEquals('\r', data[h.lineEnd(i) - 2]);
            assertEquals('\n', data[h.lineEnd(i) - 1]);
            if (h.kind(i) == HeaderKind.HOST) hosts++;
            previousEnd = h.lineEnd(i);
        }
        assertEquals(h.end() - 2, previousEnd, "the head ends with one empty line");
        if (h.minorVersion() == 1) assertEquals(1, hosts);
    }

    @FuzzTest(maxDuration = "30s")
    void chunkedBodySplitAnywhere(byte[] data) {
        if (data.length == 0) return;
        int split = (data[0] & 0xff) % data.length;
        ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
        buf.put(data).flip();
        String whole = outcome(buf, new int[] {1, data.length});
        String parts = outcome(buf, new int[] {1, Math.max(1, split), data.length});
        assertEquals(whole, parts, "the outcome does not depend on how bytes arrive");
    }

    private static String outcome(ByteBuffer buf, int[] bounds) {
        ChunkedScanner scanner = new ChunkedScanner();
        int consumed = 0;
        try {
            for (int i = 0; i + 1 < bounds.length; i++) {
                int from = Math.max(bounds[i], 1 + consumed);
                if (from >= bounds[i + 1]) continue;
                int n = scanner.scan(buf, from, bounds[i + 1]);
                assertTrue(n >= 0 && n <= bounds[i + 1] - from);
                consumed += n;
                if (scanner.isComplete()) break;
            }
        } catch (HttpParseException e) {
            assertEquals(400, e.status());
            return "error";
        }
        return (scanner.isComplete() ? "complete:" : "partial:") + consumed;
    }
}
