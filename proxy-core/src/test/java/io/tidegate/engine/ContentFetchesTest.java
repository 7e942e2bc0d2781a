package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigParser;
import io.tidegate.config.ParsedConfig;
import io.tidegate.config.ProxyRule;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The layer 6 fetches (req.len, req.payload, req.payload_lv, req.ssl_hello_type, req.ssl_sni,
 * req.ssl_ver, req.ssl_st_ext, req.rdp_cookie, req.rdp_cookie_cnt, wait_end) on request contents
 * as they arrive: HAProxy's documented values on complete input, "may change" (the rule waits) on
 * every truncation, and no value (never an exception or a range outside the bytes) on garbage.
 */
class ContentFetchesTest {
    private static final int CAPACITY = 16 * 1024;

    // ------------------------------------------------------------------ inputs

    /** A real ClientHello from the JDK's TLS client, naming {@code host}. */
    static byte[] jdkClientHello(String host) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        engine.setSSLParameters(p);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    /** A TLS 1.2 ClientHello written by hand with the given extensions (type, data). */
    static byte[] clientHello(Object... extensions) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (int i = 0; i < extensions.length; i += 2) {
            byte[] data = (byte[]) extensions[i + 1];
            u16(ext, (Integer) extensions[i]);
            u16(ext, data.length);
            ext.writeBytes(data);
        }
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(3);
        hello.write(3);
        hello.writeBytes(new byte[32]);                 // random
        hello.write(0);                                 // no session id
        u16(hello, 2);
        u16(hello, 0x002f);                             // one cipher
        hello.write(1);
        hello.write(0);                                 // null compression
        u16(hello, ext.size());
        hello.writeBytes(ext.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        record.write(3);
        record.write(1);
        u16(record, hello.size() + 4);
        record.write(1);
        record.write(0);
        u16(record, hello.size());
        record.writeBytes(hello.toByteArray());
        return record.toByteArray();
    }

