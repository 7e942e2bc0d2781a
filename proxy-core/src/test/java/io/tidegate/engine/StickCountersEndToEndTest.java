package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import io.undertow.Undertow;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limiting and connection limits with stick counters (track-sc*, sc_* / src_* fetches) over loopback sockets. */
class StickCountersEndToEndTest extends EngineTestSupport {
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private Undertow backend;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeAfter) c.close();
        if (backend != null) backend.stop();
    }

    /** A backend answering the status of its path's last part (/status/404 -> 404), else 200. */
    private int backend() {
        backend = Undertow.builder().setIoThreads(1).setWorkerThreads(1).addHttpListener(0, "127.0.0.1")
                .setHandler(ex -> {
                    String p = ex.getRequestPath();
                    ex.setStatusCode(p.startsWith("/status/") ? Integer.parseInt(p.substring(8)) : 200);
                    ex.getResponseSender().send("ok");
                }).build();
        backend.start();
        return ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Engine startConfig(String text) throws Exception {
        Engine e = Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("s.cfg", text)),
                SupportedFeatures.CURRENT).config());
        track(e);
        return e;
    }

    private static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            """;

    @Test
    void aClientAboveTheRequestRateGets429() throws Exception {
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:%d
                    stick-table type ip size 100k expire 30s store http_req_rate(10s),conn_cur,http_req_cnt
                    http-request track-sc0 src
                    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 20 }
                    http-response set-header X-Req-Cnt %%[sc0_http_req_cnt]
                    default_backend be
                backend be
                    server s 127.0.0.1:%d
                """.formatted(port, backend()));
        try (RawClient c = new RawClient(port)) {
            for (int i = 1; i <= 20; i++) {
                RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertEquals(200, r.status(), "request " + i);
                assertEquals(String.valueOf(i), r.headers().get("x-req-cnt").get(0));
            }
            assertEquals(429, c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status(), "the 21st in 10 s");
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals(429, c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").read().status(), "a new connection too");
        }
    }

    @Test
    void srcConnCurLimitsConcurrentConnectionsAndFallsWhenTheyClose() throws Exception {
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:%d
                    stick-table type ip size 1k expire 30s store conn_cur,conn_cnt
                    tcp-request connection reject if { src_conn_cur ge 2 }
                    tcp-request connection track-sc0 src
                    http-response set-header X-Conn %%[sc0_conn_cur]/%%[sc0_conn_cnt]
                    default_backend be
                backend be
                    server s 127.0.0.1:%d
                """.formatted(port, backend()));
        RawClient first = new RawClient(port);
        closeAfter.add(first);
        assertEquals("1/1", first.get("/").headers().get("x-conn").get(0));
        RawClient second = new RawClient(port);
        closeAfter.add(second);
        assertEquals("2/2", second.get("/").headers().get("x-conn").get(0));
        try (RawClient third = new RawClient(port)) {
            assertTrue(third.isClosedByPeer(5000), "a third concurrent connection is rejected");
        }
        first.close();
        // conn_cur falls when the proxy has seen the close: retry a bounded number of times
        String seen = null;
        for (int i = 0; i < 50 && seen == null; i++) {
            try (RawClient again = new RawClient(port)) {
                seen = again.get("/").headers().get("x-conn").get(0);
            } catch (java.io.IOException rejected) {
                Thread.sleep(20);       // rejected while the close was not processed yet
            }
        }
        assertEquals("2/", seen == null ? null : seen.substring(0, 2), "room again after a connection closed");
    }

    @Test
    void fourXxResponsesAndDenialsCountAsHttpErrors() throws Exception {
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:%d
                    stick-table type ip size 1k expire 30s store http_err_cnt,http_err_rate(10s),gpc0
                    tcp-request connection track-sc1 src
                    http-request deny if { path /denied }
                    http-request sc-inc-gpc0(1) if { path /count }
                    http-response set-header X-Err %%[sc1_http_err_cnt]/%%[sc_http_err_rate(1)]/%%[sc1_get_gpc0]
                    default_backend be
                backend be
                    server s 127.0.0.1:%d
                """.formatted(port, backend()));
        try (RawClient c = new RawClient(port)) {
            assertEquals("0/0/0", c.get("/status/404").headers().get("x-err").get(0), "counted when the exchange ends");
            assertEquals("1/1/0", c.get("/status/500").headers().get("x-err").get(0), "a 5xx is no client error");
            assertEquals("1/1/1", c.get("/count").headers().get("x-err").get(0));
            assertEquals(403, c.get("/denied").status());
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals("2/2/1", c.get("/").headers().get("x-err").get(0), "the denial counted");
        }
    }

    @Test
    void aBackendHoldsTheTableOtherProxiesTrackInto() throws Exception {
        int port = freePort();
        startConfig(DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:%d
                    http-request track-sc2 req.hdr(x-api-key) table per_key
                    http-request deny deny_status 429 if { sc2_http_req_cnt gt 2 }
                    http-request deny deny_status 403 if { sc2_tracked } !{ sc_http_req_cnt(2,per_key) ge 1 }
                    default_backend be
                backend per_key
                    stick-table type string len 32 size 1k expire 1m store http_req_cnt
                backend be
                    server s 127.0.0.1:%d
                """.formatted(port, backend()));
        for (int i = 1; i <= 3; i++) {
            try (RawClient c = new RawClient(port)) {
                RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Api-Key: k1\r\n\r\n").read();
                assertEquals(i <= 2 ? 200 : 429, r.status(), "request " + i + " of key k1");
            }
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Api-Key: k2\r\n\r\n").read().status(),
                    "another key has its own count");
        }
        for (int i = 0; i < 4; i++) {
            try (RawClient c = new RawClient(port)) {
                assertEquals(200, c.get("/").status(), "no key: not tracked, never limited");
            }
        }
    }
}
