package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code option tcp-check} with {@code tcp-check} rules: each rule kind, errors at their word, the writer. */
class TcpCheckConfigTest {

    private static final String REDIS = """
            backend redis
                mode tcp
                option tcp-check
                tcp-check comment PING\\ phase
                tcp-check connect port 6379 addr 127.0.0.2 send-proxy linger comment first
                tcp-check send PING\\r\\n
                tcp-check expect min-recv 5 string +PONG comment pong
                tcp-check send-binary 696e666f0D0A
                tcp-check expect ! rstring ^-ERR\\ .* on-error "Redis\\ said\\ no" error-status L7STS
                tcp-check send-lf QUIT\\r\\n
                tcp-check expect tout-status L6TOUT ok-status L7OKC on-success done status-code int(201) rbinary ^2B4F4B
                tcp-check expect !binary 2d4552
                server r1 127.0.0.1:6379 check
            """;

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("bad.cfg", text).problems()).stream()
                .map(ConfigProblem::toString).toList();
    }

    private static String backend(String... lines) {
        return "backend b\n    mode tcp\n    option tcp-check\n" + String.join("\n", lines)
                + "\n    server s 127.0.0.1:80 check\n";
    }

    @Test
    void everyRuleKindParsesInOrder() {
        Config c = TestConfigs.parseClean("redis.cfg", REDIS);
        ProxySettings s = c.proxies().get(0).settings();
        assertEquals(CheckKind.TCP_CHECK, s.healthCheck().kind());
        List<TcpCheckRule> r = s.tcpCheckRules();
        assertEquals(9, r.size());
        assertEquals(new TcpCheckRule.Comment("PING phase"), r.get(0));
        assertEquals(new TcpCheckRule.Connect(6379, new HostPort("127.0.0.2", 0), true, true, false, "first"), r.get(1));
        TcpCheckRule.Send ping = (TcpCheckRule.Send) r.get(2);
        assertArrayEquals("PING\r\n".getBytes(StandardCharsets.US_ASCII), ping.bytes());
        assertEquals(new TcpCheckRule.Expect(false, TcpCheckRule.Match.STRING, "+PONG", 5, null, null, null, null, null,
                null, "pong"), r.get(3));
        assertArrayEquals("info\r\n".getBytes(StandardCharsets.US_ASCII), ((TcpCheckRule.Send) r.get(4)).bytes());
        assertEquals(new TcpCheckRule.Expect(true, TcpCheckRule.Match.RSTRING, "^-ERR .*", -1, null, "Redis said no",
                null, "L7STS", null, null, null), r.get(5));
        assertArrayEquals("QUIT\r\n".getBytes(StandardCharsets.US_ASCII), ((TcpCheckRule.Send) r.get(6)).bytes());
        assertEquals(new TcpCheckRule.Expect(false, TcpCheckRule.Match.RBINARY, "^2B4F4B", -1, "done", null, "L7OKC",
                null, "L6TOUT", 201, null), r.get(7));
        assertEquals(new TcpCheckRule.Expect(true, TcpCheckRule.Match.BINARY, "2d4552", -1, null, null, null, null,
                null, null, null), r.get(8));
    }

    @Test
    void sendEscapesBecomeBytes() {
        Config c = TestConfigs.parseClean("e.cfg", backend("    tcp-check send \\x00\\x7f\\t\\\\x\\r\\n"));
        TcpCheckRule.Send s = (TcpCheckRule.Send) c.proxies().get(0).settings().tcpCheckRules().get(0);
        assertArrayEquals(new byte[] {0, 0x7f, '\t', '\\', 'x', '\r', '\n'}, s.bytes());
    }

    @Test
    void rulesOfTheDefaultsApplyUnlessTheSectionWritesItsOwn() {
        Config c = TestConfigs.parseClean("d.cfg", """
                defaults
                    mode tcp
                    option tcp-check
                    tcp-check send PING\\r\\n
                    tcp-check expect string +PONG
                backend inherits
                    server s 127.0.0.1:80 check
                backend own
                    tcp-check expect string 220
                    server s 127.0.0.1:80 check
                """);
        assertEquals(2, c.effective(c.proxy("inherits").orElseThrow()).tcpCheckRules().size());
        ProxySettings own = c.effective(c.proxy("own").orElseThrow());
        assertEquals(CheckKind.TCP_CHECK, own.healthCheck().kind());
        assertEquals(1, own.tcpCheckRules().size());
    }

    @Test
    void rulesWithoutOptionTcpCheckAreIgnoredWithAWarning() {
        ParsedConfig p = TestConfigs.parse("w.cfg", "backend b\n    mode tcp\n    tcp-check send PING\\r\\n\n"
                + "    server s 127.0.0.1:80 check\n");
        assertEquals(List.of(), TestConfigs.errors(p.problems()));
        assertTrue(p.problems().stream().anyMatch(x -> x.toString().equals("w.cfg:1:1: warning: backend 'b' uses "
                + "tcp-check rules without 'option tcp-check', so the rules are ignored")), p.problems().toString());
    }

    @Test
    void badHexIsAnErrorAtItsWord() {
        assertEquals(List.of("bad.cfg:4:27: error: tcp-check send-binary: invalid binary string '50494': an even "
                        + "number of hex digits is expected",
                "bad.cfg:5:29: error: tcp-check expect binary: invalid binary string '2b5zz0': a hex digit is "
                        + "expected (found 'z' at position 4)"),
                errors(backend("    tcp-check send-binary 50494", "    tcp-check expect binary 2b5zz0")));
    }

    @Test
    void badRegexIsAnErrorAtItsWord() {
        List<String> e = errors(backend("    tcp-check expect rstring (2..|3.."));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("bad.cfg:4:30: error: tcp-check expect rstring: invalid regular expression "
                + "'(2..|3..': Unclosed group"), e.get(0));
    }

    @Test
    void unknownRuleAndArgumentsAreErrorsAtTheirWord() {
        assertEquals(List.of("bad.cfg:4:15: error: unknown tcp-check rule 'recv'; 'tcp-check' supports comment, "
                        + "connect, send, send-lf, send-binary and expect",
                "bad.cfg:5:32: error: unexpected 'bogus' in tcp-check expect; expected min-recv, comment, "
                        + "ok-status, error-status, tout-status, on-success, on-error, status-code or [!] "
                        + "string|rstring|binary|rbinary PATTERN",
                "bad.cfg:6:35: error: tcp-check expect error-status supports L7RSP, L7STS, L7OKC, L6RSP, L4CON "
                        + "(got 'L7OK')"),
                errors(backend("    tcp-check recv 10", "    tcp-check expect string ok bogus",
                        "    tcp-check expect error-status L7OK string x")));
    }

    @Test
    void whatTidegateDoesNotDoIsRefusedPrecisely() {
        List<String> e = errors(backend("    tcp-check connect port 443 ssl",
                "    tcp-check set-var(check.port) int(1234)",
                "    tcp-check send-lf %[srv_name]",
                "    tcp-check expect string-lf %H",
                "    tcp-check expect status-code res.payload(0,3) string x",
                "    tcp-check connect port srv_port"));
        assertEquals(6, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("bad.cfg:4:32: error: 'tcp-check connect ssl' is not supported yet: "
                + "Tidegate's checks do not speak TLS"), e.get(0));
        assertTrue(e.get(1).startsWith("bad.cfg:5:15: error: 'tcp-check set-var(check.port)' is not supported"),
                e.get(1));
        assertTrue(e.get(2).startsWith("bad.cfg:6:23: error: tcp-check send-lf '%[srv_name]': log-format tags"),
                e.get(2));
        assertTrue(e.get(3).startsWith("bad.cfg:7:22: error: 'tcp-check expect string-lf' (log-format patterns)"),
                e.get(3));
        assertTrue(e.get(4).startsWith("bad.cfg:8:34: error: tcp-check expect status-code 'res.payload(0,3)': "
                + "only a constant 'int(N)'"), e.get(4));
        assertTrue(e.get(5).startsWith("bad.cfg:9:28: error: tcp-check connect port 'srv_port'"), e.get(5));
    }

    @Test
    void aConnectMustComeFirstWhenThereIsOne() {
        assertEquals(List.of("bad.cfg:6:15: error: the first tcp-check step must be a 'connect' (optionally "
                        + "preceded by comments) when the sequence has a 'connect' step"),
                errors(backend("    tcp-check comment start", "    tcp-check send PING\\r\\n",
                        "    tcp-check connect port 6379")));
    }

    @Test
    void theWriterPrintsTheSequenceBack() {
        Config model = TestConfigs.parseClean("redis.cfg", REDIS);
        String written = ConfigWriter.write(model);
        assertTrue(written.contains("""
                    option tcp-check
                    tcp-check comment 'PING phase'
                    tcp-check connect port 6379 addr 127.0.0.2 send-proxy linger comment first
                    tcp-check send "PING\\r\\n"
                    tcp-check expect min-recv 5 string +PONG comment pong
                    tcp-check send-binary 696e666f0D0A
                    tcp-check expect error-status L7STS on-error 'Redis said no' ! rstring '^-ERR .*'
                    tcp-check send-lf "QUIT\\r\\n"
                    tcp-check expect ok-status L7OKC tout-status L6TOUT on-success done status-code int(201) \
                rbinary ^2B4F4B
                    tcp-check expect ! binary 2d4552
                """), written);
        Config reread = TestConfigs.parseClean("redis.cfg", written);
        assertEquals(model, reread);
        assertEquals(written, ConfigWriter.write(reread));
    }
}
