package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SPEC S10 end to end: a bounded loopback load (new connections, keep-alive clients, slow 1.5 s
 * requests, a request always queued behind a {@code maxconn 1} server, an upgraded connection) runs
 * while the configuration is reloaded 20 times over JMX (weights change, a server is added and one
 * removed, a bind is added and removed) and while the EAR is redeployed 3 times. Nothing may be
 * refused, reset, time out, answer non-2xx or from a server the configuration no longer has, the
 * reloads close no keep-alive connection, and the upgraded connection stays open and keeps echoing
 * across reloads and redeploys (each deployment hands it to the next).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SeamlessReloadIT {

    private static final String DEPLOYMENT = "tidegate-seamless";
    private static final Pattern SWITCH = Pattern.compile("switch (\\d+) µs, reload (\\d+) ms");

    @ArquillianResource
    private Deployer deployer;

    private ReloadLoad.Backends backends;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @AfterEach
    void tearDown() {
        deployer.undeploy(DEPLOYMENT);
        if (backends != null) {
            backends.close();
        }
    }

    private record Ports(int http, int extra, int queue, int ws) {
    }

    /** The configuration of reload {@code i}: weights move, c comes and goes, b goes and comes, a bind comes and goes. */
    private String config(Ports p, int i) {
        StringBuilder web = new StringBuilder();
        web.append("listen web\n    bind 127.0.0.1:").append(p.http()).append('\n');
        if (i % 2 == 1) web.append("    bind 127.0.0.1:").append(p.extra()).append('\n');
        web.append("    mode http\n    balance roundrobin\n    grace 10s\n");
        web.append("    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n");
        web.append("    server a 127.0.0.1:").append(backends.port("a")).append(" weight ").append(1 + i % 5).append('\n');
        if (i % 4 != 3) web.append("    server b 127.0.0.1:").append(backends.port("b")).append(" weight ").append(1 + i % 3).append('\n');
        if (i % 3 == 1) web.append("    server c 127.0.0.1:").append(backends.port("c")).append('\n');
        return "global\n    hard-stop-after 60s\n\n" + web + """

                listen queued
                    bind 127.0.0.1:%d
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    timeout queue 20s
                    server s 127.0.0.1:%d maxconn 1

                listen ws
                    bind 127.0.0.1:%d
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    timeout tunnel 120s
                    server e 127.0.0.1:%d
                """.formatted(p.queue(), backends.port("s"), p.ws(), backends.echoPort());
    }

    private static Set<String> webServers(int i) {
        Set<String> s = new LinkedHashSet<>();
        s.add("a");
        if (i % 4 != 3) s.add("b");
        if (i % 3 == 1) s.add("c");
        return s;
    }

    @Test
    void twentyReloadsAndThreeRedeploysUnderLoadLoseNothing() throws Exception {
        backends = new ReloadLoad.Backends("a", "b", "c", "s");
        Ports p = new Ports(ItEnvironment.freePort(), ItEnvironment.freePort(), ItEnvironment.freePort(),
                ItEnvironment.freePort());
        ItEnvironment.writeConfig(config(p, 0));
        deployer.deploy(DEPLOYMENT);
        ServerLog log = ServerLog.fromNow();

        // ---- 20 reloads
        ReloadLoad load = new ReloadLoad(p.http(), p.queue(), p.ws());
        load.allow(webServers(0));
        load.start(240);
        try (JMXConnector connector = ItEnvironment.jmx()) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName tidegate = new ObjectName("tidegate:type=Tidegate");
            Thread.sleep(2_000);
            for (int i = 1; i <= 20; i++) {
                Set<String> both = new LinkedHashSet<>(webServers(i - 1));
                both.addAll(webServers(i));
                load.allow(both);
                ItEnvironment.writeConfig(config(p, i));
                assertEquals("reloaded", jmx.invoke(tidegate, "reload", new Object[0], new String[0]), "reload " + i);
                load.allow(webServers(i));
                if (i % 2 == 1) {
                    assertEquals(200, get(p.extra()), "the bind added by reload " + i + " serves");
                }
                Thread.sleep(700);
            }
            Thread.sleep(2_000);
        }
        ReloadLoad.Counts reloads = load.stop();
        long reloadPause = load.longestConnectMillis();
        List<String> switches = log.linesContaining("Reloaded:");
        long maxSwitchMicros = 0;
        long maxReloadMs = 0;
        for (String l : switches) {
            Matcher m = SWITCH.matcher(l);
            if (m.find()) {
                maxSwitchMicros = Math.max(maxSwitchMicros, Long.parseLong(m.group(1)));
                maxReloadMs = Math.max(maxReloadMs, Long.parseLong(m.group(2)));
            }
        }
        System.out.printf("Seamless reload: 20 reloads under load: %s; longest connect %d ms, longest new-connection "
                + "answer %d ms; longest switch %d µs, longest reload %d ms%n", reloads, reloadPause,
                load.longestNewConnectionAnswerMillis(), maxSwitchMicros, maxReloadMs);
        reloads.samples().forEach(s -> System.out.println("  " + s));

        assertEquals(20, switches.size(), "one log line per reload: " + switches);
        Map<String, Long> r = reloads.asMap();
        for (String k : List.of("refused", "reset", "timeouts", "non-2xx", "disallowed server", "closed before answer",
                "keep-alive closed", "tunnel lost")) {
            assertEquals(0L, r.get(k), k + " during reloads: " + reloads + " " + reloads.samples());
        }
        assertTrue(r.get("requests ok") > 200 && r.get("slow ok") > 5 && r.get("queued ok") > 20
                && r.get("tunnel echoes") > 50, "the load ran: " + reloads);

        // ---- 3 redeploys (an upgrade of Tidegate itself): the upgraded connection is handed from each
        // deployment to the next and keeps echoing
        ReloadLoad upgrade = new ReloadLoad(p.http(), p.queue(), p.ws());
        upgrade.allow(webServers(20));
        upgrade.start(240);
        Thread.sleep(2_000);
        ServerLog upgradeLog = ServerLog.fromNow();
        for (int i = 0; i < 3; i++) {
            deployer.undeploy(DEPLOYMENT);
            deployer.deploy(DEPLOYMENT);
            Thread.sleep(2_000);
        }
        ReloadLoad.Counts redeploys = upgrade.stop();
        List<Long> pauses = acceptPauses(upgradeLog.lines());
        System.out.printf("EAR upgrade: 3 redeploys under load: %s; accept pauses (socket parked -> taken over) %s ms; "
                + "longest new-connection answer %d ms%n", redeploys, pauses, upgrade.longestNewConnectionAnswerMillis());
        assertEquals(3, pauses.size(), "each redeploy took the parked socket over: " + pauses);
        redeploys.samples().forEach(s -> System.out.println("  " + s));
        Map<String, Long> d = redeploys.asMap();
        for (String k : List.of("refused", "reset", "timeouts", "non-2xx", "disallowed server", "closed before answer",
                "tunnel lost")) {
            assertEquals(0L, d.get(k), k + " during redeploys: " + redeploys + " " + redeploys.samples());
        }
        assertTrue(d.get("requests ok") > 100, "the load ran: " + redeploys);
        assertEquals(3, upgradeLog.linesContaining("Took over 1 of 1 upgraded/tcp tunnels").size(),
                "each deployment took the upgraded connection over: " + upgradeLog.linesContaining("tunnels"));
        assertTrue(d.get("tunnel echoes") > 30, "the one upgraded connection kept echoing across the redeploys: " + redeploys);
    }

    private static final Pattern STAMP = Pattern.compile("^\\S+ (\\d\\d):(\\d\\d):(\\d\\d),(\\d\\d\\d) ");

    /** For each "parked" line of the web listener, the ms until its "taken over" line. */
    private static List<Long> acceptPauses(List<String> lines) {
        List<Long> pauses = new java.util.ArrayList<>();
        Long parked = null;
        for (String l : lines) {
            Matcher m = STAMP.matcher(l);
            if (!m.find()) continue;
            long t = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3))) * 1000
                    + Long.parseLong(m.group(4));
            if (l.contains("Listening socket on") && l.contains("parked") && parked == null) parked = t;
            if (l.contains("Proxy web started") && l.contains("taken over") && parked != null) {
                pauses.add(t - parked);
                parked = null;
            }
        }
        return pauses;
    }

    private static int get(int port) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/extra"))
                        .timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
