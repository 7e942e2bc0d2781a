package io.tidegate.cli;

import static io.tidegate.cli.CliSocketServerTest.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.SessionTable;
import io.tidegate.engine.SessionView;
import io.tidegate.stats.HealthLookup;
import io.tidegate.stats.StatsSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show sess}, {@code shutdown session} and {@code shutdown sessions server} over real UNIX
 * sockets against an engine with live client connections: one waiting for a server that holds its
 * request, one idle.
 */
class CliSessionsTest {
    @TempDir
    Path dir;
    Engine engine;
    EngineOperations operations;
    ServerSocket holding;
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final List<Socket> clients = new ArrayList<>();
    final List<CliSocketServer> servers = new ArrayList<>();
    Path admin;
    Path operator;
    Path user;

    @BeforeEach
    void start() throws Exception {
        holding = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(holding.accept());      // reads nothing, answers nothing
            } catch (IOException e) {
                // closed by the test
            }
        }, "holding-server");
        acceptor.setDaemon(true);
        acceptor.start();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int port6;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            port6 = probe.getLocalPort();
        }
        operations = new EngineOperations(() -> engine);
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                frontend fe
                    mode http
                    bind 127.0.0.1:%d
                    default_backend app
                frontend fe6
                    mode http
                    bind [::1]:%d
                    default_backend app
                backend app
                    mode http
                    balance first
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:9
                backend v6
                    mode http
                    server s6 [2001:db8:0:0:0:0:0:1]:80
                """.formatted(port, port6, holding.getLocalPort())).config());
        CliCommands commands = new CliCommands(operations);
        admin = open(commands, "admin.sock", StatsSocket.Level.ADMIN);
        operator = open(commands, "oper.sock", StatsSocket.Level.OPERATOR);
        user = open(commands, "user.sock", StatsSocket.Level.USER);
    }

    Path open(CliCommands commands, String name, StatsSocket.Level level) throws Exception {
        Path p = dir.resolve(name);
        servers.add(CliSocketServer.open(new StatsSocket(p.toString(), 0600, level, false, null), commands, 10_000, 10));
        return p;
    }

    @AfterEach
    void stop() throws IOException {
        servers.forEach(CliSocketServer::close);
        for (Socket s : clients) s.close();
        if (engine != null) engine.close();
        holding.close();
        for (Socket s : held) s.close();
    }

    Socket client() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.boundAddresses().get("fe").get(0).getPort());
        s.setSoTimeout(10_000);
        clients.add(s);
        return s;
    }

    /** Asks {@code show sess} until it lists {@code n} sessions (at most 10 s). */
    String sessions(Path socket, int n) throws InterruptedException {
        String answer = "";
        for (int i = 0; i < 200; i++) {
            answer = ask(socket, "show sess\n");
            if (answer.split("\n").length == n && (n == 0 || answer.startsWith("0x"))) return answer;
            Thread.sleep(50);
        }
        return answer;
    }

    static String lineOf(String answer, Socket client) {
        for (String line : answer.split("\n")) if (line.contains(" src=127.0.0.1:" + client.getLocalPort() + " ")) return line;
        throw new AssertionError("no session of port " + client.getLocalPort() + " in:\n" + answer);
    }

    static String idOf(String line) {
        return line.substring(0, line.indexOf(':'));
    }

    /** True once the proxy has closed the client's connection (end of stream or reset), within 10 s. */
    static boolean closedByProxy(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;     // reset
        }
    }

    @Test
    void showSessListsEachClientInHaproxysLineFormat() throws Exception {
        Socket waiting = client();
        waiting.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Socket idle = client();
        String answer = sessions(operator, 2);
        for (int i = 0; i < 200 && !lineOf(answer, waiting).contains("phase=response"); i++) {
            Thread.sleep(50);
            answer = sessions(operator, 2);
        }
        assertTrue(answer.endsWith("\n\n"), "the answer ends with an empty line");
        Pattern busy = Pattern.compile("0x[0-9a-f]+: proto=tcpv4 src=127\\.0\\.0\\.1:" + waiting.getLocalPort()
                + " fe=fe be=app srv=a age=\\d+s thr=\\d+ exchanges=0 phase=response");
        assertTrue(busy.matcher(lineOf(answer, waiting)).matches(), answer);
        Pattern quiet = Pattern.compile("0x[0-9a-f]+: proto=tcpv4 src=127\\.0\\.0\\.1:" + idle.getLocalPort()
                + " fe=fe be=<NONE> srv=<none> age=\\d+s thr=\\d+ exchanges=0 phase=idle");
        assertTrue(quiet.matcher(lineOf(answer, idle)).matches(), answer);

        String id = idOf(lineOf(answer, waiting));
        String detail = ask(operator, "show sess " + id + "\n");
        Matcher head = Pattern.compile(Pattern.quote(id) + ": \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{6}] id=\\d+ proto=tcpv4 source=127\\.0\\.0\\.1:"
                + waiting.getLocalPort() + "\n").matcher(detail);
        assertTrue(head.lookingAt(), detail);
        assertTrue(detail.contains("\n  frontend=fe (mode=http), addr=127.0.0.1:" + engine.boundAddresses().get("fe").get(0).getPort() + "\n"), detail);
        assertTrue(detail.contains("\n  backend=app (mode=http)\n  server=a addr=127.0.0.1:" + holding.getLocalPort() + "\n"), detail);
        assertEquals(2, ask(operator, "show sess all\n").split("\n  thread=").length - 1);
        assertEquals("Session not found.\n\n", ask(admin, "show sess 0x7fffffffffff\n"));
    }

    @Test
    void anIpv6ClientIsListedInHaproxysCompressedForm() throws Exception {
        Socket c = new Socket(InetAddress.getByName("::1"), engine.boundAddresses().get("fe6").get(0).getPort());
        clients.add(c);
        String answer = sessions(operator, 1);
        // HAProxy 2.6 prints the address with inet_ntop: "proto=tcpv6 src=::1:PORT fe=..."
        Pattern line = Pattern.compile("0x[0-9a-f]+: proto=tcpv6 src=::1:" + c.getLocalPort()
                + " fe=fe6 be=<NONE> srv=<none> age=\\d+s thr=\\d+ exchanges=0 phase=idle\n\n");
        assertTrue(line.matcher(answer).matches(), answer);
        String detail = ask(operator, "show sess " + idOf(answer) + "\n");
        assertTrue(detail.contains(" source=::1:" + c.getLocalPort() + "\n"), detail);
        assertTrue(detail.contains(", addr=::1:" + c.getPort() + "\n"), detail);
    }

    /** HAProxy 2.6 for "server s6 [2001:db8:0:0:0:0:0:1]:80": CSV addr "[2001:db8::1]:80", servers state srv_addr "2001:db8::1". */
    @Test
    void anIpv6ServerAddressIsCompressedInShowStatAndServersState() throws Exception {
        String row = ask(user, "show stat\n").lines().filter(l -> l.startsWith("v6,s6,")).findFirst().orElseThrow();
        assertEquals("[2001:db8::1]:80", row.split(",", -1)[io.tidegate.stats.StatColumn.ADDR], row);
        String state = ask(user, "show servers state v6\n");
        assertTrue(state.lines().anyMatch(l -> l.matches("\\d+ v6 1 s6 2001:db8::1 .* 80 .*")), state);
    }

    @Test
    void sessionCommandsNeedHaproxysLevels() throws Exception {
        client();
        String line = sessions(admin, 1).split("\n")[0];
        assertEquals("Permission denied\n\n", ask(user, "show sess\n"));
        assertEquals("Permission denied\n\n", ask(operator, "shutdown session " + idOf(line) + "\n"));
        assertEquals("Permission denied\n\n", ask(operator, "shutdown sessions server app/a\n"));
        assertEquals("Permission denied\n\n", ask(user, "shutdown sessions server app/a\n"));
        assertTrue(ask(operator, "show sess\n").startsWith(idOf(line) + ": proto=tcpv4 "));
        assertTrue(ask(user, "help\n").indexOf("show sess") < 0, "help at user level lists no session command");
        assertTrue(ask(operator, "help\n").contains("  show sess [<id>|all]"));
        assertTrue(ask(admin, "help\n").contains("  shutdown sessions server <bk>/<srv>"));
        assertEquals(1, sessions(admin, 1).split("\n").length, "the refused commands closed nothing");
    }

    @Test
    void shutdownSessionsServerClosesOnlyThatServersSessions() throws Exception {
        Socket waiting = client();
        waiting.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Socket idle = client();
        String answer = sessions(admin, 2);
        for (int i = 0; i < 200 && !lineOf(answer, waiting).contains("srv=a"); i++) {
            Thread.sleep(50);
            answer = sessions(admin, 2);
        }
        assertEquals("No such server.\n\n", ask(admin, "shutdown sessions server app/zz\n"));
        assertEquals("Require 'backend/server'.\n\n", ask(admin, "shutdown sessions server app\n"));
        assertEquals("\n", ask(admin, "shutdown sessions server app/b\n"));
        assertEquals(2, sessions(admin, 2).split("\n").length, "no session was on b");
        assertEquals("\n", ask(admin, "shutdown sessions server app/a\n"));
        assertTrue(closedByProxy(waiting), "the session on app/a was closed");
        String left = sessions(admin, 1);
        assertEquals(1, left.split("\n").length, left);
        assertTrue(left.contains(" src=127.0.0.1:" + idle.getLocalPort() + " "), left);
    }

    @Test
    void shutdownSessionClosesThatSessionOnly() throws Exception {
        Socket one = client();
        Socket two = client();
        String answer = sessions(admin, 2);
        assertEquals("Session pointer expected (use 'show sess').\n\n", ask(admin, "shutdown session\n"));
        assertEquals("Session pointer expected (use 'show sess').\n\n", ask(admin, "shutdown session nope\n"));
        assertEquals("No such session (use 'show sess').\n\n", ask(admin, "shutdown session 0x7fffffffffff\n"));
        assertEquals("\n", ask(admin, "shutdown session " + idOf(lineOf(answer, one)) + "\n"));
        assertTrue(closedByProxy(one), "the session was closed");
        String left = sessions(admin, 1);
        assertEquals(1, left.split("\n").length, left);
        assertTrue(left.contains(" src=127.0.0.1:" + two.getLocalPort() + " "), left);
        assertEquals("No such session (use 'show sess').\n\n", ask(admin, "shutdown session " + idOf(lineOf(answer, one)) + "\n"));
    }

    @Test
    void showErrorsDumpsTheLastInvalidRequestAsHaproxy() throws Exception {
        assertEquals("Permission denied\n\n", ask(user, "show errors\n"));
        Socket bad = client();
        bad.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        String errors = ask(operator, "show errors\n");
        String expected = "Total events captured on \\[[^]]+] : \\d+\n"
                + " \n\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}] frontend fe \\(#1\\): invalid request\n"
                + "  backend <NONE> \\(#-1\\), server <NONE> \\(#-1\\), event #\\d+, src 127\\.0\\.0\\.1:" + bad.getLocalPort() + "\n"
                + "  buffer starts at 0 \\(including 0 out\\), 16342 free,\n"
                + "  len 42, wraps at 16384, error at position 28\n"
                + "  session 0x[0-9a-f]+, answered 400: .+\n"
                + "  \n"
                + "  00000  GET / HTTP/1\\.1\\\\r\\\\n\n"
                + "  00016  Host: t\\\\r\\\\n\n"
                + "  00025  Bad Header: x\\\\r\\\\n\n"
                + "  00040  \\\\r\\\\n\n"
                + "\n";
        assertTrue(Pattern.compile(expected).matcher(errors).matches(), errors);
        String responses = ask(operator, "show errors fe response\n");
        assertTrue(responses.startsWith("Total events captured on ["), responses);
        assertEquals(1, responses.split("\n").length, "no response captures: " + responses);
        assertEquals("No such proxy.\n\n", ask(operator, "show errors nope\n"));
    }

    @Test
    void errorDumpCutsLongLinesWithHaproxysContinuationMark() {
        StringBuilder sb = new StringBuilder();
        ErrorListing.dump(sb, ("GET /" + "a".repeat(100) + " HTTP/1.1\r\n\u0001").getBytes(StandardCharsets.ISO_8859_1));
        String[] lines = sb.toString().split("\n");
        assertTrue(lines[0].startsWith("  00000  GET /aaa"), lines[0]);
        assertTrue(lines[1].startsWith("  000") && lines[1].charAt(7) == '+', lines[1]);
        for (String l : lines) assertTrue(l.length() <= 79, l);
        assertEquals("\\x01", lines[lines.length - 1].substring(lines[lines.length - 1].length() - 4));
    }

    @Test
    void humanTimeAndIdsAsHaproxy() {
        assertEquals("0s", SessionListing.humanTime(0));
        assertEquals("59s", SessionListing.humanTime(59));
        assertEquals("1m5s", SessionListing.humanTime(65));
        assertEquals("1h", SessionListing.humanTime(3600));
        assertEquals("1h1m", SessionListing.humanTime(3661));
        assertEquals("2d3h", SessionListing.humanTime(2 * 86400 + 3 * 3600 + 5));
        assertEquals(26, SessionListing.parseId("0x1a"));
        assertEquals(26, SessionListing.parseId("26"));
        assertEquals(8, SessionListing.parseId("010"));
        assertEquals(0, SessionListing.parseId("x"));
    }
}
