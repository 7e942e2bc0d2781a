package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tidegate.config.ConnectionMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.http.HeaderKind;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.MessageHead;
import io.tidegate.http.RequestHead;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Garbage Cookie headers through the persistence-cookie edits: the forwarded request is always a
 * well-formed request with the same request line and other headers, the persistence cookie never
 * reaches the server with indirect insert, a prefixed cookie always reaches it without its server
 * prefix, other cookies pass byte for byte, and the chosen server is the one the first cookie
 * names. A plain string split serves as the independent reading of the headers. In a normal build
 * Jazzer replays the stored inputs (resources ...Inputs/METHOD/) and a seeded random corpus runs as
 * a plain test; with JAZZER_FUZZ=1 Jazzer explores.
 */
class CookieFuzzTest extends EngineTestSupport {
    /** Pieces garbage is made of: cookie syntax, the persistence cookies' names and the servers' values. */
    private static final String[] TOKENS = {
        ";", "=", "\"", "~", " ", "\t", "|", ",", "SERVERID", "JSESSIONID", "A", "B", "A~", "x", "\n", "=\"A~1\""
    };

    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 9);

    private static RuntimeBackend backend(CookieSpec policy) {
        List<EnginePlan.Server> servers = List.of(EnginePlanServerBuilder.builder()
                .name("webA")
                .address(ANY)
                .weight(1)
                .cookie("A")
                .build(),
                EnginePlanServerBuilder.builder()
                        .name("webB")
                        .address(ANY)
                        .weight(1)
                        .cookie("B")
                        .build());
        return new RuntimeBackend(EnginePlanBackendBuilder.builder()
                .name("be")
                .balance("roundrobin")
                .servers(servers)
                .cookie(policy)
                .retries(3)
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build(), 1);
    }

    private static final RuntimeBackend INSERT = backend(CookieSpec.insert("SERVERID", true, true));
    private static final RuntimeBackend PREFIX = backend(CookieSpec.prefix("JSESSIONID"));

    @FuzzTest(maxDuration = "30s")
    void garbageCookieHeaders(byte[] data) throws Exception {
        check(cookieLines(data));
    }

    @FuzzTest(maxDuration = "30s")
    void garbageSetCookieHeaders(byte[] data) throws Exception {
        checkResponse(cookieLines(data));
    }

    @Test
    void seededRandomSetCookieHeaders() throws Exception {
        Random random = new Random(6266);
        for (int i = 0; i < 3_000; i++) {
            byte[] data = new byte[random.nextInt(48)];
            random.nextBytes(data);
            checkResponse(cookieLines(data));
        }
    }

    /**
     * Garbage Set-Cookie lines from the server: with insert, the client gets exactly one SERVERID, the
     * proxy's; with prefix, every JSESSIONID the server set gets "A~" before its value and nothing else
     * changes; other lines pass unchanged.
     */
    private static void checkResponse(List<String> lines) throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (String l : lines) head.append("Set-Cookie: ").append(l).append("\r\n");
        head.append("Content-Length: 0\r\n\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        io.tidegate.http.ResponseHead in = new io.tidegate.http.ResponseHead();
        try {
            in.parse(b, 0, MessageHead.findHeadEnd(b, 0, bytes.length, 502));
        } catch (HttpParseException e) {
            assertTrue(e.status() == 502, "a bad server head is a 502: " + e.status());
            return;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < in.headerCount(); i++) if (in.kind(i) == HeaderKind.SET_COOKIE) values.add(in.value(i));
        if (in.headerCount() >= MessageHead.MAX_HEADERS - 1) return;   // the inserted line would not parse back here

        CookieExchange insert = new CookieExchange();
        insert.readRequest(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), INSERT, 1_790_000_000L);
        List<String> got = setCookies(in, insert, INSERT.servers().get(0));
        List<String> expected = new ArrayList<>();
        for (String v : values) if (!"SERVERID".equals(setCookieName(v))) expected.add(v);
        expected.add("SERVERID=A; path=/");
        assertEquals(expected, got, "insert: the server's SERVERID lines are replaced by the proxy's: " + values);

        CookieExchange prefix = new CookieExchange();
        prefix.readRequest(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), PREFIX, 1_790_000_000L);
        got = setCookies(in, prefix, PREFIX.servers().get(0));
        expected = new ArrayList<>();
        for (String v : values) {
            if (!"JSESSIONID".equals(setCookieName(v))) {
                expected.add(v);
                continue;
            }
            int semi = v.indexOf(';');
            String pair = semi < 0 ? v : v.substring(0, semi);
            String value = strip(pair.substring(pair.indexOf('=') + 1));
            int at = pair.indexOf(value, pair.indexOf('=') + 1) + (isQuoted(value) ? 1 : 0);
            expected.add(v.substring(0, at) + "A~" + v.substring(at));
        }
        assertEquals(expected, got, "prefix: every JSESSIONID gets the server's prefix: " + values);
    }

    /** The cookie name of a Set-Cookie value (independent reading), or null for a pair without '='. */
    private static String setCookieName(String value) {
        int semi = value.indexOf(';');
        String pair = strip(semi < 0 ? value : value.substring(0, semi));
        int eq = pair.indexOf('=');
        return pair.isEmpty() || eq < 0 ? null : strip(pair.substring(0, eq));
    }

    private static List<String> setCookies(io.tidegate.http.ResponseHead in, CookieExchange x, RuntimeServer served)
            throws HttpParseException {
        boolean edits = x.readResponse(in, served);
        ByteBuffer out = ByteBuffer.allocateDirect(32 * 1024);
        HeadWriter.response(in, out, HeadWriter.ConnectionEdit.KEEP, edits ? x : null);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        io.tidegate.http.ResponseHead h = new io.tidegate.http.ResponseHead();
        h.parse(b, 0, MessageHead.findHeadEnd(b, 0, bytes.length, 502));
        List<String> l = new ArrayList<>();
        for (int i = 0; i < h.headerCount(); i++) if (h.kind(i) == HeaderKind.SET_COOKIE) l.add(h.value(i));
        return l;
    }

    @Test
    void seededRandomCookieHeaders() throws Exception {
        Random random = new Random(6265);
        for (int i = 0; i < 3_000; i++) {
            byte[] data = new byte[random.nextInt(48)];
            random.nextBytes(data);
            check(cookieLines(data));
        }
    }

    @Test
    void handPickedMalformedHeaders() throws Exception {
        for (String v : List.of("SERVERID", "SERVERID=", "=SERVERID=A", "SERVERID==A", "SERVERID=\"A", "\"SERVERID=A\"",
                "JSESSIONID=~", "JSESSIONID=\"~\"", "JSESSIONID=A~", "JSESSIONID = A~1 ;;", ";;;", " ", "a=1,SERVERID=A",
                "SERVERID=A|", "SERVERID=A|@@@@@|", "JSESSIONID=\"A~1", "JSESSIONID=A~\"1\"")) {
            check(List.of(v));
        }
    }

    @Test
    void garbageCookiesThroughARunningEngine() throws Exception {
        RecordingBackend a = track(new RecordingBackend("A"));
        RecordingBackend b = track(new RecordingBackend("B"));
        int port = GuideConfigs.freePort();
        track(GuideConfigs.start("""
                listen web 127.0.0.1:%d
                    mode http
                    cookie SERVERID insert indirect nocache
                    server webA 127.0.0.1:%d cookie A
                    server webB 127.0.0.1:%d cookie B
                """.formatted(port, a.port(), b.port())));
        Random random = new Random(2109);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < 200; i++) {
                byte[] data = new byte[random.nextInt(40)];
                random.nextBytes(data);
                StringBuilder head = new StringBuilder("GET /g HTTP/1.1\r\nHost: lb\r\n");
                for (String l : cookieLines(data)) head.append("Cookie: ").append(l).append("\r\n");
                c.send(head.append("\r\n").toString());
                RawClient.Response r = c.read();
                assertEquals(200, r.status(), "a malformed cookie never breaks the request: " + head);
                RecordingBackend.Seen seen = (r.header("X-Server").equals("A") ? a : b).take();
                for (String[] p : pairs(seen.all("Cookie"))) {
                    assertNotEquals("SERVERID", p[0], "the server never sees the persistence cookie: " + head);
                }
            }
        }
    }

    /** Cookie header values built from the fuzzer's bytes ("\n" starts another Cookie line). */
    private static List<String> cookieLines(byte[] data) {
        StringBuilder b = new StringBuilder();
        for (byte d : data) {
            int v = d & 0xff;
            if (v >= 0x80) b.append((char) (0x21 + (v - 0x80) % 0x5e));     // any visible ASCII
            else b.append(TOKENS[v % TOKENS.length]);
        }
        return List.of(b.toString().split("\n", -1));
    }

    private static void check(List<String> lines) throws Exception {
        StringBuilder head = new StringBuilder("GET /p HTTP/1.1\r\nHost: h\r\n");
        for (String l : lines) head.append("Cookie: ").append(l).append("\r\n");
        head.append("X-After: 1\r\n\r\n");
        RequestHead in;
        try {
            in = parse(head.toString());
        } catch (HttpParseException e) {
            assertTrue(e.status() == 400 || e.status() == 431, "only a bad header line or too many lines: " + e.status());
            return;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < in.headerCount(); i++) if (in.kind(i) == HeaderKind.COOKIE) values.add(in.value(i));
        checkInsertIndirect(in, values);
        checkPrefix(in, values);
    }

    private static void checkInsertIndirect(RequestHead in, List<String> values) throws Exception {
        CookieExchange x = new CookieExchange();
        RuntimeServer chosen = x.readRequest(in, INSERT, 1_790_000_000L);
        List<String[]> pairs = pairs(values);
        String first = firstValue(pairs, "SERVERID");
        if (first == null) {
            assertNull(chosen);
        } else {
            String key = unquote(first);
            int bar = key.indexOf('|');
            if (bar >= 0) key = key.substring(0, bar);
            assertEquals(key.equals("A") || key.equals("B") ? "web" + key : null, chosen == null ? null : chosen.name(),
                    "the first SERVERID decides: " + values);
        }
        RequestHead out = forward(in, x);
        List<String[]> forwarded = pairs(cookieValues(out));
        for (String[] p : forwarded) assertNotEquals("SERVERID", p[0], "never sent to the server: " + values);
        List<String> expectedOthers = new ArrayList<>();
        for (String[] p : pairs) if (!p[0].equals("SERVERID")) expectedOthers.add(p[2]);
        assertEquals(expectedOthers, raw(forwarded), "other cookies pass unchanged");
    }

    private static void checkPrefix(RequestHead in, List<String> values) throws Exception {
        CookieExchange x = new CookieExchange();
        RuntimeServer chosen = x.readRequest(in, PREFIX, 1_790_000_000L);
        List<String[]> pairs = pairs(values);
        String first = firstValue(pairs, "JSESSIONID");
        String expectedServer = null;
        if (first != null) {
            String v = unquote(first);
            int tilde = v.indexOf('~');
            if (tilde >= 0 && (v.substring(0, tilde).equals("A") || v.substring(0, tilde).equals("B"))) {
                expectedServer = "web" + v.substring(0, tilde);
            }
        }
        assertEquals(expectedServer, chosen == null ? null : chosen.name(), "the first JSESSIONID decides: " + values);
        RequestHead out = forward(in, x);
        List<String> expected = new ArrayList<>();
        for (String[] p : pairs) {
            if (!p[0].equals("JSESSIONID")) {
                expected.add(p[2]);
                continue;
            }
            String v = p[1];
            boolean quoted = isQuoted(v);
            String inner = quoted ? v.substring(1, v.length() - 1) : v;
            int tilde = inner.indexOf('~');
            if (tilde >= 0) inner = inner.substring(tilde + 1);      // the server prefix is gone
            String name = p[2].substring(0, p[2].length() - p[1].length());
            expected.add(strip(name + (quoted ? "\"" + inner + "\"" : inner)));    // as read back: blanks trimmed
        }
        assertEquals(expected, raw(pairs(cookieValues(out))), "prefix stripped, the rest unchanged: " + values);
    }

    private static RequestHead forward(RequestHead in, CookieExchange x) throws HttpParseException {
        ByteBuffer out = ByteBuffer.allocateDirect(32 * 1024);
        HeadWriter.request(in, out, HeadWriter.ConnectionEdit.KEEP, null, x.editsRequest() ? x : null);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        RequestHead h = parse(text);
        assertEquals("GET /p HTTP/1.1", h.requestLine());
        assertTrue(text.startsWith("GET /p HTTP/1.1\r\nHost: h\r\n") && text.endsWith("X-After: 1\r\n\r\n"),
                "other headers are untouched: " + text);
        return h;
    }

    private static RequestHead parse(String text) throws HttpParseException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        RequestHead h = new RequestHead();
        int end = MessageHead.findHeadEnd(b, 0, bytes.length, 431);
        assertTrue(end > 0);
        h.parse(b, 0, end);
        return h;
    }

    private static List<String> cookieValues(RequestHead h) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < h.headerCount(); i++) if (h.kind(i) == HeaderKind.COOKIE) l.add(h.value(i));
        return l;
    }

    /** {name, value, pair as written} per cookie: split on ';', blanks trimmed; a pair without '=' has no name. */
    private static List<String[]> pairs(List<String> headerValues) {
        List<String[]> out = new ArrayList<>();
        for (String v : headerValues) {
            for (String part : v.split(";", -1)) {
                String pair = strip(part);
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq < 0) out.add(new String[] {"", pair, pair});
                else out.add(new String[] {strip(pair.substring(0, eq)), strip(pair.substring(eq + 1)), pair});
            }
        }
        return out;
    }

    private static List<String> raw(List<String[]> pairs) {
        List<String> l = new ArrayList<>();
        for (String[] p : pairs) l.add(p[2]);
        return l;
    }

    private static String firstValue(List<String[]> pairs, String name) {
        for (String[] p : pairs) if (p[0].equals(name)) return p[1];
        return null;
    }

    private static boolean isQuoted(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"");
    }

    private static String unquote(String v) {
        return isQuoted(v) ? v.substring(1, v.length() - 1) : v;
    }

    private static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) a++;
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) b--;
        return s.substring(a, b);
    }
}
