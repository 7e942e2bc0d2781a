package io.tidegate.cli;

import static io.tidegate.cli.CliSocketServerTest.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.StatsSocket;
import io.tidegate.engine.Engine;
import io.tidegate.engine.HaproxyProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show table} and {@code clear table} over the runtime API's UNIX socket, side by side with
 * HAProxy 2.6 fed the same configuration and the same requests: the same answers, but for the
 * entries' addresses and their milliseconds to expiry.
 */
class CliShowTableTest {
    @TempDir
    Path dir;
    Engine engine;
    final List<CliSocketServer> servers = new ArrayList<>();

    private static final String BODY = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:%d
                stick-table type ip size 100k expire 30s store conn_cnt,conn_cur,http_req_cnt,http_req_rate(10s),http_err_cnt,gpc0
                http-request track-sc0 src
                http-request track-sc1 path table per_path
                http-request sc-inc-gpc0(0) if { path /a }
                http-request deny deny_status 429 if { path /deny }
                http-request return status 200
            backend per_path
                stick-table type string len 32 size 1k expire 1m store http_req_cnt
            """;

    @AfterEach
    void stop() {
        servers.forEach(CliSocketServer::close);
        if (engine != null) engine.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One request on its own connection, read to the end. */
    private static void request(int port, String path) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            in.readAllBytes();
        }
    }

    private static void traffic(int port) throws Exception {
        for (String p : List.of("/a", "/a", "/b", "/deny")) request(port, p);
    }

    /** The answer with entry addresses and expiry times replaced, once no connection tracks an entry (bounded wait). */
    private static String settled(Path socket, String command) throws Exception {
        String answer = "";
        for (int i = 0; i < 100; i++) {
            answer = ask(socket, command + "\n");
            if (!answer.contains("use=1") && !answer.contains("conn_cur=1")) break;
            Thread.sleep(20);
        }
        return answer.replaceAll("0x[0-9a-f]+:", "ID:").replaceAll("exp=[0-9]+", "exp=E");
    }

    @Test
    void showTableAnswersAsHaproxyDoes() throws Exception {
        int port = freePort();
        engine = Engine.start(ConfigLoader.load("t.cfg", BODY.formatted(port)).config());
        CliCommands commands = new CliCommands(new EngineOperations(() -> engine));
        Path admin = dir.resolve("tg.sock");
        servers.add(CliSocketServer.open(new StatsSocket(admin.toString(), null, StatsSocket.Level.ADMIN, false, null),
                commands, 10_000, 10));
        Path user = dir.resolve("tg-user.sock");
        servers.add(CliSocketServer.open(new StatsSocket(user.toString(), null, StatsSocket.Level.USER, false, null),
                commands, 10_000, 10));
        traffic(port);

        int hxPort = freePort();
        Path hxSocket = dir.resolve("hx.sock");
        String hxConfig = "global\n    nbthread 1\n    stats socket " + hxSocket + " level admin\n" + BODY.formatted(hxPort);
        try (HaproxyProcess haproxy = HaproxyProcess.start(dir, hxConfig, hxPort)) {
            traffic(hxPort);
            for (String command : List.of("show table fe", "show table per_path", "show table per_path key /a",
                    "show table per_path data.http_req_cnt gt 1", "show table fe data.gpc0 eq 2 data.http_err_cnt ge 1",
                    "show table fe data.conn_rate gt 1", "show table fe data.gpc0 lq 1", "show table nope",
                    "show table fe foo")) {
                assertEquals(settled(hxSocket, command), settled(admin, command), command);
            }
            String list = ask(admin, "show table\n");
            assertEquals(ask(hxSocket, "show table\n").lines().sorted().toList(), list.lines().sorted().toList());
        }
        assertEquals("# table: fe, type: ip, size:102400, used:1\n"
                + "ID: key=127.0.0.1 use=0 exp=E gpc0=2 conn_cnt=4 conn_cur=0 http_req_cnt=4 http_req_rate(10000)=4 http_err_cnt=1\n\n",
                settled(admin, "show table fe"));
        assertEquals("# table: fe, type: ip, size:102400, used:1\n# contents not dumped due to insufficient privileges\n\n",
                ask(user, "show table fe\n"));
        assertEquals("\n", ask(admin, "clear table per_path key /a\n"));
        assertEquals("# table: per_path, type: string, size:1024, used:2\n", ask(admin, "show table\n").lines()
                .filter(l -> l.contains("per_path")).findFirst().orElseThrow() + "\n");
        assertEquals("\n", ask(admin, "clear table per_path\n"));
        assertTrue(ask(admin, "show table\n").contains("# table: per_path, type: string, size:1024, used:0\n"));
    }
}
