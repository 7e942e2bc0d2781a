package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A map file named relative to the configuration file (as pattern files are) is found wherever the
 * engine runs: in an ACL chain, a rule value and a use_backend name, over real sockets.
 */
class ConverterMapFileEndToEndTest extends EngineTestSupport {

    @TempDir
    Path dir;
    private final List<RecordingBackend> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(RecordingBackend::close);
    }

    @Test
    void relativeMapFilesInAclsValuesAndBackendNames() throws Exception {
        RecordingBackend blue = new RecordingBackend("blue");
        RecordingBackend other = new RecordingBackend("other");
        servers.add(blue);
        servers.add(other);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("hosts.map"), "www.example.com blue\nbad.example.com blocked\n");
        String config = """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend www
                    bind 127.0.0.1:%d
                    http-request deny deny_status 403 if { req.hdr(host),lower,map(hosts.map,none) blocked }
                    http-request set-header X-Color %%[req.hdr(host),lower,map(hosts.map,none)]
                    use_backend be_%%[req.hdr(host),lower,map(hosts.map,other)]
                    default_backend be_other
                backend be_blue
                    server a 127.0.0.1:%d
                backend be_other
                    server a 127.0.0.1:%d
                """.formatted(port, blue.port(), other.port());
        track(Engine.start(ConfigLoader.load(dir.resolve("t.cfg").toString(), config).config()));
        try (RawClient c = new RawClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: WWW.Example.com\r\n\r\n");
            assertEquals(200, c.read().status());
        }
        assertEquals(List.of("blue"), blue.take().all("X-Color"));
        try (RawClient c = new RawClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: elsewhere\r\n\r\n");
            assertEquals(200, c.read().status());
        }
        assertEquals(List.of("none"), other.take().all("X-Color"));
        try (RawClient c = new RawClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: BAD.example.com\r\n\r\n");
            assertEquals(403, c.read().status());
        }
    }
}
