package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tcp-request inspect-delay, the layer 6 fetches and balance rdp-cookie in the configuration: what
 * loads, and the errors (file:line:column, what was expected) and warnings for what does not.
 */
class ContentInspectionConfigTest {

    private static final String HEAD = "frontend f\n mode tcp\n bind :443\n";
    private static final String TAIL = " default_backend b\nbackend b\n mode tcp\n server s 127.0.0.1:1\n";

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("bad.cfg", text).problems()).stream()
                .map(ConfigProblem::toString).toList();
    }

    private static List<String> warnings(String text) {
        return TestConfigs.parse("w.cfg", text).problems().stream()
                .filter(p -> p.severity() == Severity.WARNING).map(ConfigProblem::toString).toList();
    }

    @Test
    void theTlsPassthroughAndRdpPatternsLoad() {
        String text = HEAD + " tcp-request inspect-delay 5s\n"
                + " tcp-request content accept if { req_ssl_hello_type 1 }\n"
                + " tcp-request content accept if RDP_COOKIE || REQ_CONTENT || WAIT_END\n"
                + " acl v req.ssl_ver 3.1:3.3\n acl t req.ssl_st_ext 2\n acl lv req.payload_lv(0,2,+1) -m found\n"
                + " acl p req.payload(0,3) -m bin 160301\n acl c rdp_cookie_cnt(mstshash) gt 0\n"
                + " acl n req.rdp_cookie(mstshash) -m beg a\n acl l req_len ge 5\n"
                + " use_backend b if { req_ssl_sni -i a.example } || { req.ssl_sni_end .b.example } v t lv p c n l\n"
                + " use_backend %[req.ssl_sni,lower]\n" + TAIL + " balance rdp-cookie(msts)\n";
        ParsedConfig p = TestConfigs.parse("ok.cfg", text);
        assertEquals(List.of(), TestConfigs.errors(p.problems()));
        ProxySection f = p.config().proxy("f").orElseThrow();
        AclDef v = f.rules(ProxyRule.Phase.ACL).get(0).acl();
        assertEquals(List.of(((3L << 16) + 1) + ":" + ((3L << 16) + 3)), v.patterns(), "MAJOR.MINOR as the fetch's integer");
        assertEquals(AclMatch.BIN, f.rules(ProxyRule.Phase.ACL).get(3).acl().method(), "binary fetches match -m bin");
        assertEquals("5000", f.rules(ProxyRule.Phase.TCP_CONTENT).get(0).param("delay"));
        assertEquals(List.of(), warnings(text).stream().filter(w -> w.contains("inspect-delay")).toList());
    }

    @Test
    void contentRulesWithoutInspectDelayAreLoadedWithAWarning() {
        assertEquals(List.of("w.cfg:4:2: warning: a 'tcp-request content' rule explicitly depending on request "
                        + "contents without any 'tcp-request inspect-delay' setting: it is evaluated once, on what "
                        + "arrived with the connection, and will randomly find its contents. Set 'tcp-request "
                        + "inspect-delay' in frontend 'f'"),
                warnings(HEAD + " tcp-request content accept if { req_ssl_hello_type 1 }\n" + TAIL));
        assertEquals(List.of(), warnings(HEAD + " tcp-request content accept if { src 10.0.0.0/8 }\n" + TAIL),
                "a rule on the connection only needs no delay");
        assertEquals(List.of("w.cfg:5:2: warning: ignoring tcp-request inspect-delay (was already defined) in frontend 'f'"),
                warnings(HEAD + " tcp-request inspect-delay 5s\n tcp-request inspect-delay 1s\n" + TAIL));
    }

    @Test
    void errorsSayWhereAndWhatWasExpected() {
        assertEquals(List.of("bad.cfg:4:37: error: fetch 'req.payload' reads the request contents, which are "
                        + "available in 'tcp-request content', 'use_backend' and 'stick' rules only"),
                errors(HEAD + " tcp-request connection reject if { req.payload(0,1) -m bin 00 }\n" + TAIL));
        assertEquals(List.of("bad.cfg:5:23: error: fetch 'req.ssl_sni' (ACL 'x') reads the request contents, which "
                        + "are available in 'tcp-request content', 'use_backend' and 'stick' rules only"),
                errors("frontend f\n mode http\n bind :80\n acl x req.ssl_sni a\n http-request deny if x\n"
                        + " default_backend b\nbackend b\n server s 127.0.0.1:1\n"));
        assertEquals(List.of("bad.cfg:4:51: error: invalid binary pattern '1603z1' for -m bin: expected pairs of "
                        + "hexadecimal digits, e.g. 160301"),
                errors(HEAD + " tcp-request content reject if { req.payload(0,3) 1603z1 }\n" + TAIL));
        assertEquals(List.of("bad.cfg:4:34: error: argument 2 of 'req.payload' must be a non-negative integer, got '-1'"),
                errors(HEAD + " tcp-request content reject if { req.payload(0,-1) -m found }\n" + TAIL));
        assertEquals(List.of("bad.cfg:4:34: error: the length of 'req.payload_lv' (argument 2) must be 1 to 4 bytes, "
                        + "got 8"),
                errors(HEAD + " tcp-request content reject if { req.payload_lv(0,8) -m found }\n" + TAIL));
        assertEquals(List.of("bad.cfg:4:21: error: fetch 'req.payload' takes 2 argument(s) in parentheses, got 1"),
                errors(HEAD + " use_backend b if { req.payload(0) -m found }\n" + TAIL));
        assertTrue(errors(HEAD + " tcp-request inspect-delay soon\n" + TAIL).get(0).startsWith(
                "bad.cfg:4:28: error: 'tcp-request inspect-delay' expects a positive delay in milliseconds or with "
                        + "a unit (e.g. 5s): invalid time 'soon'"), errors(HEAD + " tcp-request inspect-delay soon\n" + TAIL).toString());
        assertEquals(List.of("bad.cfg:8:10: error: rdp-cookie : missing cookie name (write 'rdp-cookie' for mstshash "
                        + "or 'rdp-cookie(NAME)')"),
                errors(HEAD + TAIL + " balance rdp-cookie()\n"));
    }

    @Test
    void persistRdpCookieLoadsIsWrittenBackAndSaysWhatItExpects() {
        String text = "listen tse\n mode tcp\n bind :3389\n tcp-request inspect-delay 5s\n"
                + " tcp-request content accept if RDP_COOKIE\n persist rdp-cookie\n balance rdp-cookie\n"
                + " server s 127.0.0.1:1\nbackend named\n mode tcp\n persist rdp-cookie(user)\n server t 127.0.0.1:2\n";
        Config c = TestConfigs.parseClean("ok.cfg", text);
        assertEquals("msts", c.effective(c.proxy("tse").orElseThrow()).persistRdpCookie(), "HAProxy's default name");
        assertEquals("user", c.effective(c.proxy("named").orElseThrow()).persistRdpCookie());
        String written = ConfigWriter.write(c);
        assertEquals(c, TestConfigs.parseClean("ok.cfg", written), written);
        assertEquals(List.of("bad.cfg:8:10: error: 'persist rdp-cookie(name)' requires an rdp cookie name"),
                errors(HEAD + TAIL + " persist rdp-cookie()\n"));
        assertEquals(List.of("bad.cfg:8:10: error: unknown persist method 'cookie'; expected rdp-cookie or rdp-cookie(NAME)"),
                errors(HEAD + TAIL + " persist cookie\n"));
    }
}
