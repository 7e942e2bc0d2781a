package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.status.ServerStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stats admin if|unless COND}: the form appears only when the condition holds, its POST
 * changes servers through {@link StatsAdminActions} and is answered with HAProxy's 303 and
 * {@code ;st=} code; the body is read bounded in size and time, plain or chunked.
 */
class StatsAdminPageTest {
    Engine engine;
    int port;
    final ExecutorService runner = Executors.newSingleThreadExecutor();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /** Applies admin states and check switches to the engine, records every call with its actor. */
    final StatsAdminActions actions = new StatsAdminActions() {
        @Override
        public void setAdminState(String actor, String backend, String server, AdminState state) {
            engine.setServerAdminState(backend, server, state);
            calls.add(actor + ": " + backend + "/" + server + " state " + state);
        }

        @Override
        public void setHealthChecks(String actor, String backend, String server, boolean enabled) {
            engine.setServerHealthChecks(backend, server, enabled);
            calls.add(actor + ": " + backend + "/" + server + " checks " + enabled);
        }

        @Override
        public void setHealth(String actor, String backend, String server, io.tidegate.engine.ForcedHealth health) {
            engine.forceServerHealth(backend, server, health);
            calls.add(actor + ": " + backend + "/" + server + " health " + health.statusWord());
        }

        @Override
        public int shutdownSessions(String actor, String backend, String server) {
            calls.add(actor + ": " + backend + "/" + server + " shutdown");
            return 0;
        }
    };

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        runner.shutdownNow();
    }

    void startEngine(String lines) throws Exception {
        port = PrometheusEngineTest.freePort();
        String cfg = "global\n    maxconn 100\ndefaults\n    mode http\n    timeout client 5s\n    timeout http-request 400ms\n"
                + "listen web\n    bind 127.0.0.1:" + port + "\n    stats uri /st\n" + lines
                + "    server s0 127.0.0.1:9\n    server s1 127.0.0.1:9\n    server s2 127.0.0.1:9 check\n"
                + "backend other\n    server o1 127.0.0.1:9\n";
        engine = Engine.start(ConfigLoader.load("page.cfg", cfg).config());
        Instant started = Instant.now();
        StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "9.9", started, 1, 0, "n");
        StatsPages.install(engine, () -> Optional.of(StatsSnapshot.of(engine, HealthLookup.NONE, process, started)),
                actions, runner);
    }

    AdminState state(String backend, String server) {
        return serverStatus(backend, server).adminState();
    }

    ServerStatus serverStatus(String backend, String server) {
        for (ServerStatus s : engine.status().backends().stream().filter(b -> b.name().equals(backend)).findFirst().orElseThrow().servers()) {
            if (s.name().equals(server)) return s;
        }
        throw new AssertionError("no server " + server);
    }

    /** Sends raw bytes (optionally in two parts, the second after {@code pauseMs}) and reads the answer until the proxy closes. */
    String exchange(String first, String second, long pauseMs) throws IOException, InterruptedException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(first.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (second != null) {
                if (pauseMs > 0) Thread.sleep(pauseMs);
                try {
                    out.write(second.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException closed) {
                    // answered before all was sent (EXCD, 408): the answer is still there to read
                }
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) > 0; ) got.write(b, 0, n);
            } catch (java.net.SocketException reset) {
                // a close with unread request bytes may reset; what arrived before counts
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    String get(String path, String... headers) throws Exception {
        StringBuilder h = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        for (int i = 0; i < headers.length; i += 2) h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        return exchange(h.append("\r\n").toString(), null, 0);
    }

    String post(String path, String body, String... headers) throws Exception {
        StringBuilder h = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n");
        for (int i = 0; i < headers.length; i += 2) h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        return exchange(h.append("\r\n").append(body).toString(), null, 0);
    }

    static String location(String response) {
        assertTrue(response.startsWith("HTTP/1.1 303 See Other\r\n"), response);
        return response.lines().filter(l -> l.startsWith("Location: ")).findFirst().orElseThrow().substring(10);
    }

    int iid(String proxy) {
        Instant now = Instant.now();
        return StatsSnapshot.of(engine, HealthLookup.NONE, new StatsSnapshot.Process("T", "1", now, 1, 0, "n"), now)
                .proxy(proxy).orElseThrow().iid();
    }

    @Test
    void theFormAppearsOnlyWhenTheConditionHolds() throws Exception {
        startEngine("    stats admin if { src 10.0.0.0/8 }\n");
        String page = get("/st");
        assertTrue(page.startsWith("HTTP/1.1 200 OK"), page);
        assertFalse(page.contains("<form"), "127.0.0.1 is not in 10.0.0.0/8: " + page);
        assertEquals("/st;st=DENY", location(post("/st", "s=s0&action=drain&b=%23" + iid("web"))));
        assertEquals(AdminState.READY, state("web", "s0"));
        assertTrue(calls.isEmpty(), calls.toString());
        engine.close();

        startEngine("    stats admin unless LOCALHOST\n");
        assertFalse(get("/st").contains("<form"));
        engine.close();

        startEngine("    stats admin if LOCALHOST\n");
        page = get("/st");
        assertTrue(page.contains("<form method=\"post\" action=\"/st\">"), page);
        assertTrue(page.contains("<input type=\"checkbox\" name=\"s\" value=\"s0\">"), page);
        assertTrue(page.contains("<option value=\"drain\">Set state to DRAIN</option>"), page);
        assertTrue(page.contains("<input type=\"hidden\" name=\"b\" value=\"#" + iid("web") + "\">"), page);
        assertTrue(page.contains("value=\"o1\""), "every backend has its form: " + page);
    }

    @Test
    void eachActionChangesServersThroughTheCallbackAndAnswersItsCode() throws Exception {
        startEngine("    stats admin if LOCALHOST\n");
        int web = iid("web");
        assertEquals("/st;st=DONE", location(post("/st", "s=s0&s=s1&action=drain&b=%23" + web)));
        assertEquals(AdminState.DRAIN, state("web", "s0"));
        assertEquals(AdminState.DRAIN, state("web", "s1"));
        assertTrue(calls.contains("stats page 127.0.0.1: web/s0 state DRAIN"), calls.toString());
        assertEquals("/st;st=DONE", location(post("/st", "s=s0&action=maint&b=web")), "b by name");
        assertEquals(AdminState.MAINT, state("web", "s0"));
        assertEquals("/st;st=DONE", location(post("/st", "s=s0&s=s1&action=ready&b=%23" + web)));
        assertEquals(AdminState.READY, state("web", "s0"));
        assertEquals(AdminState.READY, state("web", "s1"));
        assertEquals("/st;st=DONE", location(post("/st", "s=o1&action=maint&b=other")));
        assertEquals(AdminState.MAINT, state("other", "o1"));

        calls.clear();
        assertEquals("/st;st=DONE", location(post("/st", "s=s2&action=hdown&b=web")));
        assertEquals("/st;st=DONE", location(post("/st", "s=s2&action=hrunn&b=web")));
        assertEquals("/st;st=DONE", location(post("/st", "s=s2&action=shutdown&b=web")));
        assertEquals(List.of("stats page 127.0.0.1: web/s2 health DOWN", "stats page 127.0.0.1: web/s2 health UP",
                "stats page 127.0.0.1: web/s2 shutdown"), calls);
        // "Set state to NOLB": up, but no new load-balanced traffic, until "force UP"
        calls.clear();
        assertEquals("/st;st=DONE", location(post("/st", "s=s2&action=hnolb&b=web")));
        assertEquals(List.of("stats page 127.0.0.1: web/s2 health NOLB"), calls);
        assertEquals("NOLB", serverStatus("web", "s2").health());
        assertEquals("/st;st=DONE", location(post("/st", "s=s2&action=hrunn&b=web")));
        assertEquals("UP", serverStatus("web", "s2").health());
        // the old words: stop = drain, start = back to ready; a second stop changes nothing (not counted)
        assertEquals("/st;st=DONE", location(post("/st", "s=s1&action=stop&b=web")));
        assertEquals(AdminState.DRAIN, state("web", "s1"));
        assertEquals("/st;st=NONE", location(post("/st", "s=s1&action=stop&b=web")));
        assertEquals("/st;st=DONE", location(post("/st", "s=s1&action=start&b=web")));
        assertEquals(AdminState.READY, state("web", "s1"));

        // agent checks: nothing Tidegate can do, answered as HAProxy for a no-op
        calls.clear();
        for (String noop : List.of("dagent", "eagent", "arunn", "adown")) {
            assertEquals("/st;st=NONE", location(post("/st", "s=s0&action=" + noop + "&b=web")), noop);
        }
        assertTrue(calls.isEmpty(), calls.toString());

        assertEquals("/st;st=PART", location(post("/st", "s=s0&s=nosuch&action=drain&b=web")), "one known, one unknown");
        assertEquals("/st;st=ERRP", location(post("/st", "s=nosuch&action=drain&b=web")), "only unknown servers");
        assertEquals("/st;st=ERRP", location(post("/st", "s=s0&action=explode&b=web")), "unknown action");
        assertEquals("/st;st=ERRP", location(post("/st", "s=s0&action=drain&b=nosuch")), "unknown backend");
        assertEquals("/st;st=NONE", location(post("/st", "action=drain&b=web")), "no server checked");
        assertEquals("/st;st=NONE", location(post("/st", "s=s0&action=drain")),
                "no backend");
        assertEquals("/st;st=DONE;norefresh", location(post("/st;norefresh", "s=s0&action=ready&b=web")),
                "the page's suffixes stay");

        // each code's message on the page the redirect leads to
        for (StatsAdminForm.Outcome o : StatsAdminForm.Outcome.values()) {
            String page = get("/st;st=" + o.name());
            assertTrue(page.contains("<p class=\"st " + o.name() + "\""), o + ": " + page);
            assertTrue(page.contains(o.message()), o + ": " + page);
        }
    }

    @Test
    void signedInUserIsTheActorAndOtherSitesAreDenied() throws Exception {
        startEngine("    stats auth ops:secret\n    stats admin if TRUE\n");
        String auth = "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));
        assertTrue(post("/st", "s=s0&action=drain&b=web").startsWith("HTTP/1.1 401"), "sign-in first");
        assertEquals("/st;st=DENY", location(post("/st", "s=s0&action=drain&b=web", "Authorization", auth,
                "Origin", "http://evil.example")), "a form on another site");
        assertEquals("/st;st=DENY", location(post("/st", "s=s0&action=drain&b=web", "Authorization", auth,
                "Referer", "http://evil.example/page")), "a Referer from another site");
        assertEquals(AdminState.READY, state("web", "s0"));
        assertEquals("/st;st=DONE", location(post("/st", "s=s0&action=drain&b=web", "Authorization", auth,
                "Origin", "http://127.0.0.1:" + port)), "the page's own origin");
        assertEquals(List.of("stats page ops: web/s0 state DRAIN"), calls);
    }

    @Test
    void chunkedAndExpectContinueBodies() throws Exception {
        startEngine("    stats admin if LOCALHOST\n");
        String body = "s=s0&action=drain&b=web";
        String head = "POST /st HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        String chunked = "5;ext=1\r\n" + body.substring(0, 5) + "\r\n" + Integer.toHexString(body.length() - 5) + "\r\n"
                + body.substring(5) + "\r\n0\r\nX-Trailer: t\r\n\r\n";
        assertEquals("/st;st=DONE", location(exchange(head + chunked, null, 0)));
        assertEquals(AdminState.DRAIN, state("web", "s0"));

        String ready = "s=s0&action=ready&b=web";
        String expect = "POST /st HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: " + ready.length() + "\r\n\r\n";
        String answer = exchange(expect, ready, 100);
        assertTrue(answer.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 303 See Other\r\n"), answer);
        assertEquals(AdminState.READY, state("web", "s0"));
    }

    @Test
    void anOversizeBodyIsExcdAndASlowOneIs408() throws Exception {
        startEngine("    stats admin if LOCALHOST\n");
        StringBuilder big = new StringBuilder("action=drain&b=web");
        while (big.length() <= io.tidegate.engine.LocalPost.MAX_BODY) big.append("&s=s0");
        assertEquals("/st;st=EXCD", location(post("/st", big.toString())), "announced larger than the limit");
        String head = "POST /st HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        String chunk = Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
        assertEquals("/st;st=EXCD", location(exchange(head + chunk, null, 0)), "chunked, found larger while read");
        assertEquals(AdminState.READY, state("web", "s0"));
        assertTrue(calls.isEmpty(), calls.toString());

        String slow = exchange("POST /st HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 24\r\n\r\ns=s0", null, 0);
        assertTrue(slow.startsWith("HTTP/1.1 408 "), "the rest never comes within timeout http-request: " + slow);
        assertEquals(AdminState.READY, state("web", "s0"));
    }

    @Test
    void onlyGetHeadAndPostAreThePage() throws Exception {
        startEngine("    stats admin if LOCALHOST\n");
        String put = exchange("PUT /st HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", null, 0);
        assertFalse(put.contains("303") || put.contains("Statistics Report"), "PUT goes to the backend: " + put);
        assertTrue(put.startsWith("HTTP/1.1 503") || put.startsWith("HTTP/1.1 502"), put);
    }
}
