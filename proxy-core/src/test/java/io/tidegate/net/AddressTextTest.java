package io.tidegate.net;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Addresses printed as HAProxy prints them: HAProxy calls glibc's inet_ntop, and the right-hand sides
 * below are what glibc 2.36's inet_ntop (Debian 12, the libc of the haproxy 2.6 the project compares
 * with) wrote for each left-hand side.
 */
class AddressTextTest {
    private static final Map<String, String> GLIBC_INET_NTOP = Map.ofEntries(
            Map.entry("0:0:0:0:0:0:0:1", "::1"),
            Map.entry("0:0:0:0:0:0:0:0", "::"),
            Map.entry("0:0:0:0:0:0:0:2", "::2"),
            Map.entry("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
            Map.entry("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),       // first of two equal runs
            Map.entry("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),     // a single zero group stays
            Map.entry("2001:0:0:1:0:0:0:0", "2001:0:0:1::"),               // the longer run wins
            Map.entry("1:0:0:0:0:0:0:0", "1::"),
            Map.entry("0:1:0:0:0:0:0:0", "0:1::"),
            Map.entry("fe80:0:0:0:0:0:0:1", "fe80::1"),
            Map.entry("0:0:0:0:0:0:102:304", "::1.2.3.4"),                 // IPv4-compatible: mixed
            Map.entry("0:0:0:0:0:0:1:2", "::0.1.0.2"),
            Map.entry("0:0:0:0:0:ffff:0:0", "::ffff:0.0.0.0"),
            Map.entry("0:0:0:0:ffff:0:102:304", "::ffff:0:102:304"),
            Map.entry("0:0:0:0:0:0:0:ffff", "::ffff"),
            Map.entry("0:0:0:0:0:0:ffff:1", "::255.255.0.1"),
            Map.entry("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            Map.entry("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"));

    @Test
    void ipv6AsGlibcInetNtopWritesIt() throws Exception {
        for (var e : GLIBC_INET_NTOP.entrySet()) {
            assertEquals(e.getValue(), AddressText.of(groups(e.getKey())), e.getKey());
        }
    }

    /** The 16 bytes of eight hex groups (InetAddress would turn an IPv4-mapped address into 4 bytes). */
    private static byte[] groups(String eight) {
        String[] g = eight.split(":");
        assertEquals(8, g.length, eight);
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            int v = Integer.parseInt(g[i], 16);
            b[2 * i] = (byte) (v >> 8);
            b[2 * i + 1] = (byte) v;
        }
        return b;
    }

    @Test
    void ipv4MappedBytesAreWrittenMixed() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 1;
        mapped[13] = 2;
        mapped[14] = 3;
        mapped[15] = 4;
        assertEquals("::ffff:1.2.3.4", AddressText.of(mapped));    // Java would turn these into an Inet4Address
    }

    @Test
    void ipv4Dotted() throws Exception {
        for (String a : new String[] {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.200.3.45"}) {
            assertEquals(a, AddressText.of(InetAddress.getByName(a)));
        }
    }

    @Test
    void theScopeIsNotPrinted() throws Exception {
        assertEquals("fe80::1", AddressText.of(InetAddress.getByName("fe80::1%1")));
    }

    @Test
    void writesIntoTheCallersArrayAtAnOffsetWithinMaxLength() throws Exception {
        byte[] out = new byte[3 + AddressText.MAX_LENGTH];
        byte[] longest = InetAddress.getByName("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").getAddress();
        int end = AddressText.write(longest, out, 3);
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", new String(out, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII));
        byte[] mixed = InetAddress.getByName("::255.255.255.255").getAddress();
        assertTrue(AddressText.write(mixed, out, 3) - 3 <= AddressText.MAX_LENGTH);
    }
}
