package io.tidegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.stats.HealthLookup;
import io.tidegate.stats.StatColumn;
import io.tidegate.stats.StatsSnapshot;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime API over real UNIX sockets against a running engine: each command's answer in
 * HAProxy 2.6's format (as captured from Debian's haproxy 2.6.12), each level, the line protocol.
 */
class CliSocketServerTest {
    @TempDir
    Path dir;
    Engine engine;
    EngineOperations operations;
    final List<CliSocketServer> servers = new ArrayList<>();
    Path admin;
    Path operator;
    Path user;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        operations = new EngineOperations(() -> engine);
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                frontend fe
                    mode http
                    bind 127.0.0.1:%d
                    default_backend app
                backend app
                    mode http
                    server a 127.0.0.1:9 weight 1
                    server b 127.0.0.1:9 weight 50
                """.formatted(port)).config());
        CliCommands commands = new CliCommands(operations);
        admin = open(commands, "admin.sock", 0600, StatsSocket.Level.ADMIN, 10_000, 10);
        operator = open(commands, "oper.sock", 0660, StatsSocket.Level.OPERATOR, 10_000, 10);
        user = open(commands, "user.sock", null, StatsSocket.Level.USER, 10_000, 10);
    }

    Path open(CliCommands commands, String name, Integer mode, StatsSocket.Level level, long timeoutMs, int max) throws Exception {
        Path p = dir.resolve(name);
        servers.add(CliSocketServer.open(new StatsSocket(p.toString(), mode, level, false, null), commands, timeoutMs, max));
        return p;
    }

    @AfterEach
    void stop() {
        servers.forEach(CliSocketServer::close);
        if (engine != null) engine.close();
    }

    /** Sends {@code text}, half-closes (as {@code socat -} does at the end of its input) and reads the answer to the end. */
    static String ask(Path socket, String text) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.shutdownOutput();
                return readAll(ch);
            }
        });
    }

    static String readAll(SocketChannel ch) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    ServerStatus server(String name) {
        return engine.status().backends().get(0).servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void showStatAnswersHaproxysCsv() {
        String answer = ask(user, "show stat\n");
        String[] lines = answer.split("\n", -1);
        assertEquals(StatColumn.headerLine(), lines[0]);
        assertTrue(lines[1].startsWith("fe,FRONTEND,"), lines[1]);
        assertTrue(lines[2].startsWith("app,a,0,"), lines[2]);
        assertTrue(lines[3].startsWith("app,b,0,"), lines[3]);
        assertTrue(lines[4].startsWith("app,BACKEND,0,"), lines[4]);
        assertTrue(answer.endsWith(",\n\n"), "the answer ends with an empty line");
        assertEquals("no check", lines[3].split(",")[StatColumn.STATUS]);
        String servers = ask(user, "show stat -1 4 -1\n");
        assertEquals(3 + 1, servers.split("\n", -1).length - 1, servers);     // header, a, b, empty line
        assertEquals("No such proxy.\n\n", ask(user, "show stat nope -1 -1\n"));
        assertTrue(ask(user, "show stat typed\n").startsWith("F.1.0.0.pxname.1:KNS:str:fe\nF.1.0.1.svname.1:KNS:str:FRONTEND\n"));
        assertTrue(ask(user, "show stat -1 4 -1 json\n").startsWith("[[{\"objType\":\"Server\",\"proxyId\":2,\"id\":1,"));
        String noMaint = ask(admin, "disable server app/a; show stat -1 4 -1 no-maint\n");
        assertTrue(noMaint.contains("\napp,b,") && !noMaint.contains("\napp,a,"), "no-maint hides a server in maintenance: " + noMaint);
    }

    /**
     * A static algorithm ({@code static-rr}, a hash with the default {@code hash-type map-based})
     * keeps its servers' configured weights: only 0 and 100 % are taken, as Debian's haproxy 2.6.12
     * answers to the same commands; a consistent hash and roundrobin take any weight.
     */
    @Test
    void staticAlgorithmsTakeOnlyZeroOrTheConfiguredWeight() throws Exception {
        engine.close();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                frontend fe
                    mode http
                    bind 127.0.0.1:%d
                    default_backend srr
                backend srr
                    balance static-rr
                    server a 127.0.0.1:9 weight 10
                backend mb
                    balance source
                    server a 127.0.0.1:9 weight 10
                backend ch
                    balance source
                    hash-type consistent
                    server a 127.0.0.1:9 weight 10
                """.formatted(port)).config());
        String refused = "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n\n";
        assertEquals(refused, ask(admin, "set weight srr/a 5\n"));
        assertEquals(refused, ask(admin, "set weight srr/a 50%\n"));
        assertEquals(refused, ask(admin, "set server srr/a weight 7\n"));
        assertEquals(refused, ask(admin, "set weight mb/a 5\n"));
        assertEquals("10 (initial 10)\n\n", ask(user, "get weight srr/a\n"));
        assertEquals("\n", ask(admin, "set weight srr/a 0\n"));
        assertEquals("0 (initial 10)\n\n", ask(user, "get weight srr/a\n"));
        assertEquals("\n", ask(admin, "set weight srr/a 100%\n"));
        assertEquals("10 (initial 10)\n\n", ask(user, "get weight srr/a\n"));
        assertEquals("\n", ask(admin, "set weight ch/a 5\n"));
        assertEquals("5 (initial 10)\n\n", ask(user, "get weight ch/a\n"));
        assertThrows(IllegalArgumentException.class, () -> engine.setServerWeight("mb", "a", 3),
                "every path (JMX, admin app) goes through the engine's check");
    }

    @Test
    void getAndSetWeightAsHaproxy() {
        assertEquals("50 (initial 50)\n\n", ask(user, "get weight app/b\n"));
        assertEquals("\n", ask(admin, "set weight app/b 30%\n"));
        assertEquals("15 (initial 50)\n\n", ask(user, "get weight app/b\n"));
        assertEquals(15, server("b").weight());
        assertEquals("\n", ask(admin, "set server app/b weight 20\n"));
        assertEquals(20, server("b").weight());
        assertEquals("Absolute weight can only be between 0 and 256 inclusive.\n\n", ask(admin, "set server app/b weight 300\n"));
        assertEquals("Require <weight> or <weight%>.\n\n", ask(admin, "set weight app/b\n"));
        assertEquals("Require 'backend/server'.\n\n", ask(user, "get weight nope\n"));
        assertEquals("No such backend.\n\n", ask(user, "get weight nope/b\n"));
        assertEquals("No such server.\n\n", ask(user, "get weight app/x\n"));
    }

    @Test
    void changesAboveTheLevelAreRefusedWithHaproxysAnswer() {
        for (Path p : List.of(user, operator)) {
            assertEquals("Permission denied\n\n", ask(p, "set server app/b state drain\n"));
            assertEquals("Permission denied\n\n", ask(p, "set weight app/b 10\n"));
            assertEquals("Permission denied\n\n", ask(p, "disable server app/b\n"));
            assertEquals("Permission denied\n\n", ask(p, "enable health app/b\n"));
            assertEquals("Permission denied\n\n", ask(p, "reload\n"));
        }
        assertEquals(AdminState.READY, server("b").adminState());
        assertEquals(50, server("b").weight());
        assertEquals(0, operations.reloads);
        assertEquals("user\n\n", ask(user, "show cli level\n"));
        assertEquals("operator\n\n", ask(operator, "show cli level\n"));
        assertEquals("admin\n\n", ask(admin, "show cli level\n"));
        assertEquals("\nuser\n\nPermission denied\n\n", ask(admin, "user; show cli level; set weight app/b 1\n"));
        assertEquals("Permission denied\n\n", ask(user, "operator\n"));
    }

    /** A column of the one row of a {@code show stat} answer. */
    static String column(String answer, int column) {
        String[] lines = answer.split("\n");
        assertEquals(2, lines.length, answer);
        return lines[1].split(",", -1)[column];
    }

    @Test
    void serverStatesOverTheSocket() {
        assertEquals("\n", ask(admin, "set server app/b state drain\n"));
        assertEquals(AdminState.DRAIN, server("b").adminState());
        assertEquals("DRAIN", column(ask(user, "show stat -1 4 2\n"), StatColumn.STATUS));
        assertEquals("\n", ask(admin, "set server app/b state maint\n"));
        assertEquals(AdminState.MAINT, server("b").adminState());
        assertEquals("\n", ask(admin, "set server app/b state ready\n"));
        assertEquals(AdminState.READY, server("b").adminState());
        assertEquals("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n", ask(admin, "set server app/b state foo\n"));
        assertEquals("\n", ask(admin, "disable server app/a\n"));
        assertEquals(AdminState.MAINT, server("a").adminState());
        // HAProxy 2.6 printed "3 app 2 b 127.0.0.1 0 1 20 50 0 1 0 0 0 0 0 0 - 18082 - 0 0 - - 0" for a disabled server
        String state = ask(user, "show servers state app\n");
        assertTrue(state.startsWith("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state"), state);
        assertTrue(state.contains("\n2 app 1 a 127.0.0.1 2 1 1 1 "), state);
        assertTrue(state.contains("\n2 app 2 b 127.0.0.1 2 0 50 50 "), state);
        assertEquals("Can't find backend.\n\n", ask(user, "show servers state nope\n"));
        assertEquals("\n", ask(admin, "enable server app/a\n"));
        assertEquals(AdminState.READY, server("a").adminState());
        assertEquals("\n", ask(admin, "disable health app/a\n"));
        assertEquals(false, server("a").healthChecksEnabled());
        assertEquals("\n", ask(admin, "enable health app/a\n"));
        assertEquals(true, server("a").healthChecksEnabled());
        assertEquals("\n", ask(admin, "set server app/a health down\n"));
        assertEquals(false, server("a").up());
        assertEquals("DOWN", column(ask(user, "show stat -1 4 1\n"), StatColumn.STATUS));
        assertEquals("\n", ask(admin, "set server app/a health up\n"));
        assertEquals(true, server("a").up());
        assertEquals("\n", ask(admin, "reload\n").substring(ask(admin, "reload\n").length() - 1));
        assertEquals("Success=1\n\n", ask(admin, "reload\n"));
    }

    @Test
    void infoBackendsHelpAndUnknownCommands() {
        String info = ask(user, "show info\n");
        assertTrue(info.startsWith("Name: Tidegate\nVersion: test\n"), info);
        assertTrue(info.contains("\nUptime_sec: "), info);
        assertEquals("# name\napp\n\n", ask(user, "show backend\n"));
        String help = ask(user, "help\n");
        assertTrue(help.startsWith("The following commands are valid at this level:\n"), help);
        assertTrue(help.contains("\n  get weight <bk>/<srv>                   : "), help);
        assertTrue(!help.contains("set server"), "user level lists only what it may run");
        assertTrue(ask(admin, "help\n").contains("\n  set server <bk>/<srv> [opts]            : "));
        String unknown = ask(admin, "foo\n");
        assertTrue(unknown.startsWith("Unknown command, but maybe one of the following ones is a better match:\n"), unknown);
        assertTrue(unknown.endsWith("  quit                                    : disconnect\n\n"), unknown);
    }

    @Test
    void semicolonsPromptAndQuit() {
        assertEquals("# name\napp\n\n1 (initial 1)\n\n50 (initial 50)\n\n", ask(user, "show backend; get weight app/a;get weight app/b\n"));
        // as HAProxy 2.6 answered "prompt\nshow backend\nget weight app/a\nquit\n"
        assertEquals("\n> # name\napp\n\n> 1 (initial 1)\n\n> ", ask(user, "prompt\nshow backend\nget weight app/a\nquit\n"));
        assertEquals("1 (initial 1)\n\n", ask(user, "get weight app/a\nget weight app/b\n"), "one command line per connection");
        assertEquals("1 (initial 1)\n\n", ask(user, "get weight app/a"), "a last line without newline counts");
    }

    @Test
    void socketFileHasTheConfiguredModeAndGoesAway() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(admin)));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(operator)));
        servers.get(0).close();
        assertTrue(!Files.exists(admin));
        // a stale socket file is replaced, a regular file is not
        CliCommands commands = new CliCommands(operations);
        open(commands, "admin.sock", 0600, StatsSocket.Level.ADMIN, 10_000, 10);
        assertEquals("admin\n\n", ask(admin, "show cli level\n"));
        Path regular = Files.writeString(dir.resolve("file"), "x");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> open(commands, "file", null, StatsSocket.Level.USER, 10_000, 10));
        assertTrue(e.getMessage().contains("is not a socket"));
        assertEquals("x", Files.readString(regular));
    }

    @Test
    void closingTheSocketEndsItsInteractiveClients() throws Exception {
        Path patient = open(new CliCommands(operations), "patient.sock", null, StatsSocket.Level.USER, 300_000, 10);
        CliSocketServer server = servers.get(servers.size() - 1);
        String rest = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(patient));
                ch.write(ByteBuffer.wrap("prompt\n".getBytes(StandardCharsets.UTF_8)));
                ByteBuffer first = ByteBuffer.allocate(16);
                while (first.position() < 3) ch.read(first);           // "\n> ": the session is interactive
                server.close();                                         // undeploy: the socket closes
                return readAll(ch);                                     // ends now, not after the 5 min idle timeout
            }
        });
        assertEquals("", rest);
    }

    @Test
    void overlongLinesAndIdleClientsAreCut() throws Exception {
        String answer = ask(user, "show " + "x".repeat(CliSocketServer.MAX_LINE_BYTES + 10) + "\n");
        assertEquals("Line too long (more than 16384 bytes).\n\n", answer);
        Path quick = open(new CliCommands(operations), "quick.sock", null, StatsSocket.Level.USER, 200, 1);
        String idle = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(quick));
                return readAll(ch);          // sends nothing: the server closes after its timeout
            }
        });
        assertEquals("", idle);
        // the only client slot (stats maxconn 1) is free again
        assertEquals("user\n\n", ask(quick, "show cli level\n"));
    }

    @Test
    void theSameProtocolOverLoopbackTcpAsHaproxysIpv4Socket() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliSocketServer tcp = CliSocketServer.open(new StatsSocket("ipv4@127.0.0.1:" + port, null, StatsSocket.Level.OPERATOR, false, null),
                new CliCommands(operations), 10_000, 10);
        servers.add(tcp);
        java.net.InetSocketAddress at = tcp.tcpAddress();
        String answer = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SocketChannel ch = SocketChannel.open(at)) {
                ch.write(ByteBuffer.wrap("show cli level; get weight app/b; set weight app/b 3\n".getBytes(StandardCharsets.UTF_8)));
                ch.shutdownOutput();
                return readAll(ch);
            }
        });
        assertEquals("operator\n\n50 (initial 50)\n\nPermission denied\n\n", answer);
        assertEquals(50, server("b").weight(), "refused at the operator level");
    }
}
