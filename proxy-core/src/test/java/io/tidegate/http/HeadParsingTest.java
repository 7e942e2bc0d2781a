package io.tidegate.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadParsingTest {

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }

    private static RequestHead request(String s) throws HttpParseException {
        ByteBuffer buf = direct(s);
        int end = MessageHead.findHeadEnd(buf, 0, buf.limit(), 431);
        assertTrue(end > 0, "complete head");
        RequestHead h = new RequestHead();
        h.parse(buf, 0, end);
        return h;
    }

    private static ResponseHead response(String s) throws HttpParseException {
        ByteBuffer buf = direct(s);
        int end = MessageHead.findHeadEnd(buf, 0, buf.limit(), 502);
        ResponseHead h = new ResponseHead();
        h.parse(buf, 0, end);
        return h;
    }

    @Test
    void requestFieldsTidegateActsOn() throws Exception {
        RequestHead h = request("POST /up?x=1 HTTP/1.1\r\nHost: example\r\nConnection: Keep-Alive, Upgrade\r\n"
                + "Upgrade: websocket\r\nExpect: 100-Continue\r\ncontent-length: 42\r\nX-Other:  spaced value  \r\n\r\n");
        assertEquals("POST", h.method());
        assertEquals("/up?x=1", h.target());
        assertEquals(1, h.minorVersion());
        assertEquals(42, h.contentLength());
        assertTrue(h.connectionKeepAlive());
        assertTrue(h.connectionUpgrade());
        assertTrue(h.hasUpgrade());
        assertTrue(h.expectContinue());
        assertEquals(6, h.headerCount());
        assertEquals("spaced value", h.value(5), "optional whitespace around a value is not part of it");
        assertEquals("POST /up?x=1 HTTP/1.1", h.requestLine());
    }

    @Test
    void keepAliveFollowsVersionAndConnection() throws Exception {
        assertTrue(request("GET / HTTP/1.1\r\nHost: a\r\n\r\n").keepAlive());
        assertFalse(request("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive());
        assertFalse(request("GET / HTTP/1.0\r\n\r\n").keepAlive());
        assertTrue(request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive());
    }

    @Test
    void incompleteHeadNeedsMoreBytes() throws Exception {
        ByteBuffer buf = direct("GET / HTTP/1.1\r\nHost: a\r\n");
        assertEquals(-1, MessageHead.findHeadEnd(buf, 0, buf.limit(), 431));
    }

    @Test
    void responseFramingPerRfc9112() throws Exception {
        assertEquals(BodyFraming.LENGTH, response("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n").framing(false));
        assertEquals(BodyFraming.NONE, response("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n").framing(true));
        assertEquals(BodyFraming.CHUNKED, response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").framing(false));
        assertEquals(BodyFraming.UNTIL_CLOSE, response("HTTP/1.1 200 OK\r\n\r\n").framing(false));
        assertEquals(BodyFraming.NONE, response("HTTP/1.1 204 No Content\r\n\r\n").framing(false));
        assertEquals(BodyFraming.NONE, response("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n").framing(false));
        assertTrue(response("HTTP/1.1 100 Continue\r\n\r\n").isInterim());
        assertFalse(response("HTTP/1.1 101 Switching Protocols\r\n\r\n").isInterim());
        assertEquals(200, response("HTTP/1.1 200\r\n\r\n").status(), "the reason phrase may be absent");
    }

    @Test
    void badResponsesAreReportedAs502() {
        for (String bad : new String[] {"HTTP/1.1 2x0 OK\r\n\r\n", "HTTX/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
            HttpParseException e = assertThrows(HttpParseException.class, () -> response(bad), bad);
            assertEquals(502, e.status());
        }
    }

    @Test
    void chunkedScannerFindsTheEndAcrossSegments() throws Exception {
        ByteBuffer buf = direct("4\r\nWiki\r\n5;name=v\r\npedia\r\n0\r\nExpires: never\r\n\r\nNEXT");
        ChunkedScanner s = new ChunkedScanner();
        int consumed = 0;
        for (int p = 0; p < buf.limit() && !s.isComplete(); p += 3) {
            consumed += s.scan(buf, p, Math.min(p + 3, buf.limit()));
        }
        assertTrue(s.isComplete());
        assertEquals(buf.limit() - "NEXT".length(), consumed, "bytes after the last chunk are not part of the body");
    }

    @Test
    void chunkSizeOverflowIsRejected() {
        ByteBuffer buf = direct("fffffffffffffffff\r\n");
        HttpParseException e = assertThrows(HttpParseException.class, () -> new ChunkedScanner().scan(buf, 0, buf.limit()));
        assertEquals(400, e.status());
    }

    @Test
    void manyHeaderLinesUpToTheLimitAreAllKeptAndTheHeadObjectStaysReusable() throws Exception {
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: example\r\n");
        for (int i = 1; i < MessageHead.MAX_HEADERS - 1; i++) many.append("X-N").append(i).append(": v").append(i).append("\r\n");
        many.append("Content-Length: 7\r\n\r\n");
        ByteBuffer big = direct(many.toString());
        RequestHead h = new RequestHead();
        h.parse(big, 0, MessageHead.findHeadEnd(big, 0, big.limit(), 431));
        assertEquals(MessageHead.MAX_HEADERS, h.headerCount());
        assertEquals("X-N100", h.name(100));
        assertEquals("v100", h.value(100));
        assertEquals(7, h.contentLength(), "the last line is interpreted too");

        ByteBuffer small = direct("GET /again HTTP/1.1\r\nHost: b\r\n\r\n");
        h.parse(small, 0, MessageHead.findHeadEnd(small, 0, small.limit(), 431));
        assertEquals(1, h.headerCount());
        assertEquals("b", h.value(0));
        assertEquals(-1, h.contentLength());
    }

    @Test
    void oneHeaderLineMoreThanTheLimitIsRefusedWith400AsHaproxyDoes() {
        StringBuilder tooMany = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i <= MessageHead.MAX_HEADERS; i++) tooMany.append("X-N").append(i).append(": v\r\n");
        tooMany.append("\r\n");
        HttpParseException e = assertThrows(HttpParseException.class, () -> request(tooMany.toString()));
        assertEquals(400, e.status(), "HAProxy 2.6 answers 400 to too many header lines");
    }
}
