package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code frontend www} and {@code backend www} in one file, as HAProxy 2.6 allows: two proxies, each
 * running its own rules (the frontend's are not taken for the backend's, as they would be for a
 * listen section), {@code use_backend} and {@code nbsrv()} naming the backend side only.
 */
class SharedProxyNameTest extends EngineTestSupport {

    private final RecordingBackend www = new RecordingBackend("www");
    private final RecordingBackend other = new RecordingBackend("other");

    @AfterEach
    void stopServers() {
        www.close();
        other.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFrontendAndABackendOfOneNameKeepTheirOwnRules() throws Exception {
        int port = freePort();
        var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("shared.cfg", """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend www
                    bind 127.0.0.1:%d
                    http-request set-header X-Front front
                    acl one_in_www nbsrv(www) eq 1
                    http-request return status 200 content-type text/plain string one if { path /count } one_in_www
                    use_backend other if { path_beg /other }
                    default_backend www
                backend www
                    http-request set-header X-Back www
                    http-response set-header X-Back-Response www
                    server w 127.0.0.1:%d
                backend other
                    server o 127.0.0.1:%d
                """.formatted(port, www.port(), other.port()))), SupportedFeatures.CURRENT);
        track(Engine.start(loaded.config()));
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.get("/page");
            assertEquals("www", r.header("X-Server"));
            assertEquals("www", r.header("X-Back-Response"), "the backend's response rule ran");
            RecordingBackend.Seen seen = www.take();
            assertEquals("front", seen.first("X-Front"), "the frontend's request rule ran");
            assertEquals("www", seen.first("X-Back"), "then the backend's");

            r = c.get("/other/x");
            assertEquals("other", r.header("X-Server"), "the frontend's use_backend rule ran");
            assertNull(r.header("X-Back-Response"));
            seen = other.take();
            assertEquals("front", seen.first("X-Front"));
            assertNull(seen.first("X-Back"), "backend www's rules do not run for another backend");

            assertEquals("one", c.get("/count").bodyText(), "nbsrv(www) counts the backend's servers");
        }
    }
}
