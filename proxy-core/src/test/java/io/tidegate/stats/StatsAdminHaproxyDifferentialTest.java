package io.tidegate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.config.ConfigLoader;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.HaproxyProcess;
import io.tidegate.health.HealthState;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same sequence of admin-form POSTs to Debian's HAProxy 2.6 and to Tidegate, with the same
 * configuration: every answer's {@code Location} (the {@code ;st=} code) is the same, and a server
 * forced to NOLB ({@code hnolb}) shows the same status in both CSVs.
 */
class StatsAdminHaproxyDifferentialTest {

    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            listen web
                bind 127.0.0.1:%d
                stats uri /st
                stats admin if LOCALHOST
                server s0 127.0.0.1:9
                server s1 127.0.0.1:9
                server s2 127.0.0.1:9 check inter 60s
            listen ro
                bind 127.0.0.1:%d
                stats uri /st
                stats admin if { src 10.0.0.0/8 }
                server r0 127.0.0.1:9
            """;

    @Test
    void everyCodeAsHaproxy(@TempDir Path dir) throws Exception {
        int tgWeb = PrometheusEngineTest.freePort();
        int tgRo = PrometheusEngineTest.freePort();
        int hxWeb = PrometheusEngineTest.freePort();
        int hxRo = PrometheusEngineTest.freePort();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Engine engine = Engine.start(ConfigLoader.load("d.cfg", CONFIG.formatted(tgWeb, tgRo)).config());
        HaproxyProcess haproxy = HaproxyProcess.start(dir, "global\n    nbthread 1\n" + CONFIG.formatted(hxWeb, hxRo), hxWeb);
        try {
            Instant started = Instant.now();
            StatsSnapshot.Process process = new StatsSnapshot.Process("Tidegate", "t", started, 1, 0, "n");
            // s2 is the server with 'check', as the health-check scheduler reports it in the deployment
            HealthLookup health = (b, s) -> s.equals("s2") ? Optional.of(HealthState.initial(2, 3)) : Optional.empty();
            StatsPages.install(engine, () -> Optional.of(StatsSnapshot.of(engine, health, process, started)),
                    new EngineActions(engine), runner);

            List<String> forms = new ArrayList<>(List.of(
                    "s=s0&s=s1&action=drain&b=web", "s=s0&action=maint&b=web", "s=s0&s=nosuch&action=ready&b=web",
                    "s=nosuch&action=ready&b=web", "s=s0&action=explode&b=web", "s=s0&action=ready&b=nosuch",
                    "action=ready&b=web", "s=s0&action=ready", "s=s1&action=ready&b=web",
                    "s=s0&action=dagent&b=web", "s=s0&action=eagent&b=web", "s=s0&action=arunn&b=web", "s=s0&action=adown&b=web",
                    "s=s0&action=dhlth&b=web", "s=s2&action=dhlth&b=web", "s=s2&action=ehlth&b=web",
                    "s=s2&action=hdown&b=web", "s=s2&action=hrunn&b=web", "s=s1&action=shutdown&b=web",
                    "s=s1&action=disable&b=web", "s=s1&action=disable&b=web", "s=s1&action=enable&b=web",
                    "s=s1&action=enable&b=web", "s=s1&action=stop&b=web", "s=s1&action=start&b=web",
                    "s=s0&action=drain&b=web&action=maint", "b=web&s=s%30&action=ready", "s=s0&action=hnolb&b=web",
                    "s=s0&action=hrunn&b=web", "s=s2&action=hnolb&b=web", "s=s2&action=hrunn&b=web"));
            String big = "action=ready&b=web&s=s0";
            forms.add(big + "&s=s1".repeat(14_000 / 5));
            forms.add(big + "&s=s1".repeat(16_000 / 5));
            Map<String, String> differences = new TreeMap<>();
            for (String form : forms) {
                String hx = location(post(hxWeb, "/st", form));
                String tg = location(post(tgWeb, "/st", form));
                if (!hx.equals(tg)) differences.put(form.length() > 60 ? form.substring(0, 60) + "..." : form, "HAProxy " + hx + ", Tidegate " + tg);
            }
            assertEquals(Map.of(), differences);

            // "Set state to NOLB" on the server without checks: the same status word in both CSVs, then back
            assertEquals(location(post(hxWeb, "/st", "s=s0&action=hnolb&b=web")), location(post(tgWeb, "/st", "s=s0&action=hnolb&b=web")));
            assertEquals("NOLB", csvStatus(get(tgWeb, "/st;csv"), "s0"));
            assertEquals(csvStatus(get(hxWeb, "/st;csv"), "s0"), csvStatus(get(tgWeb, "/st;csv"), "s0"));
            post(hxWeb, "/st", "s=s0&action=hrunn&b=web");
            post(tgWeb, "/st", "s=s0&action=hrunn&b=web");
            assertEquals(csvStatus(get(hxWeb, "/st;csv"), "s0"), csvStatus(get(tgWeb, "/st;csv"), "s0"));
            assertEquals(AdminState.READY, engine.status().backends().get(0).servers().get(0).adminState());

            // the backend by the id the page's form carries, and a POST where no admin condition holds
            String hxId = formId(get(hxWeb, "/st"));
            String tgId = formId(get(tgWeb, "/st"));
            assertEquals(location(post(hxWeb, "/st", "s=s0&action=drain&b=%23" + hxId.substring(1))),
                    location(post(tgWeb, "/st", "s=s0&action=drain&b=%23" + tgId.substring(1))));
            assertEquals("/st;st=DENY", location(post(hxRo, "/st", "s=r0&action=drain&b=ro")));
            assertEquals("/st;st=DENY", location(post(tgRo, "/st", "s=r0&action=drain&b=ro")));
        } finally {
            haproxy.close();
            engine.close();
            runner.shutdownNow();
        }
    }

    /** The status column of backend web's server {@code server} in a stats CSV. */
    private static String csvStatus(String csv, String server) {
        for (String line : csv.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && f[0].equals("web") && f[1].equals(server)) return f[17];
        }
        throw new AssertionError("no row web/" + server + " in\n" + csv);
    }

    /** Applies changes to the engine directly (the deployment goes through the management service). */
    private record EngineActions(Engine engine) implements StatsAdminActions {
        @Override
        public void setAdminState(String actor, String backend, String server, AdminState state) {
            engine.setServerAdminState(backend, server, state);
        }

        @Override
        public void setHealthChecks(String actor, String backend, String server, boolean enabled) {
            engine.setServerHealthChecks(backend, server, enabled);
        }

        @Override
        public void setHealth(String actor, String backend, String server, io.tidegate.engine.ForcedHealth health) {
            engine.forceServerHealth(backend, server, health);
        }

        @Override
        public int shutdownSessions(String actor, String backend, String server) {
            return 0;
        }
    }

    private static String formId(String page) {
        Matcher m = Pattern.compile("name=\"?b\"? value=\"(#[0-9]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private static String location(String response) {
        assertTrue(response.startsWith("HTTP/1.1 303 See Other\r\n"), response);
        return response.lines().filter(l -> l.regionMatches(true, 0, "Location: ", 0, 10)).findFirst().orElseThrow().substring(10);
    }

    private static String get(int port, String path) throws Exception {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static String post(int port, String path, String body) throws Exception {
        return send(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    private static String send(int port, String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) > 0; ) got.write(b, 0, n);
            } catch (java.net.SocketException reset) {
                // closed with request bytes unread (EXCD): the answer arrived before
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

}