    static byte[] sniExtension(String host) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        u16(e, name.length + 3);
        e.write(0);
        u16(e, name.length);
        e.writeBytes(name);
        return e.toByteArray();
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >> 8);
        o.write(v);
    }

    /** An RDP connection request (TPKT + X.224 CR) carrying {@code Cookie: COOKIE\r\n}. */
    static byte[] rdpRequest(String cookie) {
        byte[] line = ("Cookie: " + cookie + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] negotiation = {1, 0, 8, 0, 3, 0, 0, 0};
        int length = 11 + line.length + negotiation.length;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {3, 0, (byte) (length >> 8), (byte) length});
        o.writeBytes(new byte[] {(byte) (length - 5), (byte) 0xe0, 0, 0, 0, 0, 0});
        o.writeBytes(line);
        o.writeBytes(negotiation);
        return o.toByteArray();
    }

    static ByteBuffer buffer(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(CAPACITY);
        b.put(0, bytes);
        return b;
    }

    private static String text(ByteBuffer b, long range) {
        assertTrue(range >= 0, "a value");
        StringBuilder s = new StringBuilder();
        SampleFetch.appendRange(s, b, RequestContents.from(range), RequestContents.to(range));
        return s.toString();
    }

    // ------------------------------------------------------------------ decoders

    @Test
    void aJdkClientHelloGivesItsServerNameTypeAndVersion() throws Exception {
        byte[] hello = jdkClientHello("a.example");
        ByteBuffer b = buffer(hello);
        assertEquals("a.example", text(b, RequestContents.serverName(b, 0, hello.length)));
        assertEquals(1, RequestContents.helloType(b, 0, hello.length), "handshake type 1: ClientHello");
        assertEquals((3 << 16) + 3, RequestContents.sslVersion(b, 0, hello.length, CAPACITY),
                "the hello's version (TLS 1.2, also for a TLS 1.3 hello), not the record's");
        assertTrue(RequestContents.sessionTicket(b, 0, hello.length) >= 0);
    }

    @Test
    void everyTruncationOfAClientHelloWaitsAndNoneGivesAValue() throws Exception {
        byte[] hello = jdkClientHello("tidegate.example.org");
        ByteBuffer b = buffer(hello);
        for (int k = 0; k < hello.length; k++) {
            assertEquals(RequestContents.TOO_SHORT, RequestContents.serverName(b, 0, k), "sni, " + k + " bytes");
            assertEquals(RequestContents.TOO_SHORT, RequestContents.helloType(b, 0, k), "hello type, " + k + " bytes");
            assertEquals(RequestContents.TOO_SHORT, RequestContents.sessionTicket(b, 0, k), "st_ext, " + k + " bytes");
        }
        assertEquals("tidegate.example.org", text(b, RequestContents.serverName(b, 0, hello.length)));
        // at a non-zero start in the buffer, with more bytes after the hello (application data)
        ByteBuffer shifted = ByteBuffer.allocateDirect(CAPACITY);
        shifted.put(100, hello);
        shifted.put(100 + hello.length, new byte[] {0x17, 3, 3, 0, 1, 9});
        assertEquals("tidegate.example.org", text(shifted,
                RequestContents.serverName(shifted, 100, 100 + hello.length + 6)));
    }

    @Test
    void handWrittenHellosGiveDocumentedResults() {
        byte[] withTicket = clientHello(0, sniExtension("b.example"), 35, new byte[] {1, 2, 3});
        ByteBuffer b = buffer(withTicket);
        assertEquals("b.example", text(b, RequestContents.serverName(b, 0, withTicket.length)));
        assertEquals(2, RequestContents.sessionTicket(b, 0, withTicket.length), "a ticket: 2");
        byte[] emptyTicket = clientHello(35, new byte[0]);
        assertEquals(1, RequestContents.sessionTicket(buffer(emptyTicket), 0, emptyTicket.length), "empty: 1");
        byte[] noTicket = clientHello(10, new byte[] {0, 2, 0, 23});
        ByteBuffer n = buffer(noTicket);
        assertEquals(0, RequestContents.sessionTicket(n, 0, noTicket.length), "none: 0");
        assertEquals(RequestContents.NONE, RequestContents.serverName(n, 0, noTicket.length), "no SNI: no value");
        assertEquals((3 << 16) + 3, RequestContents.sslVersion(n, 0, noTicket.length, CAPACITY));
    }

    @Test
    void otherProtocolsAndGarbageHaveNoValue() {
        byte[] http = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = buffer(http);
        assertEquals(RequestContents.NONE, RequestContents.serverName(b, 0, http.length));
        assertEquals(RequestContents.NONE, RequestContents.helloType(b, 0, http.length));
        assertEquals(RequestContents.NONE, RequestContents.serverName(b, 0, 1), "one byte is enough to know");
        assertEquals(RequestContents.NONE, RequestContents.rdpCookie(b, 0, http.length, null));
        // a server name longer than its extension
        byte[] lying = clientHello(0, new byte[] {0, 8, 0, 0, 40, 'a', 'b', 'c', 'd', 'e'});
        assertEquals(RequestContents.NONE, RequestContents.serverName(buffer(lying), 0, lying.length));
    }

    @Test
    void randomAndMutatedInputNeverThrowsNorReadsOutside() throws Exception {
        Random random = new Random(16);
        byte[] hello = jdkClientHello("mutated.example");
        ByteBuffer b = ByteBuffer.allocateDirect(CAPACITY);
        for (int round = 0; round < 20_000; round++) {
            byte[] input;
            if (round % 2 == 0) {
                input = hello.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
                }
            } else {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) input[0] = 0x16;
            }
            int from = 7;
            b.put(from, input);
            int to = from + random.nextInt(input.length + 1);
            for (long v : new long[] {RequestContents.serverName(b, from, to), RequestContents.rdpCookie(b, from, to, null)}) {
                if (v >= 0) {
                    assertTrue(RequestContents.from(v) >= from && RequestContents.to(v) <= to
                            && RequestContents.from(v) <= RequestContents.to(v), "inside the bytes");
                }
            }
            RequestContents.helloType(b, from, to);
            RequestContents.sslVersion(b, from, to, CAPACITY);
            RequestContents.sessionTicket(b, from, to);
        }
    }

    @Test
    void anSslV2HelloGivesItsVersion() {
        // short header, CLIENT-HELLO, version 3.1, 3 bytes of ciphers, no session id, 16 bytes of challenge
        byte[] v2 = new byte[2 + 1 + 8 + 3 + 16];
        int rlen = 9 + 3 + 16;
        v2[0] = (byte) (0x80 | (rlen >> 8));
        v2[1] = (byte) rlen;
        v2[2] = 1;
        v2[3] = 3;
        v2[4] = 1;
        v2[6] = 3;
        v2[10] = 16;
        ByteBuffer b = buffer(v2);
        assertEquals((3 << 16) + 1, RequestContents.sslVersion(b, 0, v2.length, CAPACITY));
        assertEquals(RequestContents.TOO_SHORT, RequestContents.sslVersion(b, 0, v2.length - 1, CAPACITY));
    }

    @Test
    void rdpCookiesByNameOrAnyAtEverySplitPoint() {
        byte[] rdp = rdpRequest("mstshash=alice");
        ByteBuffer b = buffer(rdp);
        assertEquals("alice", text(b, RequestContents.rdpCookie(b, 0, rdp.length, "mstshash".getBytes())));
        assertEquals("alice", text(b, RequestContents.rdpCookie(b, 0, rdp.length, "MSTSHASH".getBytes())),
                "the name is compared ignoring case");
        assertEquals("alice", text(b, RequestContents.rdpCookie(b, 0, rdp.length, null)), "any cookie");
        assertEquals(RequestContents.NONE, RequestContents.rdpCookie(b, 0, rdp.length, "msts".getBytes()));
        int lineEnd = 11 + "Cookie: mstshash=alice\r\n".length();
        for (int k = 0; k < lineEnd; k++) {
            assertEquals(RequestContents.TOO_SHORT, RequestContents.rdpCookie(b, 0, k, "mstshash".getBytes()), k + " bytes");
        }
        assertEquals("alice", text(b, RequestContents.rdpCookie(b, 0, lineEnd, "mstshash".getBytes())));
    }

    // ------------------------------------------------------------------ fetches in rules, waiting

    /** The first tcp-request content rule's condition, compiled. */
    static RuleCondition contentCondition(String acls, String condition) throws Exception {
        ParsedConfig parsed = new ConfigParser().parse("t.cfg", """
                frontend f
                    mode tcp
                    bind 127.0.0.1:1
                    tcp-request inspect-delay 5s
                %s
                    tcp-request content accept if %s
                """.formatted(acls.indent(4), condition));
        assertTrue(parsed.problems().stream().noneMatch(p -> p.severity() == io.tidegate.config.Severity.ERROR),
                parsed.problems().toString());
        ProxyRule rule = parsed.config().proxies().get(0).rules(ProxyRule.Phase.TCP_CONTENT).stream()
                .filter(r -> r.action().equals("accept")).findFirst().orElseThrow();
        return RuleCondition.compile(rule.condition(), n -> null, null);
    }

    /** PASS, FAIL or MISS of the condition on the first {@code length} bytes of {@code input}. */
    static int test(String condition, byte[] input, int length, boolean isFinal) throws Exception {
        return test("", condition, input, length, isFinal);
    }

    static int test(String acls, String condition, byte[] input, int length, boolean isFinal) throws Exception {
        RuleCondition c = contentCondition(acls, condition);
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress("10.0.0.1", 1234), null);
        x.contents(buffer(input), 0, length, CAPACITY, isFinal);
        return RuleCondition.test(c, x);
    }

    static final int PASS = RuleCondition.PASS, FAIL = RuleCondition.FAIL, MISS = RuleCondition.MISS;

    @Test
    void sniRoutingConditionsWaitForTheWholeHello() throws Exception {
        byte[] hello = jdkClientHello("a.example");
        assertEquals(PASS, test("{ req_ssl_hello_type 1 }", hello, hello.length, false));
        assertEquals(MISS, test("{ req_ssl_hello_type 1 }", hello, hello.length - 1, false), "waits for the rest");
        assertEquals(FAIL, test("{ req_ssl_hello_type 1 }", hello, hello.length - 1, true), "at the end: no match");
        assertEquals(PASS, test("{ req.ssl_sni -i A.EXAMPLE }", hello, hello.length, false));
        assertEquals(PASS, test("{ req_ssl_sni -m end .example }", hello, hello.length, false));
        assertEquals(FAIL, test("{ req_ssl_sni_end .org }", hello, hello.length, false));
        byte[] www = jdkClientHello("www.b.example");
        assertEquals(PASS, test("{ req.ssl_sni -m end .b.example }", www, www.length, false));
        assertEquals(MISS, test("{ req.ssl_sni a.example }", hello, 10, false));
        assertEquals(PASS, test("!{ req.ssl_sni b.example }", hello, hello.length, false));
        assertEquals(MISS, test("!{ req.ssl_sni b.example }", hello, 10, false), "not 'maybe' is still 'maybe'");
        assertEquals(PASS, test("{ req.ssl_sni b.example } || { req_ssl_hello_type 1 }", hello, hello.length, false));
        assertEquals(MISS, test("{ req_ssl_hello_type 1 } { req.ssl_sni b.example }", hello, 10, false));
        assertEquals(FAIL, test("{ req.payload(0,1) -m bin 17 } { req_ssl_hello_type 1 }", hello, 10, false),
                "and: a certain 'no' decides while the other term waits");
    }

    @Test
    void versionsAreWrittenMajorDotMinor() throws Exception {
        byte[] hello = clientHello(0, sniExtension("v.example"));
        assertEquals(PASS, test("{ req_ssl_ver 3.3 }", hello, hello.length, false));
        assertEquals(PASS, test("{ req.ssl_ver 3.1:3.3 }", hello, hello.length, false));
        assertEquals(FAIL, test("{ req.ssl_ver 3.0 }", hello, hello.length, false));
    }

    @Test
    void lengthAndPayloadFetches() throws Exception {
        byte[] ping = "PING 1234\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(PASS, test("REQ_CONTENT", ping, 1, false));
        assertEquals(MISS, test("REQ_CONTENT", ping, 0, false), "nothing yet: may come");
        assertEquals(FAIL, test("REQ_CONTENT", ping, 0, true));
        assertEquals(MISS, test("{ req.len ge 5 }", ping, 4, false), "the length may still grow");
        assertEquals(PASS, test("{ req_len ge 5 }", ping, 5, false));
        assertEquals(PASS, test("{ req.payload(0,4) -m bin 50494e47 }", ping, ping.length, false), "-m bin is the default");
        assertEquals(PASS, test("{ req.payload(0,4) 50494E47 }", ping, 4, false));
        assertEquals(PASS, test("{ req.payload(0,4) -m str PING }", ping, 4, false));
        assertEquals(MISS, test("{ req.payload(0,4) -m str PING }", ping, 3, false));
        assertEquals(FAIL, test("{ req.payload(0,4) -m str PONG }", ping, 4, false), "the 4 bytes are there: final");
        assertEquals(PASS, test("{ req.payload(5,0) -m sub 23 }", ping, ping.length, false));
        assertEquals(MISS, test("{ req.payload(5,0) -m sub 99 }", ping, ping.length, false), "open-ended: may grow");
        assertEquals(FAIL, test("{ req.payload(5,0) -m sub 99 }", ping, ping.length, true));
        assertEquals(FAIL, test("{ req.payload(0,20000) -m found }", ping, ping.length, false),
                "larger than the buffer: never");
        // length-value: a 2-byte length at 0, the block after it
        byte[] lv = {0, 3, 'a', 'b', 'c', 'z'};
        assertEquals(PASS, test("{ req.payload_lv(0,2) -m str abc }", lv, lv.length, false));
        assertEquals(MISS, test("{ req.payload_lv(0,2) -m str abc }", lv, 4, false));
        assertEquals(PASS, test("{ req.payload_lv(0,2,+1) -m str bcz }", lv, lv.length, false), "relative offset");
        assertEquals(PASS, test("{ req.payload_lv(0,2,3) -m str bcz }", lv, lv.length, false), "absolute offset");
    }

    @Test
    void rdpCookieFetchesAndTheirAcls() throws Exception {
        byte[] rdp = rdpRequest("mstshash=alice");
        assertEquals(PASS, test("RDP_COOKIE", rdp, rdp.length, false));
        assertEquals(MISS, test("RDP_COOKIE", rdp, 20, false));
        assertEquals(PASS, test("{ req.rdp_cookie(mstshash) -m beg ali }", rdp, rdp.length, false));
        assertEquals(PASS, test("{ rdp_cookie_cnt(other) eq 0 }", rdp, rdp.length, false));
        byte[] other = "\u0003\u0000\u0000\u0013\u000e\u00e0\u0000\u0000\u0000\u0000\u0000hello world"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(FAIL, test("RDP_COOKIE", other, other.length, false), "no cookie line: certain");
    }

    @Test
    void waitEndWaitsUntilTheEnd() throws Exception {
        byte[] any = {1, 2, 3};
        assertEquals(MISS, test("WAIT_END", any, 3, false));
        assertEquals(PASS, test("WAIT_END", any, 3, true));
        assertEquals(PASS, test("{ req.len gt 1 } || WAIT_END", any, 3, false), "or: a certain yes decides");
    }

    @Test
    void withoutContentsTheFetchesFindNothing() throws Exception {
        RuleCondition c = contentCondition("", "{ req_ssl_hello_type 1 } || { req.len ge 0 }");
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress("10.0.0.1", 1234), null);
        assertEquals(FAIL, RuleCondition.test(c, x), "mode http: no raw contents, as HAProxy's HTX");
    }
}
