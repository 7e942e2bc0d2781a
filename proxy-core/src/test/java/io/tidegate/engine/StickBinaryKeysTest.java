package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stick-table type binary} with {@code stick on payload_lv(43,1)}: the SSL session-id
 * stickiness of 1.x-era configurations. Over loopback sockets, clients send a TLS ClientHello with a
 * session id; the connections of one session id reach one server, the table holds the id as a binary
 * key (zero-padded to {@code len}) and {@code show table} prints it in hexadecimal as HAProxy does.
 */
class StickBinaryKeysTest {
    private final List<ServerSocket> servers = new ArrayList<>();
    private Engine engine;

    @AfterEach
    void stop() throws IOException {
        if (engine != null) engine.close();
        for (ServerSocket s : servers) s.close();
    }

    /** A server that answers every connection with its name, then closes it. */
    private int server(String name) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    return;
                }
            }
        }, "server-" + name);
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A TLS 1.2 ClientHello whose session id is {@code id} (the id's length byte at offset 43). */
    static byte[] clientHello(byte[] id) {
        int body = 2 + 32 + 1 + id.length + 2 + 2 + 1 + 1;
        byte[] b = new byte[5 + 4 + body];
        int p = 0;
        b[p++] = 0x16; b[p++] = 3; b[p++] = 1;                                     // handshake record, TLS 1.0
        b[p++] = (byte) ((4 + body) >> 8); b[p++] = (byte) (4 + body);
        b[p++] = 1; b[p++] = 0; b[p++] = (byte) (body >> 8); b[p++] = (byte) body;   // ClientHello
        b[p++] = 3; b[p++] = 3;                                                    // client version TLS 1.2
        for (int i = 0; i < 32; i++) b[p++] = (byte) i;                            // random
        b[p++] = (byte) id.length;
        System.arraycopy(id, 0, b, p, id.length);
        p += id.length;
        b[p++] = 0; b[p++] = 2; b[p++] = (byte) 0xc0; b[p++] = 0x2f;              // one cipher suite
        b[p++] = 1; b[p] = 0;                                                      // null compression
        return b;
    }

    /** The name of the server that answered a connection bringing {@code hello}. */
    private static String connect(int port, byte[] hello) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void connectionsOfOneSessionIdReachOneServerAndTheTableShowsTheIdInHex() throws Exception {
        int port = freePort();
        engine = Engine.start(ConfigLoader.load("t.cfg", """
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:%d
                    tcp-request inspect-delay 5s
                    tcp-request content accept if { req_ssl_hello_type 1 }
                    default_backend be
                backend be
                    balance roundrobin
                    stick-table type binary len 32 size 30k expire 30m
                    stick on payload_lv(43,1) if { req_ssl_hello_type 1 }
                    server s1 127.0.0.1:%d
                    server s2 127.0.0.1:%d
                """.formatted(port, server("s1"), server("s2"))).config());
        byte[] first = new byte[32];
        byte[] second = new byte[32];
        for (int i = 0; i < 32; i++) {
            first[i] = (byte) (0xa0 + i);
            second[i] = (byte) (0x10 + i);
        }
        byte[] shortId = {(byte) 0xfe, 0x01};
        Set<String> firstServers = new HashSet<>();
        Set<String> secondServers = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            firstServers.add(connect(port, clientHello(first)));
            secondServers.add(connect(port, clientHello(second)));
        }
        assertEquals(1, firstServers.size(), "one session id, one server: " + firstServers);
        assertEquals(1, secondServers.size(), "one session id, one server: " + secondServers);
        assertNotEquals(firstServers, secondServers, "round robin gave the two sessions different servers");
        String shortServer = connect(port, clientHello(shortId));
        assertEquals(shortServer, connect(port, clientHello(shortId)));

        StickTableView be = engine.stickTables("be").stream().filter(t -> t.name().equals("be")).findFirst().orElseThrow();
        assertEquals("binary", be.type());
        assertEquals(3, be.used());
        List<String> keys = be.rows().stream().map(StickTableView.Row::key).sorted().toList();
        StringBuilder hexFirst = new StringBuilder();
        StringBuilder hexSecond = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            hexFirst.append(String.format("%02X", first[i] & 0xff));
            hexSecond.append(String.format("%02X", second[i] & 0xff));
        }
        assertEquals(List.of(hexSecond.toString(), hexFirst.toString(), "FE01" + "00".repeat(30)), keys);
        assertTrue(be.rows().stream().allMatch(r -> r.data().get(0).label().equals("server_id")), be.rows().toString());
    }
}
