package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Converters on constant samples, with the results HAProxy 2.6's configuration manual (7.3.1) gives. */
class ConverterChainTest {

    @TempDir
    Path dir;

    private static String eval(String expr) {
        StringBuilder out = new StringBuilder();
        SampleFetch.expression(expr, n -> null, null, n -> null).append(null, out);
        return out.toString();
    }

    @Test
    void fieldAndWordAsInTheManual() {
        assertEquals("", eval("str(f1_f2_f3__f5),field(4,_)"));
        assertEquals("f5", eval("str(f1_f2_f3__f5),field(5,_)"));
        assertEquals("f2_f3__f5", eval("str(f1_f2_f3__f5),field(2,_,0)"));
        assertEquals("f2_f3", eval("str(f1_f2_f3__f5),field(2,_,2)"));
        assertEquals("f2_f3_", eval("str(f1_f2_f3__f5),field(-2,_,3)"));
        assertEquals("f1_f2_f3", eval("str(f1_f2_f3__f5),field(-3,_,0)"));
        assertEquals("f5", eval("str(f1_f2_f3__f5),word(4,_)"));
        assertEquals("f2_f3__f5", eval("str(f1_f2_f3__f5),word(2,_,0)"));
        assertEquals("f3__f5", eval("str(f1_f2_f3__f5),word(3,_,2)"));
        assertEquals("f1_f2_f3", eval("str(f1_f2_f3__f5),word(-2,_,3)"));
        assertEquals("f1_f2", eval("str(f1_f2_f3__f5),word(-3,_,0)"));
    }

    @Test
    void textConverters() {
        assertEquals("abc", eval("str(AbC),lower"));
        assertEquals("ABC", eval("str(AbC),upper"));
        assertEquals("5", eval("str(hello),length"));
        assertEquals("ell", eval("str(hello),bytes(1,3)"));
        assertEquals("llo", eval("str(hello),bytes(2)"));
        assertEquals("a b+c", eval("str(a%20b+c),url_dec"));
        assertEquals("a b c", eval("str(a%20b+c),url_dec(1)"));
        assertEquals("aGVsbG8=", eval("str(hello),base64"));
        assertEquals("68656C6C6F", eval("str(hello),hex"));
        assertEquals("x--", eval("str(--x--),ltrim(-)"));
        assertEquals("--x", eval("str(--x--),rtrim(-)"));
        assertEquals("/v1/users", eval("str(/api/v1/users),regsub(^/api/,/)"));
        assertEquals("X-X-", eval("str(a-A-),regsub(a,X,gi)"));
        assertEquals("a\\\"b\\/c", eval("str(a\"b/c),json"));
        assertEquals("x<>", eval("str(x),concat(<,,>)"));
    }

    @Test
    void addressesIntegersAndHashes() {
        assertEquals("192.168.7.0", eval("str(192.168.7.9),ipmask(24)"));
        assertEquals("10.1.0.0", eval("str(10.1.2.3),ipmask(255.255.0.0)"));
        assertEquals("2001:db8::", eval("str(2001:db8::1),ipmask(24,32)"));
        assertEquals("", eval("str(2001:db8::1),ipmask(24)"), "an IPv6 address without a mask6 has no value");
        assertEquals("000000000000002A", eval("int(42),hex"), "an integer is 8 bytes big-endian in binary");
        // CRC32 of "hello" (zlib/ethernet polynomial), djb2 and sdbm computed by their definitions
        assertEquals(Long.toString(0x3610a686L), eval("str(hello),crc32"));
        long djb2 = 5381;
        long sdbm = 0;
        for (char c : "hello".toCharArray()) {
            djb2 = (djb2 * 33 + c) & 0xffffffffL;
            sdbm = (c + (sdbm << 6) + (sdbm << 16) - sdbm) & 0xffffffffL;
        }
        assertEquals(Long.toString(djb2), eval("str(hello),djb2"));
        assertEquals(Long.toString(sdbm), eval("str(hello),sdbm"));
    }

    @Test
    void mapsWithDefaults() throws Exception {
        Path map = dir.resolve("m.map");
        Files.writeString(map, "# comment\nwww.example.com blue\n/api/ apis\n^/img/[0-9]+ images\n42 answer\n");
        assertEquals("blue", eval("str(www.example.com),map(" + map + ",none)"));
        assertEquals("none", eval("str(other),map_str(" + map + ",none)"));
        assertEquals("", eval("str(other),map(" + map + ")"), "no match and no default: no value");
        assertEquals("apis", eval("str(/api/x),map_beg(" + map + ")"));
        assertEquals("images", eval("str(/img/12/a.png),map_reg(" + map + ")"));
        assertEquals("answer", eval("int(42),map_int(" + map + ")"));
        assertEquals("blue", eval("str(a.www.example.com),map_dom(" + map + ")"));
    }
}
