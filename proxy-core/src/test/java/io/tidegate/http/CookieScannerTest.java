package io.tidegate.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cookie and Set-Cookie values read the way RFC 6265 writes them, and the way clients really send them. */
class CookieScannerTest {

    /** name|value|quoted for every cookie of a Cookie header value, read from a direct buffer at an offset. */
    private static List<String> cookies(String value) {
        return scan(value, false);
    }

    private static List<String> scan(String value, boolean setCookie) {
        byte[] bytes = ("xx" + value + "yy").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes.length);
        buf.put(bytes).flip();
        CookieScanner s = new CookieScanner();
        if (setCookie) s.setCookieHeader(buf, 2, bytes.length - 2);
        else s.cookieHeader(buf, 2, bytes.length - 2);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 100 && s.next(); i++) {
            out.add(text(buf, s.nameStart(), s.nameEnd()) + "|" + text(buf, s.valueStart(), s.valueEnd())
                    + (s.quoted() ? "|quoted" : ""));
        }
        return out;
    }

    private static String text(ByteBuffer b, int from, int to) {
        return HttpSyntax.ascii(b, from, to);
    }

    @Test
    void severalCookiesInOneHeader() {
        assertEquals(List.of("SERVERID|A", "JSESSIONID|W14~123", "lang|en"),
                cookies("SERVERID=A; JSESSIONID=W14~123; lang=en"));
    }

    @Test
    void blanksAroundPairsNamesAndValuesAreNotPartOfThem() {
        assertEquals(List.of("a|1", "b|2", "c|3"), cookies("  a=1;b=2 ;\t c = 3\t"));
    }

    @Test
    void quotedValuesAreReportedWithoutTheirQuotes() {
        assertEquals(List.of("JSESSIONID|A~123|quoted", "x|\""), cookies("JSESSIONID=\"A~123\"; x=\""),
                "a lone quote is a value, not a quoted one");
    }

    @Test
    void emptyPairsAreSkippedAndEmptyValuesKept() {
        assertEquals(List.of("a|", "b|2"), cookies(";; a= ;;b=2;"));
        assertEquals(List.of(), cookies(" ; ;"));
    }

    @Test
    void aPairWithoutEqualsHasNoName() {
        CookieScanner s = new CookieScanner();
        ByteBuffer b = ByteBuffer.wrap("token; SERVERID".getBytes(StandardCharsets.ISO_8859_1));
        s.cookieHeader(b, 0, b.limit());
        assertTrue(s.next());
        assertFalse(s.hasEquals());
        assertEquals("token", text(b, s.valueStart(), s.valueEnd()));
        assertTrue(s.next());
        assertFalse(s.nameIs("SERVERID".getBytes(StandardCharsets.US_ASCII)), "a bare word is a value, not the cookie");
        assertFalse(s.next());
    }

    @Test
    void namesMatchExactlyAndCaseSensitively() {
        CookieScanner s = new CookieScanner();
        ByteBuffer b = ByteBuffer.wrap("serverid=a; SERVERIDX=b; SERVERID=c".getBytes(StandardCharsets.ISO_8859_1));
        s.cookieHeader(b, 0, b.limit());
        byte[] name = "SERVERID".getBytes(StandardCharsets.US_ASCII);
        List<String> matched = new ArrayList<>();
        while (s.next()) if (s.nameIs(name)) matched.add(text(b, s.valueStart(), s.valueEnd()));
        assertEquals(List.of("c"), matched);
    }

    @Test
    void setCookieHasOneCookieThenAttributes() {
        assertEquals(List.of("JSESSIONID|123"), scan("JSESSIONID=123; Path=/; Expires=Wed, 09 Jun 2021 10:18:14 GMT", true));
        CookieScanner s = new CookieScanner();
        ByteBuffer b = ByteBuffer.wrap("a=1; Path=/".getBytes(StandardCharsets.ISO_8859_1));
        s.setCookieHeader(b, 0, b.limit());
        assertTrue(s.next());
        assertEquals(" Path=/", text(b, s.attributesStart(), b.limit()));
        assertFalse(s.next(), "attributes are not cookies");
    }

    @Test
    void theScannerIsReusedAcrossHeaders() {
        CookieScanner s = new CookieScanner();
        ByteBuffer one = ByteBuffer.wrap("a=1; b=2".getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer two = ByteBuffer.wrap("c=3".getBytes(StandardCharsets.ISO_8859_1));
        s.cookieHeader(one, 0, one.limit());
        assertTrue(s.next());
        s.cookieHeader(two, 0, two.limit());
        assertTrue(s.next());
        assertEquals("c", text(two, s.nameStart(), s.nameEnd()));
        assertFalse(s.next());
    }

    @Test
    void indexInValueFindsTheDelimiterInsideTheValueOnly() {
        CookieScanner s = new CookieScanner();
        ByteBuffer b = ByteBuffer.wrap("x~y=1; J=\"A~1\"".getBytes(StandardCharsets.ISO_8859_1));
        s.cookieHeader(b, 0, b.limit());
        assertTrue(s.next());
        assertEquals(-1, s.indexInValue((byte) '~'), "a ~ in the name is not in the value");
        assertTrue(s.next());
        assertEquals(11, s.indexInValue((byte) '~'));
    }
}
