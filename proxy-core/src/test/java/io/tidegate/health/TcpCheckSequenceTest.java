package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigParser;
import io.tidegate.config.ConfigProblem;
import io.tidegate.config.ParsedConfig;
import io.tidegate.config.ProxySettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code option tcp-check} sequences, written as in a configuration file, run against scripted
 * servers on 127.0.0.1: the verdict and the reason HAProxy 2.6 gives for it (the wordings were
 * compared with Debian's haproxy 2.6.12 checking the same servers).
 */
class TcpCheckSequenceTest {

    private static final CheckTimeouts TIMEOUTS = new CheckTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3));
    private TestLoops worker;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        worker = new TestLoops("tcp-check-sequence-test", 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        worker.close();
    }

    /** What one accepted connection does; the lines it read are kept. */
    interface Script {
        void run(BufferedReader in, OutputStream out) throws IOException;
    }

    /** A loopback server that runs {@code script} on each connection (at most 5, one at a time). */
    private ScriptServer server(Script script) throws IOException {
        ScriptServer s = new ScriptServer(script);
        open.add(s);
        return s;
    }

    static final class ScriptServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Thread thread;

        ScriptServer(Script script) throws IOException {
            socket.setSoTimeout(10_000);
            thread = new Thread(() -> {
                for (int i = 0; i < 5 && !socket.isClosed(); i++) {
                    try (Socket c = socket.accept()) {
                        c.setSoTimeout(5_000);
                        BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                                StandardCharsets.ISO_8859_1)) {
                            @Override
                            public String readLine() throws IOException {
                                String line = super.readLine();
                                if (line != null) seen.add(line);
                                return line;
                            }
                        };
                        script.run(in, c.getOutputStream());
                        c.getOutputStream().flush();
                        c.shutdownOutput();
                        while (in.read() >= 0) {
                            // until the check closes
                        }
                    } catch (IOException e) {
                        // the check closed first, or the test ended
                    }
                }
            }, "tcp-check-script");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The probe of the {@code tcp-check} lines written in a backend with {@code option tcp-check}. */
    private static HealthProbe probe(String... lines) {
        String text = "backend b\n    mode tcp\n    option tcp-check\n    " + String.join("\n    ", lines)
                + "\n    server s 127.0.0.1:1 check\n";
        ParsedConfig parsed = new ConfigParser(name -> null).parse("t.cfg", text);
        assertEquals(List.of(), parsed.problems().stream().filter(ConfigProblem::isError).toList());
        Config config = parsed.config();
        ProxySettings s = config.effective(config.proxies().get(0));
        return HealthProbe.of(s.healthCheck(), s.httpCheckExpect(), s.httpCheckSend(), false, s.tcpCheckRules());
    }

    private CheckResult run(HealthProbe probe, InetSocketAddress target, CheckTimeouts timeouts) throws Exception {
        return probe.run(worker.group.get(0), target, timeouts).get(20, TimeUnit.SECONDS);
    }

    private static final Script REDIS = (in, out) -> {
        for (String line; (line = in.readLine()) != null; ) {
            switch (line) {
                case "PING" -> write(out, "+PONG\r\n");
                case "info replication" -> write(out, "$30\r\n# Replication\r\nrole:master\r\n\r\n");
                case "QUIT" -> {
                    write(out, "+OK\r\n");
                    return;
                }
                default -> write(out, "-ERR unknown command '" + line + "'\r\n");
            }
        }
    };

    @Test
    void redisPingPongPasses() throws Exception {
        ScriptServer redis = server(REDIS);
        CheckResult r = run(probe("tcp-check send PING\\r\\n", "tcp-check expect string +PONG"), redis.address(),
                TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        assertEquals("(tcp-check)", r.info());
        assertEquals(List.of("PING"), redis.seen);
    }

    @Test
    void haproxysRedisMasterExampleRunsEveryStep() throws Exception {
        ScriptServer redis = server(REDIS);
        CheckResult r = run(probe("tcp-check comment PING\\ phase", "tcp-check send PING\\r\\n",
                "tcp-check expect string +PONG", "tcp-check comment role\\ check",
                "tcp-check send info\\ replication\\r\\n", "tcp-check expect string role:master",
                "tcp-check comment QUIT\\ phase", "tcp-check send QUIT\\r\\n", "tcp-check expect string +OK"),
                redis.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        assertEquals(List.of("PING", "info replication", "QUIT"), redis.seen);
    }

    @Test
    void aMismatchFailsNamingTheStepAndItsComment() throws Exception {
        ScriptServer redis = server(REDIS);
        // as in HAProxy, a string not found yet waits for more data: min-recv makes what came conclusive
        CheckResult r = run(probe("tcp-check send PING\\r\\n", "tcp-check expect string +PONG",
                        "tcp-check send info\\ replication\\r\\n", "tcp-check comment role\\ check",
                        "tcp-check expect min-recv 20 string role:slave"),
                redis.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), r.describe());
        assertEquals("TCPCHK did not match content 'role:slave' at step 5 comment: role check", r.info());
        assertTrue(r.describe().startsWith("reason: Layer7 invalid response, info: \"TCPCHK did not match "
                + "content 'role:slave' at step 5 comment: role check\""), r.describe());

        // without min-recv the answer is judged when the server closes
        ScriptServer closes = server((in, out) -> write(out, "-ERR max clients reached\r\n"));
        r = run(probe("tcp-check send PING\\r\\n", "tcp-check expect string +PONG"), closes.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), r.describe());
        assertEquals("TCPCHK did not match content '+PONG' at step 2", r.info());

        // ... or when the check times out, naming the step it waited in
        r = run(probe("tcp-check send PING\\r\\n", "tcp-check expect string +PONG",
                        "tcp-check send info\\ replication\\r\\n", "tcp-check expect string role:slave"),
                redis.address(), new CheckTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        assertEquals(CheckStatus.L7TOUT, r.status(), r.describe());
        assertEquals(" at step 4 of tcp-check (expect string 'role:slave')", r.info());
    }

    @Test
    void onErrorStatusAndCodeReplaceHaproxysWording() throws Exception {
        ScriptServer redis = server(REDIS);
        CheckResult r = run(probe("tcp-check send FLUSH\\r\\n", "tcp-check expect min-recv 0 error-status L7STS "
                        + "status-code int(503) on-error \"Redis\\ refused\" string +OK"),
                redis.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7STS, r.status(), r.describe());
        assertEquals(503, r.code());
        assertEquals("Redis refused", r.info());
    }

    @Test
    void aServerThatNeverAnswersFailsAtTimeoutCheck() throws Exception {
        try (SilentServers silent = new SilentServers()) {
            InetSocketAddress quiet = silent.neverAnswers();
            CheckResult r = run(probe("tcp-check send PING\\r\\n", "tcp-check expect string +PONG"), quiet,
                    new CheckTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200)));
            assertEquals(CheckStatus.L7TOUT, r.status(), r.describe());
            assertEquals(" at step 2 of tcp-check (expect string '+PONG')", r.info());
            r = run(probe("tcp-check send PING\\r\\n", "tcp-check expect tout-status L4TOUT string +PONG"), quiet,
                    new CheckTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200)));
            assertEquals(CheckStatus.L4TOUT, r.status(), r.describe());
        }
    }

    @Test
    void anSmtpDialogueOfSeveralSendsAndExpects() throws Exception {
        ScriptServer smtp = server((in, out) -> {
            write(out, "220 mail.example.com ESMTP\r\n");
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("EHLO ")) {
                    write(out, "250-mail.example.com\r\n");
                    write(out, "250 SIZE 10240000\r\n");
                } else if (line.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye\r\n");
                    return;
                } else {
                    write(out, "502 5.5.2 Error: command not recognized\r\n");
                }
            }
        });
        HealthProbe smtpCheck = probe("tcp-check connect", "tcp-check expect rstring ^220\\ ",
                "tcp-check send EHLO\\ tidegate.local\\r\\n", "tcp-check expect rstring ^250[-\\ ]",
                "tcp-check send QUIT\\r\\n", "tcp-check expect string 221");
        CheckResult r = run(smtpCheck, smtp.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        assertEquals(List.of("EHLO tidegate.local", "QUIT"), smtp.seen);

        ScriptServer busy = server((in, out) -> write(out, "421 4.3.2 Service not available\r\n"));
        r = run(smtpCheck, busy.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), r.describe());
        assertEquals("TCPCHK did not match content (regex) at step 2", r.info());
    }

    @Test
    void binaryPatternsMatchTheBytes() throws Exception {
        ScriptServer redis = server(REDIS);
        CheckResult r = run(probe("tcp-check send-binary 50494e470d0a # PING\\r\\n",
                "tcp-check expect binary 2b504F4e47"), redis.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());

        ScriptServer greeting = server((in, out) -> {
            out.write(new byte[] {0x4a, 0, 0, 0, 0x0a, '8', '.', '0', 0});
            out.flush();
        });
        r = run(probe("tcp-check expect rbinary ^4A0000000A38"), greeting.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        r = run(probe("tcp-check expect binary 0aff"), greeting.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), r.describe());
        assertEquals("TCPCHK did not match content (binary) at step 1", r.info());
    }

    @Test
    void aNegatedExpectPassesWhenTheAnswerEndsWithoutTheContent() throws Exception {
        ScriptServer ok = server((in, out) -> write(out, "+OK ready\r\n"));
        CheckResult r = run(probe("tcp-check expect ! string -ERR"), ok.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        ScriptServer err = server((in, out) -> write(out, "-ERR busy\r\n"));
        r = run(probe("tcp-check expect ! string -ERR"), err.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), r.describe());
        assertEquals("TCPCHK matched unwanted content '-ERR' at step 1", r.info());
    }

    @Test
    void aServerClosingWithoutAnswerIsAnEmptyResponse() throws Exception {
        ScriptServer mute = server((in, out) -> in.readLine());
        CheckResult r = run(probe("tcp-check send HELLO\\r\\n", "tcp-check expect string OK comment greeting"),
                mute.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), r.describe());
        assertEquals("TCPCHK got an empty response at step 2 comment: 'greeting'", r.info());
    }

    @Test
    void connectStepsReachSeveralPortsAndNameTheOneThatFails() throws Exception {
        ScriptServer pop = server((in, out) -> write(out, "+OK POP3 ready\r\n"));
        ScriptServer imap = server((in, out) -> write(out, "* OK IMAP4 ready\r\n"));
        CheckResult r = run(probe("tcp-check connect port " + pop.port() + " linger",
                "tcp-check expect string +OK\\ POP3\\ ready", "tcp-check connect port " + imap.port(),
                "tcp-check expect string *\\ OK\\ IMAP4\\ ready"), SilentServers.closedPort(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());

        int closed = SilentServers.closedPort().getPort();
        r = run(probe("tcp-check connect port " + pop.port(), "tcp-check expect string +OK",
                "tcp-check connect port " + closed + " comment imap"), pop.address(), TIMEOUTS);
        assertEquals(CheckStatus.L4CON, r.status(), r.describe());
        assertEquals("Connection refused at step 3 of tcp-check (connect port " + closed + ") comment: 'imap'",
                r.info());
        r = run(probe("tcp-check send PING\\r\\n"), SilentServers.closedPort(), TIMEOUTS);
        assertEquals(CheckStatus.L4CON, r.status(), r.describe());
        assertEquals("Connection refused at initial connection step of tcp-check", r.info());
    }

    @Test
    void sendProxyOpensTheConnectionWithAProxyLine() throws Exception {
        ScriptServer proxied = server((in, out) -> {
            in.readLine();
            write(out, "+PONG\r\n");
        });
        CheckResult r = run(probe("tcp-check connect send-proxy", "tcp-check send PING\\r\\n",
                "tcp-check expect string +PONG"), proxied.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        assertEquals(1, proxied.seen.size(), proxied.seen.toString());
        assertTrue(proxied.seen.get(0).matches("PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ " + proxied.port()),
                proxied.seen.get(0));
    }

    @Test
    void sendOnlyChecksPassOnceSentAndAnswersAreBoundedByTheCheckBuffer() throws Exception {
        ScriptServer sink = server((in, out) -> in.readLine());
        CheckResult r = run(probe("tcp-check send QUIT\\r\\n"), sink.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7OK, r.status(), r.describe());
        assertEquals("(tcp-check)", r.info());

        ScriptServer chatty = server((in, out) -> {
            byte[] kb = new byte[1024];
            java.util.Arrays.fill(kb, (byte) 'x');
            for (int i = 0; i < 64; i++) {
                out.write(kb);
            }
            write(out, "FOUND\r\n");
        });
        r = run(probe("tcp-check expect string FOUND"), chatty.address(), TIMEOUTS);
        assertEquals(CheckStatus.L7RSP, r.status(), "a 16 KiB buffer never sees what comes after: " + r.describe());
    }

    @Test
    void aBackendsCheckedServersRunItsSequenceAndReloadsKeepEqualSequences() throws Exception {
        ScriptServer redis = server(REDIS);
        String text = """
                defaults
                    mode tcp
                    option tcp-check
                    tcp-check send PING\\r\\n
                    tcp-check expect string +PONG
                backend cache
                    server r1 127.0.0.1:%d check
                backend noport
                    tcp-check connect port %d
                    tcp-check send PING\\r\\n
                    tcp-check expect string +PONG
                    server r2 127.0.0.1 check
                """.formatted(redis.port(), redis.port());
        List<ServerCheck> checks = ServerChecks.of(new ConfigParser(name -> null).parse("c.cfg", text).config());
        assertEquals(2, checks.size());
        for (ServerCheck c : checks) {
            CheckResult r = run(c.probe(), c.target(), TIMEOUTS);
            assertEquals(CheckStatus.L7OK, r.status(), c.server() + ": " + r.describe());
        }
        List<ServerCheck> again = ServerChecks.of(new ConfigParser(name -> null).parse("c.cfg", text).config());
        assertTrue(again.get(0).sameSettings(checks.get(0)), "the same rules check the same way");
        List<ServerCheck> changed = ServerChecks.of(new ConfigParser(name -> null)
                .parse("c.cfg", text.replace("+PONG", "+OK")).config());
        assertTrue(!changed.get(0).sameSettings(checks.get(0)), "other rules are another check");
    }
}
