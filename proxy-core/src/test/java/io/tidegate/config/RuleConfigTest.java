package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of ACLs, conditions and rules: the model, errors at file:line:column, warnings, round trip. */
class RuleConfigTest {

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("bad.cfg", text).problems()).stream()
                .map(ConfigProblem::toString).toList();
    }

    private static final String HEAD = "frontend f\n mode http\n bind :80\n";

    @Test
    void aclLinesBecomeDefinitionsWithImpliedMethodsAndIntRanges() {
        ParsedConfig p = TestConfigs.parse("ok.cfg", HEAD + " acl api path_beg -i /api /v2\n"
                + " acl big hdr_cnt(x) gt 3\n acl lan src 10.0.0.0/8\n use_backend b if api big || lan\n"
                + " default_backend b\nbackend b\n mode http\n server s 127.0.0.1:1\n");
        assertEquals(List.of(), TestConfigs.errors(p.problems()));
        ProxySection f = p.config().proxy("f").orElseThrow();
        AclDef api = f.rules(ProxyRule.Phase.ACL).get(0).acl();
        assertEquals("path", api.fetch());
        assertEquals(AclMatch.BEG, api.method());
        assertTrue(api.ignoreCase());
        assertEquals(List.of("/api", "/v2"), api.patterns());
        assertEquals(List.of("4:"), f.rules(ProxyRule.Phase.ACL).get(1).acl().patterns(), "gt 3 = 4 and above");
        Condition c = f.rules(ProxyRule.Phase.SWITCHING).get(0).condition();
        assertEquals(2, c.alternatives().size());
        assertEquals(2, c.alternatives().get(0).size());
        assertEquals(List.of("b"), f.conditionalBackends());
    }

    @Test
    void errorsNameFileLineColumnAndWhatWasExpected() {
        assertEquals(List.of("bad.cfg:4:10: error: unknown or unsupported fetch 'pathz_beg' (supported: "
                        + AclFetches.supportedNames() + ")"),
                errors(HEAD + " acl a   pathz_beg /x\n"));
        assertEquals(List.of("bad.cfg:4:14: error: invalid address or network '10.0.0.300' (expected an IPv4/IPv6 "
                        + "address, ADDRESS/BITS or ADDRESS/MASK)"),
                errors(HEAD + " acl lan src 10.0.0.300\n"));
        assertEquals(List.of("bad.cfg:4:23: error: '{' without a closing '}' (write spaces around the braces)"),
                errors(HEAD + " http-request deny if { path_beg /x\n"));
        assertEquals(List.of("bad.cfg:4:15: error: 'http-request tarpit' is not supported yet; supported "
                        + "http-request actions: add-header, allow, auth, del-header, deny, redirect, replace-header, "
                        + "replace-value, return, set-header, set-path, set-query, set-uri, use-service"),
                errors(HEAD + " http-request tarpit if TRUE\n"));
        assertEquals(List.of("bad.cfg:4:28: error: unknown ACL 'nope' in frontend 'f' (declare it with 'acl nope ...' "
                        + "before this line)"),
                errors(HEAD + " http-request deny if TRUE nope\n"));
        assertEquals(List.of("bad.cfg:4:28: error: redirect code must be 301, 302, 303, 307 or 308"),
                errors(HEAD + " redirect location /x code 200 if TRUE\n"));
        assertEquals(List.of("bad.cfg:4:35: error: invalid regular expression '^(x': Unclosed group"),
                errors(HEAD + " http-request replace-header Host ^(x y\n"));
        assertEquals(List.of("bad.cfg:5:35: error: fetch 'path' (ACL 'p') reads the HTTP request, which is not "
                        + "available in a tcp-request rule"),
                errors(HEAD + " acl p path /\n tcp-request connection reject if p\n"));
        assertEquals(List.of("bad.cfg:4:18: error: unknown or unsupported converter 'sha1' (supported: "
                        + ConverterSpec.supportedNames() + ")"),
                errors(HEAD + " acl a hdr(host),sha1 foo\n"));
        assertEquals(List.of("bad.cfg:4:24: error: converter 'field' takes 2 to 3 argument(s), got 1"),
                errors(HEAD + " acl a hdr(host),lower,field(1) foo\n"));
        assertEquals(List.of(), errors(HEAD + " acl a hdr(host),json,regsub(a,b,g),length gt 3\n"));
        assertEquals(List.of(), errors(HEAD + " stick-table type string size 1k\n"
                + " http-request track-sc0 req.hdr(x-forwarded-for),field(1,\\,),ipmask(24)\n"
                + " http-request set-var(txn.h) req.hdr(host),lower\n"));
    }

    /**
     * {@code -f FILE} reads patterns as HAProxy 2.6 does (checked side by side with Debian's
     * haproxy 2.6.12 on this very file): {@code #} starts a comment only in the first column,
     * leading spaces and tabs are dropped, trailing spaces stay, CR ends the pattern, lines left
     * empty are skipped.
     */
    @Test
    void patternFilesAreReadAsHaproxyReadsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pats.txt");
        Files.write(file, "/a\n  /b\n #c\n#d\n/e  \n\t/f\n/g\r\n\n   \n/h # not a comment\n"
                .getBytes(StandardCharsets.UTF_8));
        ParsedConfig p = TestConfigs.parse("ok.cfg", HEAD + " acl k req.hdr(x) -m str -f " + file + "\n");
        assertEquals(List.of(), TestConfigs.errors(p.problems()));
        AclDef k = p.config().proxy("f").orElseThrow().rules(ProxyRule.Phase.ACL).get(0).acl();
        assertEquals(List.of("/a", "/b", "#c", "/e  ", "/f", "/g", "/h # not a comment"), k.patterns());
    }

    @Test
    void processKeywordsAreAcceptedWithOneWarningEach() throws Exception {
        LoadedConfig loaded = ConfigLoader.loadSources(List.of(new ConfigSource("g.cfg", """
                global
                    user haproxy
                    group haproxy
                    chroot /var/lib/haproxy
                    ulimit-n 65536
                    nbproc 1
                    cpu-map 1 0
                    tune.bufsize 32768
                defaults
                    mode http
                frontend f
                    bind 127.0.0.1:8080
                    description the front door
                    default_backend b
                backend b
                    server s 127.0.0.1:1
                """)), SupportedFeatures.CURRENT);
        assertEquals(8, loaded.warnings().size(), loaded.warnings().toString());
        assertTrue(loaded.warnings().get(0).toString().startsWith("g.cfg:2:5: warning: 'global user' is accepted but "
                + "has no effect"));
    }

    /**
     * {@code server-state-file} alone changes nothing in HAProxy 2.6 (only backends with
     * {@code load-server-state-from-file} read the file): one warning; the loading keyword itself,
     * which would change behaviour, is still refused at its line.
     */
    @Test
    void serverStateFileAloneIsAcceptedWithAWarningButItsLoadingIsRefused() throws Exception {
        LoadedConfig loaded = ConfigLoader.loadSources(List.of(new ConfigSource("g.cfg", """
                global
                    server-state-file /etc/haproxy/haproxy.state
                defaults
                    mode http
                listen l
                    bind 127.0.0.1:8080
                    server s 127.0.0.1:1
                """)), SupportedFeatures.CURRENT);
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        assertTrue(loaded.warnings().get(0).toString().startsWith("g.cfg:2:5: warning: 'server-state-file' is accepted "
                + "but has no effect: HAProxy reads the file only for backends with 'load-server-state-from-file'"),
                loaded.warnings().get(0).toString());
        assertTrue(errors("global\n server-state-file /s\ndefaults\n load-server-state-from-file global\n").get(0)
                .startsWith("bad.cfg:4:2: error: unknown keyword 'load-server-state-from-file' in defaults section"),
                errors("global\n server-state-file /s\ndefaults\n load-server-state-from-file global\n").toString());
    }

    @Test
    void legacyRulesMapToTheirModernForm() {
        ParsedConfig p = TestConfigs.parse("old.cfg", HEAD + " reqadd X-A:\\ 1\n rspidel ^Server:\n"
                + " acl bad path_beg /x\n block if bad\n");
        assertEquals(List.of(), TestConfigs.errors(p.problems()));
        ProxySection f = p.config().proxy("f").orElseThrow();
        ProxyRule add = f.rules(ProxyRule.Phase.HTTP_REQUEST).get(0);
        assertEquals("add-header", add.action());
        assertEquals("X-A", add.param("name"));
        assertEquals("1", add.param("value"));
        assertEquals("delete-line", f.rules(ProxyRule.Phase.HTTP_RESPONSE).get(0).action());
        ProxyRule block = f.rules(ProxyRule.Phase.HTTP_REQUEST).get(1);
        assertEquals("deny", block.action());
        assertEquals("403", block.param("status"));
    }

    @Test
    void rulesSurviveTheWriter() {
        String text = HEAD + " acl api path_beg /api\n http-request set-header X-Real-IP %[src]\n"
                + " http-request deny if { src 10.0.0.0/8 } !api\n http-response del-header Server\n"
                + " use_backend b if api\n default_backend b\nbackend b\n mode http\n balance uri depth 2\n"
                + " hash-type consistent\n server s 127.0.0.1:1\n";
        Config first = TestConfigs.parse("a.cfg", text).config();
        Config again = TestConfigs.parse("a.cfg", ConfigWriter.write(first)).config();
        assertEquals(first, again);
        assertEquals("consistent", again.proxy("b").orElseThrow().settings().hashType());
    }

    @Test
    void stickTablesStoreCountersWithPeriods() {
        assertEquals(List.of(), errors("backend b\n stick-table type ip size 200k expire 30m\n stick on src\n"
                + " stick match req.cook(sid) if { path_beg /app }\n"));
        assertEquals(List.of(), errors("backend b\n stick-table type ip size 1m expire 30s store "
                + "http_req_rate(10s),conn_cur store gpc0\n"));
        assertEquals(List.of("bad.cfg:2:47: error: stick-table store: http_req_rate needs a period, e.g. "
                + "http_req_rate(10s)"), errors("backend b\n stick-table type ip size 1m expire 30s store http_req_rate\n"));
        assertEquals("bad.cfg:2:47: error: stick-table store: 'http_fail_cnt' is not a supported data type; supported: "
                + "server_id, gpt0, gpc0, gpc0_rate, conn_cnt, conn_rate, conn_cur, sess_cnt, sess_rate, http_req_cnt, "
                + "http_req_rate, http_err_cnt, http_err_rate, bytes_in_cnt, bytes_in_rate, bytes_out_cnt, "
                + "bytes_out_rate, gpc1, gpc1_rate",
                errors("backend b\n stick-table type ip size 1m expire 30s store http_fail_cnt\n").get(0));
        assertEquals(List.of("bad.cfg:2:2: error: stick rules need a 'stick-table' line above them in backend 'b'"),
                errors("backend b\n stick on src\n"));
    }

    @Test
    void trackingRulesAndCounterFetchesNameTablesThatExist() {
        String ok = HEAD + " stick-table type ip size 100k expire 30s store http_req_rate(10s),conn_cur,gpc0\n"
                + " tcp-request connection track-sc1 src\n"
                + " tcp-request connection reject if { src_conn_cur ge 10 }\n"
                + " http-request track-sc0 src\n"
                + " http-request track-sc2 req.hdr(x-key) table keys if { path_beg /api }\n"
                + " http-request sc-inc-gpc0(0) if { path /login }\n"
                + " http-request sc-set-gpt0(1) 1\n"
                + " http-request deny deny_status 429 if { sc_http_req_rate(0) gt 20 } || { sc0_get_gpc0 gt 3 }\n"
                + " acl busy src_http_req_rate(keys) gt 5\n"
                + " acl known sc_tracked(2)\n"
                + " default_backend b\n"
                + "backend keys\n stick-table type string len 32 size 1k store http_req_cnt\n"
                + "backend b\n server s 127.0.0.1:1\n";
        assertEquals(List.of(), errors(ok));
        Config first = TestConfigs.parse("a.cfg", ok).config();
        Config again = TestConfigs.parse("a.cfg", ConfigWriter.write(first)).config();
        assertEquals(first, again, "the writer keeps tables, tracking rules and counter ACLs");
        assertEquals(List.of("bad.cfg:4:15: error: stick counter 3 does not exist: HAProxy tracks counters 0 to 2"),
                errors(HEAD + " http-request track-sc3 src\n"));
        assertEquals(List.of("bad.cfg:4:2: error: track-sc0: 'f' has no stick-table; name one, e.g. 'table NAME' "
                + "(there is none)"), errors(HEAD + " http-request track-sc0 src\n"));
        assertEquals(List.of("bad.cfg:4:37: error: src_conn_cur: no section named 'nope' has a stick-table (there is none)"),
                errors(HEAD + " tcp-request connection reject if { src_conn_cur(nope) ge 10 }\n"));
        assertEquals(List.of("bad.cfg:4:35: error: tcp-request connection rules see no request: 'req.hdr' cannot be the "
                + "key here (src or dst can)"), errors(HEAD + " tcp-request connection track-sc0 req.hdr(x)\n"));
    }

    @Test
    void serviceCheckOptionsSurviveTheWriter() {
        String text = "backend a\n option pgsql-check user haproxy\nbackend b\n option mysql-check user hc post-41\n"
                + "backend c\n option redis-check\nbackend d\n option smtpchk EHLO example.com\nbackend e\n"
                + " option ldap-check\n";
        Config first = TestConfigs.parse("c.cfg", text).config();
        assertEquals(List.of("user", "haproxy"), first.proxy("a").orElseThrow().settings().healthCheck().arguments());
        assertEquals(first, TestConfigs.parse("c.cfg", ConfigWriter.write(first)).config());
        assertEquals(List.of("bad.cfg:2:9: error: expected 'option pgsql-check user NAME'"),
                errors("backend a\n option pgsql-check\n"));
    }

    @Test
    void dynamicBackendNames() {
        assertEquals(List.of(), errors(HEAD + " use_backend be_%[req.hdr(host),lower]\n default_backend b\n"
                + "backend b\n"));
        assertEquals(List.of(), errors(HEAD + " use_backend %[req.hdr(host),regsub(a,b)]\n default_backend b\n"
                + "backend b\n"));
        assertEquals(List.of("bad.cfg:4:30: error: unknown or unsupported converter 'sha1' (supported: "
                        + ConverterSpec.supportedNames() + ")"),
                errors(HEAD + " use_backend %[req.hdr(host),sha1]\n"));
        assertEquals(List.of("bad.cfg:4:30: error: cannot read the pattern file '/nonexistent.map'"),
                errors(HEAD + " use_backend %[req.hdr(host),map(/nonexistent.map)]\n"));
    }

    @Test
    void balanceAlgorithmsAndHashTypes() {
        assertEquals(List.of(), errors("backend b\n balance random(3)\nbackend c\n balance url_param uid\n"
                + "backend d\n balance hdr(Host)\n hash-type map-based sdbm avalanche\n"));
        assertEquals(List.of("bad.cfg:2:10: error: balance url_param needs a parameter name, e.g. "
                + "'balance url_param userid'"), errors("backend b\n balance url_param\n"));
        assertEquals(List.of("bad.cfg:2:12: error: unknown hash-type 'ring'; expected map-based or consistent"),
                errors("backend b\n hash-type ring\n"));
    }
}
