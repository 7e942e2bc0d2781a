package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Errors name file, line, column and what is wrong; all of them are reported, not just the first. */
class ConfigErrorsTest {

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("bad.cfg", text).problems()).stream()
                .map(ConfigProblem::toString).toList();
    }

    @Test
    void unknownKeywordNamesFileLineColumnAndTheValidKeywords() {
        assertEquals(List.of("bad.cfg:4:5: error: unknown keyword 'frobnicate' in listen 'web'; keywords valid in "
                        + "a listen section: bind, mode, balance, server, default-server, dispatch, default_backend, "
                        + "use_backend, timeout, contimeout, clitimeout, srvtimeout, option, no, redispatch, cookie, "
                        + "maxconn, fullconn, retries, grace, monitor-net, monitor-uri, monitor, stats, http-check, log, log-format, source, capture"
                        + ", compression, acl, http-request, http-response, redirect, errorfile, tcp-request, reqadd, reqrep, reqirep, reqdel, reqidel, rspadd, rsprep, rspirep, rspdel, rspidel, block, hash-type, persist, tcp-check, stick-table, stick, description"),
                errors("listen web\n    bind :80\n    mode http\n    frobnicate 1\n"));
    }

    @Test
    void unknownKeywordInGlobalAndBackendListsWhatIsValidThere() {
        assertEquals(List.of("bad.cfg:2:3: error: unknown keyword 'lua-load' in the global section; keywords valid "
                        + "in the global section: daemon, quiet, pidfile, maxconn, nbthread, log, tune.http.maxhdr, stats, hard-stop-after",
                "bad.cfg:4:3: error: 'bind' is not allowed in a backend section (valid in: listen, frontend)"),
                errors("global\n  lua-load /etc/x.lua\nbackend b\n  bind :80\n"));
    }

    @Test
    void unknownOptionAndTimeoutListTheValidOnes() {
        List<String> e = errors("frontend f\n bind :80\n option nolinger\n timeout connect 5s\n timeout bogus 1s\n");
        assertEquals(3, e.size(), e.toString());
        assertEquals("bad.cfg:3:9: error: unknown option 'nolinger'; options valid in a frontend section: httpclose, "
                + "http-server-close, http-keep-alive, forwardfor, httplog, tcplog, dontlognull, tcpka, clitcpka, http-buffer-request",
                e.get(0));
        assertEquals("bad.cfg:4:10: error: 'timeout connect' is not allowed in a frontend section "
                + "(valid in: defaults, listen, backend)", e.get(1));
        assertTrue(e.get(2).startsWith("bad.cfg:5:10: error: unknown timeout 'bogus'; timeouts valid in a frontend "
                + "section: client, http-request, http-keep-alive, client-fin"), e.get(2));
    }

    @Test
    void badTimeUnit() {
        assertEquals(List.of("bad.cfg:2:21: error: invalid time unit 'x' in '5x': supported units are us, ms, s, m, "
                        + "h, d (milliseconds by default)",
                "bad.cfg:3:16: error: invalid time 'soon': expected a number with an optional unit us, ms, s, m, h "
                        + "or d (milliseconds by default)"),
                errors("defaults\n    timeout connect 5x\n    contimeout soon\n"));
    }

    @Test
    void serverWithoutAddress() {
        assertEquals(List.of("bad.cfg:2:12: error: server 'webA' has no address (expected 'server webA "
                        + "ADDRESS[:PORT] [options]')"),
                errors("backend b\n    server webA\n"));
        assertEquals(List.of("bad.cfg:2:17: error: server 'webA': missing host in address ':80'"),
                errors("backend b\n    server webA :80\n"));
    }

    @Test
    void duplicateProxyName() {
        // HAProxy 2.6: a name is unique per side; a frontend and a backend may share one
        assertEquals(List.of(), errors("frontend app\n bind :80\n default_backend app\nbackend app\n"));
        assertEquals(List.of("bad.cfg:4:1: error: frontend 'app' has the same name as frontend 'app' declared at "
                        + "bad.cfg:1:1"),
                errors("frontend app\n bind :80\n default_backend b\nfrontend app\n bind :81\nbackend b\n"));
        assertEquals(List.of("bad.cfg:2:1: error: backend 'b' has the same name as backend 'b' declared at bad.cfg:1:1"),
                errors("backend b\nbackend b\n"));
        // a listen section is both sides: it conflicts with a frontend or a backend of its name, in either order
        // (HAProxy 2.6 misses the order backend-then-listen and keeps two backends of one name)
        assertEquals(List.of("bad.cfg:3:1: error: backend 'app' has the same name as listen 'app' declared at bad.cfg:1:1",
                        "bad.cfg:4:1: error: frontend 'app' has the same name as listen 'app' declared at bad.cfg:1:1"),
                errors("listen app\n bind :80\nbackend app\nfrontend app\n bind :81\n default_backend app\n"));
        assertEquals(List.of("bad.cfg:2:1: error: listen 'app' has the same name as backend 'app' declared at bad.cfg:1:1"),
                errors("backend app\nlisten app\n bind :80\n"));
    }

    @Test
    void missingBackend() {
        assertEquals(List.of(
                        "bad.cfg:3:18: error: default_backend 'nowhere': no backend or listen section has this name "
                                + "(backends: app)",
                        "bad.cfg:4:14: error: use_backend 'gone': no backend or listen section has this name "
                                + "(backends: app)",
                        "bad.cfg:8:18: error: default_backend 'f' names a frontend; it must name a backend or listen "
                                + "section"),
                errors("frontend f\n bind :80\n default_backend nowhere\n use_backend gone\nbackend app\n"
                        + "frontend g\n bind :81\n default_backend f\n"));
    }

    @Test
    void useBackendWithAnUndeclaredAclIsRejectedClearly() {
        assertEquals(List.of("bad.cfg:3:21: error: unknown ACL 'is_api' in frontend 'f' (declare it with "
                        + "'acl is_api ...' before this line)"),
                errors("frontend f\n bind :80\n use_backend app if is_api\nbackend app\n"));
    }

    @Test
    void weightOutsideZeroTo256() {
        assertEquals(List.of("bad.cfg:2:31: error: weight 257 out of range 0..256",
                        "bad.cfg:3:31: error: invalid weight '-1': expected a non-negative integer"),
                errors("backend b\n server a 127.0.0.1:80 weight 257\n server c 127.0.0.1:80 weight -1\n"));
        assertEquals(List.of(), errors("backend b\n server a 127.0.0.1:80 weight 0\n"
                + " server c 127.0.0.1:80 weight 256\n"));
    }

    @Test
    void everyErrorIsCollectedInOneRun() {
        List<String> e = errors("""
                global
                    nbthread 0
                listen web 127.0.0.1:99999
                    mode ftp
                    balance fastest
                    server a 127.0.0.1:80 wieght 3
                    server a 127.0.0.1:81
                    cookie S insert nocache indirectly
                backend b
                    option httpchk GET / HTTP/1.1 extra
                """);
        assertEquals(List.of(
                "bad.cfg:2:14: error: nbthread must be at least 1",
                "bad.cfg:3:12: error: port 99999 out of range 1..65535 in address '127.0.0.1:99999'",
                "bad.cfg:4:10: error: unknown mode 'ftp'; expected http or tcp",
                "bad.cfg:5:13: error: unknown balance algorithm 'fastest'; supported: roundrobin, static-rr, "
                        + "leastconn, first, source, uri, url_param, hdr, random, rdp-cookie",
                "bad.cfg:6:27: error: unknown option 'wieght' on server 'a'; supported options: weight, cookie, "
                        + "check, no-check, inter, fastinter, downinter, rise, fall, port, addr, backup, no-backup, "
                        + "maxconn, minconn, maxqueue, source, slowstart, disabled, enabled, on-marked-down, on-marked-up",
                "bad.cfg:6:34: error: unknown option '3' on server 'a'; supported options: weight, cookie, check, "
                        + "no-check, inter, fastinter, downinter, rise, fall, port, addr, backup, no-backup, "
                        + "maxconn, minconn, maxqueue, source, slowstart, disabled, enabled, on-marked-down, on-marked-up",
                "bad.cfg:7:12: error: duplicate server name 'a' in listen 'web'",
                "bad.cfg:8:29: error: unknown cookie option 'indirectly'; supported: insert, prefix, rewrite, "
                        + "indirect, nocache, preserve, httponly, secure, postonly, domain, maxidle, maxlife, attr",
                "bad.cfg:10:35: error: option httpchk takes at most METHOD URI VERSION"), e);
    }

    @Test
    void statementsOutsideSectionsAndUnsupportedSections() {
        assertEquals(List.of(
                        "bad.cfg:1:1: error: 'mode' outside of any section; a file is made of sections starting "
                                + "with global, defaults, listen, frontend or backend",
                        "bad.cfg:2:1: error: 'peers' sections are not supported yet; supported sections: "
                                + "global, defaults, listen, frontend, backend, userlist"),
                errors("mode http\npeers mypeers\n  peer a 127.0.0.1:1024\n"));
    }

    @Test
    void lexicalErrors() {
        assertEquals(List.of("bad.cfg:2:14: error: unterminated double quote"),
                errors("listen a :80\n monitor-uri \"/up\n"));
        assertEquals(List.of("bad.cfg:2:14: error: unterminated single quote"),
                errors("listen a :80\n monitor-uri '/up\n"));
        assertEquals(List.of("bad.cfg:2:12: error: backslash at end of line: the HAProxy syntax has no line "
                        + "continuation (write the whole statement on one line, or '\\\\' for a backslash)"),
                errors("listen a :80\n mode http \\\n"));
    }

    @Test
    void cookieOptionsThatNeedInsert() {
        assertEquals(List.of("bad.cfg:2:9: error: cookie options nocache, postonly, maxidle and maxlife need 'insert'"),
                errors("backend b\n cookie JSESSIONID prefix nocache\n"));
        assertEquals(List.of("bad.cfg:2:18: error: cookie modes 'insert' and 'prefix' exclude each other"),
                errors("backend b\n cookie S insert prefix\n"));
    }

    @Test
    void loaderRefusesAConfigurationWithAnyErrorAndListsThemInFileOrder() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadSources(List.of(
                new ConfigSource("bad.cfg", "frontend f\n bind :80\n default_backend nowhere\n mode tcp\n option httpchk\n")),
                FixedFeatures.FOUNDATION));
        assertEquals(List.of(
                        "bad.cfg:3:18: error: default_backend 'nowhere': no backend or listen section has this name "
                                + "(there is none)",
                        "bad.cfg:4:2: error: 'mode tcp' is not supported yet",
                        "bad.cfg:5:9: error: 'option httpchk' is not allowed in a frontend section (valid in: "
                                + "defaults, listen, backend)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
        assertEquals(String.join("\n", e.problems().stream().map(ConfigProblem::toString).toList()), e.getMessage());
    }

    @Test
    void loaderKeepsWarningsOfAValidConfiguration() throws ConfigException {
        LoadedConfig loaded = ConfigLoader.load("ok.cfg", "global\n daemon\nlisten web\n bind 127.0.0.1:8080\n"
                + " mode http\n server s 127.0.0.1:8081\n");
        assertEquals(List.of("ok.cfg:2:2: warning: 'global daemon' is accepted but has no effect: Tidegate runs "
                        + "inside WildFly"),
                loaded.warnings().stream().map(ConfigProblem::toString).toList());
        assertEquals("web", loaded.config().proxies().get(0).name());
    }

    @Test
    void optionVariantsThatAreNotUnderstoodSaySo() {
        assertEquals(List.of(
                        "bad.cfg:3:17: error: 'option httplog clf' is not supported yet",
                        "bad.cfg:4:12: error: 'no option http-keep-alive' is not supported; write 'option httpclose' "
                                + "or 'option http-server-close'",
                        "bad.cfg:5:12: error: 'option tcplog' cannot be negated",
                        "bad.cfg:6:23: error: unexpected 'now' after no option redispatch",
                        "bad.cfg:7:20: error: unexpected 'later' in option forwardfor; expected except NETWORK, "
                                + "header NAME or if-none",
                        "bad.cfg:8:27: error: invalid network '10.0.0.0/abc' (expected ADDRESS or ADDRESS/BITS)"),
                errors("""
                        defaults
                         mode http
                         option httplog clf
                         no option http-keep-alive
                         no option tcplog
                         no option redispatch now
                         option forwardfor later
                         option forwardfor except 10.0.0.0/abc
                        """));
    }
}
