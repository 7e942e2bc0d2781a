package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code %[fetch,converter,...]} in log-format: what is read, and the errors, at their column, as HAProxy 2.6 gives them. */
class LogFormatSampleTest {

    private static List<String> problems(String text) {
        ParsedConfig p = TestConfigs.parse("t.cfg", text);
        return new ConfigValidator(SupportedFeatures.CURRENT).validate(p).stream().map(ConfigProblem::toString).toList();
    }

    /** A listen section whose 4th line is {@code logFormatLine}. */
    private static String listen(String logFormatLine) {
        return "listen f\n bind :80\n mode http\n" + logFormatLine + "\n server s 127.0.0.1:81\n";
    }

    /** The 1-based column of {@code part} in {@code line}. */
    private static int column(String line, String part) {
        int i = line.indexOf(part);
        assertTrue(i >= 0, part);
        return i + 1;
    }

    @Test
    void samplesWithConvertersAndQuotingAreRead() {
        List<LogFormatParser.Token> t = LogFormatParser.parse("%ci %[src] %{+Q}[var(txn.host),lower,hex] %[str(a.b)]");
        assertEquals(List.of(
                new LogFormatParser.Token(null, "ci", false),
                new LogFormatParser.Token(" ", null, false),
                new LogFormatParser.Token(null, null, false, new LogFormatParser.Sample("src", List.of(), List.of())),
                new LogFormatParser.Token(" ", null, false),
                new LogFormatParser.Token(null, null, true, new LogFormatParser.Sample("var", List.of("txn.host"),
                        List.of(new LogFormatParser.Converter("lower", List.of()), new LogFormatParser.Converter("hex", List.of())))),
                new LogFormatParser.Token(" ", null, false),
                new LogFormatParser.Token(null, null, false, new LogFormatParser.Sample("str", List.of("a.b"), List.of()))), t);
    }

    @Test
    void everySupportedFetchAndConverterValidates() {
        String line = " log-format \"%[src] %[src_port] %[dst] %[dst_port] %[var(txn.x)] %[var(sess.y)] %[str(k)] %[int(-3)]"
                + " %[always_true] %[always_false] %[ssl_fc] %{+Q}[ssl_fc_sni] %[status] %[method] %[nbsrv] %[nbsrv(f)]"
                + " %[src,lower] %[method,upper] %[int(1),hex] %[str(hi),base64,lower]\"";
        assertEquals(List.of(), problems(listen(line)));
    }

    @Test
    void unknownFetchIsAnErrorAtItsColumnListingWhatIsSupported() {
        String line = " log-format \"%ci %[bogus(1)] %ST\"";
        List<String> p = problems(listen(line));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:4:" + column(line, "bogus")), p.get(0));
        assertTrue(p.get(0).contains("unknown or unsupported fetch 'bogus'"), p.get(0));
        for (String f : LogFormatParser.SAMPLE_FETCHES) assertTrue(p.get(0).contains(f), f + " listed in " + p.get(0));
    }

    @Test
    void headerFetchesAreRefusedAsHaproxy26RefusesThemWithWhatToDoInstead() {
        for (String fetch : List.of("req.hdr(host)", "hdr(host)", "path", "url", "cook(a)", "res.hdr(x)", "query")) {
            String line = " log-format \"%ci %[" + fetch + "]\"";
            List<String> p = problems(listen(line));
            assertEquals(1, p.size(), p.toString());
            assertTrue(p.get(0).contains("t.cfg:4:" + column(line, fetch)), p.get(0));
            assertTrue(p.get(0).contains("cannot be used in log-format") && p.get(0).contains("headers"), p.get(0));
            assertTrue(p.get(0).contains("http-request set-var(txn.NAME) " + fetch), p.get(0));
        }
    }

    @Test
    void unknownConverterBadVariableBadArgumentsAndMissingBracket() {
        String conv = " log-format \"%[src,frobnicate]\"";
        List<String> p = problems(listen(conv));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:4:" + column(conv, "frobnicate"))
                && p.get(0).contains("converter 'frobnicate'") && p.get(0).contains(ConverterSpec.supportedNames()), p.get(0));

        String scope = " log-format \"x %[var(zz.a)]\"";
        p = problems(listen(scope));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:4:" + column(scope, "var(")) && p.get(0).contains("scope sess, txn, req or res"),
                p.get(0));

        p = problems(listen(" log-format \"%[src(1)]\""));
        assertTrue(p.size() == 1 && p.get(0).contains("fetch 'src' takes 0 argument(s)"), p.toString());
        p = problems(listen(" log-format \"%[str(a,b)]\""));
        assertTrue(p.size() == 1 && p.get(0).contains("fetch 'str' takes 0 to 1 argument(s)"), p.toString());
        p = problems(listen(" log-format \"%[int(x)]\""));
        assertTrue(p.size() == 1 && p.get(0).contains("not an integer"), p.toString());

        String open = " log-format \"%ci %[src %ST\"";
        p = problems(listen(open));
        assertTrue(p.size() == 1 && p.get(0).contains("t.cfg:4:" + column(open, "%[")) && p.get(0).contains("missing ']'"),
                p.toString());
    }

    @Test
    void nbsrvNeedsABackendThatExists() {
        List<String> p = problems("frontend f\n bind :80\n mode http\n log-format \"%[nbsrv]\"\n default_backend b\n"
                + "backend b\n mode http\n server s 127.0.0.1:81\n");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("nbsrv needs a backend name"), p.get(0));
        assertEquals(List.of(), problems("frontend f\n bind :80\n mode http\n log-format \"%[nbsrv(b)]\"\n default_backend b\n"
                + "backend b\n mode http\n server s 127.0.0.1:81\n"));
        String line = " log-format \"%ci %[nbsrv(zz)]\"";
        p = problems("frontend f\n bind :80\n mode http\n" + line + "\n default_backend b\n"
                + "backend b\n mode http\n server s 127.0.0.1:81\n");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("t.cfg:4:" + column(line, "nbsrv(zz)")) && p.get(0).contains("'zz': no backend"), p.get(0));
    }
}
