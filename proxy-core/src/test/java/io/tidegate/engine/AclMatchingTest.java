package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigParser;
import io.tidegate.config.ParsedConfig;
import io.tidegate.config.ProxyRule;
import io.tidegate.config.ProxySection;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches, matching methods and operators of ACLs against parsed heads, with HAProxy's documented results. */
class AclMatchingTest {

    /** Whether {@code if COND} of an http-request rule holds for the request, with the given ACL lines. */
    static boolean holds(String acls, String condition, String request) throws Exception {
        return holds(acls, condition, request, "10.1.2.3");
    }

    static boolean holds(String acls, String condition, String request, String client) throws Exception {
        ParsedConfig parsed = new ConfigParser().parse("t.cfg", """
                frontend f
                    mode http
                    bind 127.0.0.1:1
                %s
                    http-request deny if %s
                """.formatted(acls.indent(4), condition));
        assertTrue(parsed.problems().stream().noneMatch(p -> p.severity() == io.tidegate.config.Severity.ERROR),
                parsed.problems().toString());
        ProxySection p = parsed.config().proxies().get(0);
        ProxyRule rule = p.rules(ProxyRule.Phase.HTTP_REQUEST).get(0);
        RuleCondition c = RuleCondition.compile(rule.condition(), n -> null, null);
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress(client, 5555), null);
        x.beginRequest(parse(request));
        return RuleCondition.applies(c, x);
    }

    static RequestHead parse(String request) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 16);
        b.put(new byte[7]).put(bytes);
        RequestHead h = new RequestHead();
        h.parse(b, 7, 7 + bytes.length);
        return h;
    }

    static String get(String target, String... headers) {
        StringBuilder s = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: www.example.com\r\n");
        for (String h : headers) s.append(h).append("\r\n");
        return s.append("\r\n").toString();
    }

    @Test
    void pathFetchesAndDerivedNames() throws Exception {
        assertTrue(holds("acl a path_beg /api/", "a", get("/api/users")));
        assertFalse(holds("acl a path_beg /api/", "a", get("/index.html")));
        assertFalse(holds("acl a path_beg /api/ /v2", "a", get("/apx")));
        assertTrue(holds("acl a path_beg /api/ /v2", "a", get("/v2/x")));
        assertTrue(holds("acl a path_end .css .js", "a", get("/site.css?v=3")), "path stops at '?'");
        assertFalse(holds("acl a path_end .css .js", "a", get("/index.html")));
        assertTrue(holds("acl a path /exact", "a", get("/exact")));
        assertFalse(holds("acl a path /exact", "a", get("/exact/")));
        assertTrue(holds("acl a path_sub adm", "a", get("/x/admin/y")));
        assertTrue(holds("acl a path_reg ^/user/[0-9]+$", "a", get("/user/42")));
        assertFalse(holds("acl a path_reg ^/user/[0-9]+$", "a", get("/user/4x2")));
        assertTrue(holds("acl a path_dir admin", "a", get("/x/admin/y")));
        assertFalse(holds("acl a path_dir admin", "a", get("/x/administrator")));
        assertTrue(holds("acl a path -m beg /api", "a", get("/api")));
        assertTrue(holds("acl a path_len gt 10", "a", get("/a-long-path")));
        assertTrue(holds("acl a path /abs", "a", get("http://www.example.com/abs?x")), "absolute-form target");
    }

    @Test
    void urlQueryMethodAndParams() throws Exception {
        assertTrue(holds("acl a url_beg /a?b", "a", get("/a?b=1")));
        assertTrue(holds("acl a url_sub b=1", "a", get("/a?b=1")));
        assertTrue(holds("acl a query -m sub debug", "a", get("/a?x=1&debug=true")));
        assertFalse(holds("acl a query -m found", "a", get("/a")));
        assertTrue(holds("acl a url_param(user) joe", "a", get("/a?x=1&user=joe")));
        assertFalse(holds("acl a url_param(user) joe", "a", get("/a?x=1&userx=joe")));
        assertTrue(holds("acl a method POST", "a", "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(holds("", "METH_GET", "HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n"), "METH_GET is GET or HEAD");
        assertFalse(holds("", "METH_POST", get("/x")));
        assertTrue(holds("", "HTTP_1.1", get("/x")));
        assertTrue(holds("", "HTTP_1.0", "GET / HTTP/1.0\r\n\r\n"));
        assertTrue(holds("", "TRUE", get("/x")));
        assertFalse(holds("", "FALSE", get("/x")));
        assertTrue(holds("", "HTTP_URL_SLASH", get("/x")));
        assertTrue(holds("", "HTTP_CONTENT", "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n"));
    }

    @Test
    void headersAndCookies() throws Exception {
        assertTrue(holds("acl a hdr(host) -i WWW.example.com", "a", get("/")));
        assertFalse(holds("acl a hdr(host) WWW.example.com", "a", get("/")), "case matters without -i");
        assertTrue(holds("acl a hdr_dom(host) -i example.com", "a", get("/")));
        assertFalse(holds("acl a hdr_dom(host) -i ample.com", "a", get("/")), "dom matches whole labels");
        assertTrue(holds("acl a hdr_beg(host) www.", "a", get("/")));
        assertTrue(holds("acl a hdr_end(host) .com", "a", get("/")));
        assertTrue(holds("acl a hdr_sub(user-agent) -i bot", "a", get("/", "User-Agent: GoogleBot/2")));
        assertTrue(holds("acl a hdr_reg(x-id) ^[a-f0-9]{4}$", "a", get("/", "X-Id: beef")));
        assertTrue(holds("acl a hdr(accept) text/html", "a", get("/", "Accept: image/png, text/html")),
                "hdr splits comma-separated values");
        assertFalse(holds("acl a fhdr(accept) text/html", "a", get("/", "Accept: image/png, text/html")),
                "fhdr does not");
        assertTrue(holds("acl a hdr_cnt(x-f) eq 3", "a", get("/", "X-F: 1, 2", "X-F: 3")));
        assertTrue(holds("acl a hdr_cnt(x-f) eq 0", "a", get("/")));
        assertTrue(holds("acl a req.hdr(x-f) -m found", "a", get("/", "X-F: 1")));
        assertFalse(holds("acl a req.hdr(x-f) -m found", "a", get("/")));
        assertTrue(holds("acl a hdr(x-f,-1) 3", "a", get("/", "X-F: 1, 2", "X-F: 3")), "last occurrence");
        assertTrue(holds("acl a req.cook(sid) abc", "a", get("/", "Cookie: x=1; sid=abc; y=2")));
        assertFalse(holds("acl a req.cook(sid) abc", "a", get("/", "Cookie: xsid=abc")));
        assertTrue(holds("acl a req.cook(sid) -m found", "a", get("/", "Cookie: a=b", "Cookie: sid=")));
        assertTrue(holds("acl a hdr(host),lower www.example.com", "a", get("/").replace("www.example.com",
                "WWW.Example.COM")), "lower converter");
        assertTrue(holds("acl a path,upper -m beg /API", "a", get("/api/x")), "upper converter");
        assertFalse(holds("acl a hdr(host),lower WWW.example.com", "a", get("/")));
    }

    /**
     * The matching methods named with {@code -m}, the plain {@code url} fetch and {@code -f} pattern
     * files; every case gave the same answer from Debian's haproxy 2.6.12 on the same requests.
     */
    @Test
    void explicitMatchingMethodsAndPatternFiles(@TempDir Path dir) throws Exception {
        assertTrue(holds("acl a path -m str /x", "a", get("/x")));
        assertFalse(holds("acl a path -m str /x", "a", get("/x/")), "str is the whole value");
        assertTrue(holds("acl a path -m end .jpg .png", "a", get("/img/a.png")));
        assertFalse(holds("acl a path -m end .jpg .png", "a", get("/img/a.png/x")));
        assertTrue(holds("acl a hdr(host) -m reg ^www\\.", "a", get("/")));
        assertFalse(holds("acl a hdr(host) -m reg ^example", "a", get("/")), "reg is not anchored by itself, "
                + "but ^ is");
        assertTrue(holds("acl a hdr(host) -m reg example", "a", get("/")), "unanchored regex matches inside");
        assertTrue(holds("acl a hdr(host) -m dom example.com", "a", get("/")));
        assertFalse(holds("acl a hdr(host) -m dom ample.com", "a", get("/")), "dom matches whole labels");
        assertTrue(holds("acl a hdr(referer) -m dom www", "a", get("/", "Referer: http://www.example.com/x")),
                "'/' and '.' both delimit labels");
        assertTrue(holds("acl a url /a?b=1", "a", get("/a?b=1")), "url is the whole target, query included");
        assertFalse(holds("acl a url /a", "a", get("/a?b=1")));

        Path file = dir.resolve("blocked.lst");
        Files.writeString(file, "# blocked paths\n/admin\n  /private\n #hash\n");
        assertTrue(holds("acl a path -f " + file, "a", get("/admin")));
        assertTrue(holds("acl a path -f " + file, "a", get("/private")), "leading spaces are dropped");
        assertTrue(holds("acl a hdr(x-p) -f " + file, "a", get("/", "X-P: #hash")), "' #hash' is a pattern");
        assertFalse(holds("acl a hdr(x-p) -f " + file, "a", get("/", "X-P: # blocked paths")),
                "a line starting with '#' is a comment");
        assertFalse(holds("acl a path -f " + file, "a", get("/ADMIN")));
        assertTrue(holds("acl a path -i -f " + file, "a", get("/ADMIN")), "-i applies to the file's patterns");
        assertTrue(holds("acl a path -f " + file + " /extra", "a", get("/extra")), "file and inline patterns add up");
    }

    @Test
    void sourceNetworksAndIntegers() throws Exception {
        assertTrue(holds("acl lan src 10.0.0.0/8 192.168.0.0/16", "lan", get("/"), "10.9.9.9"));
        assertFalse(holds("acl lan src 10.0.0.0/8 192.168.0.0/16", "lan", get("/"), "11.0.0.1"));
        assertTrue(holds("acl lan src 10.0.0.0/255.0.0.0", "lan", get("/"), "10.9.9.9"));
        assertTrue(holds("acl six src 2001:db8::/32", "six", get("/"), "2001:db8::1"));
        assertFalse(holds("acl six src 2001:db8::/32", "six", get("/"), "2001:db9::1"));
        assertTrue(holds("", "LOCALHOST", get("/"), "127.0.0.1"));
        assertTrue(holds("", "LOCALHOST", get("/"), "::1"));
        assertFalse(holds("", "LOCALHOST", get("/"), "10.0.0.1"));
        assertTrue(holds("acl big hdr_val(content-length) ge 1000", "big",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n"));
        assertTrue(holds("acl r hdr_val(x-n) 5:10", "r", get("/", "X-N: 7")));
        assertFalse(holds("acl r hdr_val(x-n) 5:10", "r", get("/", "X-N: 11")));
        assertTrue(holds("acl r hdr_val(x-n) lt 0", "r", get("/", "X-N: -3")));
        assertFalse(holds("", "{ ssl_fc }", get("/")), "no TLS: ssl_fc is false");
        assertTrue(holds("", "!{ ssl_fc }", get("/")));
    }

    @Test
    void operatorsOfConditions() throws Exception {
        String acls = "acl a path_beg /a\nacl b hdr(host) -i www.example.com\nacl c method POST";
        assertTrue(holds(acls, "a b", get("/a")), "implicit AND");
        assertFalse(holds(acls, "a c", get("/a")));
        assertTrue(holds(acls, "c || a", get("/a")), "OR");
        assertTrue(holds(acls, "c or a", get("/a")));
        assertTrue(holds(acls, "! c", get("/a")));
        assertTrue(holds(acls, "!c a", get("/a")), "'!name' in one word");
        assertFalse(holds(acls, "a !b", get("/a")));
        assertTrue(holds(acls, "c || a b", get("/a")), "AND binds tighter than OR");
        assertTrue(holds("acl x path /1\nacl x path /2", "x", get("/2")), "ACLs of one name are OR-ed");
        assertTrue(holds("acl a path_beg /a", "{ path_beg /a } { method GET }", get("/a/b")));
    }

    @Test
    void unlessInvertsAndResponseFetches() throws Exception {
        ParsedConfig parsed = new ConfigParser().parse("t.cfg", """
                frontend f
                    mode http
                    bind 127.0.0.1:1
                    acl ok status 200:299
                    http-response deny unless ok
                    http-response set-header X 1 if { res.hdr(content-type) -m beg text/ }
                """);
        assertTrue(parsed.problems().stream().noneMatch(p -> p.severity() == io.tidegate.config.Severity.ERROR),
                parsed.problems().toString());
        List<ProxyRule> rules = parsed.config().proxies().get(0).rules(ProxyRule.Phase.HTTP_RESPONSE);
        RuleCondition deny = RuleCondition.compile(rules.get(0).condition(), n -> null, null);
        RuleCondition text = RuleCondition.compile(rules.get(1).condition(), n -> null, null);
        ExchangeFacts x = new ExchangeFacts(new InetSocketAddress("10.0.0.1", 1), null);
        x.beginRequest(parse(get("/")));
        x.rsp = response("HTTP/1.1 204 No Content\r\nContent-Type: text/html\r\n\r\n");
        x.responseSide = true;
        assertFalse(RuleCondition.applies(deny, x));
        assertTrue(RuleCondition.applies(text, x));
        x.rsp = response("HTTP/1.1 500 Oops\r\nContent-Type: image/png\r\nContent-Length: 0\r\n\r\n");
        assertTrue(RuleCondition.applies(deny, x));
        assertFalse(RuleCondition.applies(text, x));
    }

    private static ResponseHead response(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        ResponseHead h = new ResponseHead();
        h.parse(b, 0, bytes.length);
        return h;
    }
}
