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

    /**
     * Absolute-form targets, Connection options and a header limit taken from the first byte: an
     * accepted head never has more lines than the limit, its absolute-form authority equals its Host,
     * and the lines marked hop-by-hop never include Host, Content-Length or Transfer-Encoding.
     */
    @FuzzTest(maxDuration = "30s")
    void absoluteFormAndHeaderLimit(byte[] data) {
        if (data.length < 2) return;
        int limit = data[0] & 0x7f;
        ByteBuffer buf = ByteBuffer.allocateDirect(data.length - 1);
        buf.put(data, 1, data.length - 1).flip();
        RequestHead head = new RequestHead();
        head.setMaxHeaderLines(limit);
        int start = RequestHead.skipLeadingEmptyLines(buf, 0, buf.limit());
        try {
            int end = MessageHead.findHeadEnd(buf, start, buf.limit(), 431);
            if (end < 0) return;
            head.parse(buf, start, end);
        } catch (HttpParseException e) {
            int s = e.status();
            assertTrue(s == 400 || s == 405 || s == 431 || s == 505, "status " + s);
            return;
        }
        byte[] bytes = new byte[buf.limit()];
        buf.get(0, bytes);
        assertWellFormed(head, bytes);
        assertTrue(head.headerCount() <= limit, "at most " + limit + " lines");
        String target = head.target();
        if (head.absoluteForm()) {
            String lower = target.toLowerCase(java.util.Locale.ROOT);
            assertTrue(lower.startsWith("http://") || lower.startsWith("https://"), target);
            String rest = target.substring(target.indexOf("//") + 2);
            int endOfAuthority = rest.length();
            for (char c : new char[] {'/', '?', '#'}) {
                int i = rest.indexOf(c);
                if (i >= 0) endOfAuthority = Math.min(endOfAuthority, i);
            }
            String authority = rest.substring(0, endOfAuthority);
            assertFalse(authority.isEmpty() || authority.contains("@"), target);
            int host = head.find("host".getBytes());
            if (host >= 0) assertTrue(authority.equalsIgnoreCase(head.value(host)), authority + " vs " + head.value(host));
        } else {
            assertTrue(target.startsWith("/") || target.equals("*") || target.startsWith("*"), target);
        }
        for (int i = 0; i < head.headerCount(); i++) {
            if (head.isHopByHop(i)) {
                HeaderKind k = head.kind(i);
                assertTrue(k != HeaderKind.HOST && k != HeaderKind.CONTENT_LENGTH && k != HeaderKind.TRANSFER_ENCODING,
                        "framing and routing fields are never dropped");
            }
        }
        if (head.upgradeH2c()) assertFalse(head.upgradeCarriedOut(), "h2c is never a tunnel");
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
