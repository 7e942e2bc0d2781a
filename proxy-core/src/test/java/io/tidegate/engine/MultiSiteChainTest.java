package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.engine.status.ServerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guide §5, multi-site load balancing with local preference, with one Tidegate engine per proxy of
 * the guide chained on loopback: office proxy OP1 (passive SITE cookie, site 2 as backup) -> site
 * directors SD1/SD2 (SITE insert indirect, forwardfor, the other site's local LBs as backups) ->
 * local load balancers S1L1/S1L2/S2L1/S2L2 (JSESSIONID prefix, httpclose, forwardfor, backups
 * sharing the web servers' cookies) -> web servers W11..W14, W21..W24. The WAN failure between OP1
 * and site 1 is SD1 stopping: OP1's connects to it fail and, without health checks, the retries
 * end in a redispatch to its backup SD2.
 */
class MultiSiteChainTest extends EngineTestSupport {
    private final Map<String, RecordingBackend> web = new LinkedHashMap<>();
    private final List<Engine> engines = new ArrayList<>();
    private int op1;
    private int sd1;
    private int sd2;
    private final Map<String, Integer> localLb = new LinkedHashMap<>();
    private Engine sd1Engine;
    private Engine sd2Engine;
    private String sd1Config;

    @AfterEach
    void stopEngines() {
        for (Engine e : engines) e.close();
    }

    private Engine start(String config) throws Exception {
        Engine e = GuideConfigs.start(config);
        engines.add(0, e);
        return e;
    }

    private void startChain() throws Exception {
        for (String site : List.of("1", "2")) {
            for (int i = 1; i <= 4; i++) {
                String n = "W" + site + i;
                RecordingBackend b = track(new RecordingBackend(n));
                b.setCookies("JSESSIONID=123");
                web.put(n, b);
            }
        }
        for (String lb : List.of("S1L1", "S1L2", "S2L1", "S2L2")) localLb.put(lb, GuideConfigs.freePort());
        op1 = GuideConfigs.freePort();
        sd1 = GuideConfigs.freePort();
        sd2 = GuideConfigs.freePort();
        for (String lb : localLb.keySet()) start(localLbConfig(lb));
        sd1Config = siteDirectorConfig(sd1, "1", "2");
        sd1Engine = start(sd1Config);
        sd2Engine = start(siteDirectorConfig(sd2, "2", "1"));
        start("""
                listen 127.0.0.1:%d
                mode http
                balance roundrobin
                redispatch
                cookie SITE
                option httpchk HEAD / HTTP/1.0
                server SD1 127.0.0.1:%d cookie SITE1 check inter 30000
                server SD2 127.0.0.1:%d cookie SITE2 check inter 60000 backup
                """.formatted(op1, sd1, sd2));
    }

    /** S1L1/S1L2 or S2L1/S2L2 as the guide configures them, health-check forwarder on "port 81" included. */
    private String localLbConfig(String lb) throws Exception {
        String site = lb.substring(1, 2);
        int port = localLb.get(lb);
        StringBuilder s = new StringBuilder();
        s.append("""
                listen 127.0.0.1:%d
                grace 20000 # don't kill us until 20 seconds have elapsed
                mode http
                balance roundrobin
                cookie JSESSIONID prefix
                option httpclose
                option forwardfor
                option httpchk HEAD / HTTP/1.0
                """.formatted(port));
        for (int i = 1; i <= 4; i++) {
            s.append("server W").append(site).append(i).append(" 127.0.0.1:").append(web.get("W" + site + i).port())
                    .append(" cookie W").append(site).append(i).append(" check port 81 inter 2000\n");
        }
        s.append('\n');
        for (int i = 1; i <= 4; i++) {
            s.append("server B").append(site).append(i).append(" 127.0.0.1:").append(web.get("W" + site + i).port())
                    .append(" cookie W").append(site).append(i).append(" check port 80 inter 4000 backup\n");
        }
        s.append("""
                listen 127.0.0.1:%d
                mode tcp
                dispatch 127.0.0.1:%d
                """.formatted(GuideConfigs.freePort(), port));
        return s.toString();
    }

    private String siteDirectorConfig(int port, String local, String remote) {
        return """
                listen 127.0.0.1:%d
                mode http
                balance roundrobin
                redispatch
                cookie SITE insert indirect
                option httpchk HEAD / HTTP/1.0
                option forwardfor
                server S%sL1 127.0.0.1:%d cookie SITE%s check port 81 inter 4000
                server S%sL2 127.0.0.1:%d cookie SITE%s check port 81 inter 4000
                server S%sL1 127.0.0.1:%d cookie SITE%s check port 81 inter 8000 backup
                server S%sL2 127.0.0.1:%d cookie SITE%s check port 81 inter 8000 backup
                """.formatted(port,
                local, localLb.get("S" + local + "L1"), local, local, localLb.get("S" + local + "L2"), local,
                remote, localLb.get("S" + remote + "L1"), remote, remote, localLb.get("S" + remote + "L2"), remote);
    }

    private static long served(Engine e, String server) {
        for (ServerStatus s : e.status().backends().get(0).servers()) {
            if (s.name().equals(server)) return s.totalRequests();
        }
        throw new AssertionError("no server " + server);
    }

    private RawClient.Response get(RawClient c, String cookie) throws Exception {
        c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                + "\r\n");
        return c.read();
    }

    private void assertNoOtherRequests() {
        for (RecordingBackend b : web.values()) assertTrue(b.idle(), b.name() + " received nothing else");
    }

    @Test
    void section5UserKeepsTheSessionThroughAWanFailureOfTheirSite() throws Exception {
        startChain();
        try (RawClient office1 = new RawClient(op1)) {
            // a new user of office 1: site 1 by default; SD1 sets the site cookie, S1Lx prefixes the session
            RawClient.Response first = get(office1, null);
            String w = first.header("X-Server");
            assertTrue(w.startsWith("W1"), "served by site 1: " + w);
            assertEquals(List.of("JSESSIONID=" + w + "~123", "SITE=SITE1; path=/"), first.all("Set-Cookie"));
            RecordingBackend.Seen s1 = web.get(w).take();
            assertEquals(List.of(), s1.all("Cookie"));
            assertEquals(List.of("127.0.0.1", "127.0.0.1"), s1.all("X-Forwarded-For"),
                    "the site director and the local LB each append the address they received from");
            assertEquals(List.of("close"), s1.all("Connection"), "the local LBs run httpclose");
            for (RecordingBackend b : web.values()) b.setCookies();

            // the guide's request: GET / with SITE=SITE1; JSESSIONID=W14~123 reaches W14 through SD1 and S1L1
            String guideCookie = "SITE=SITE1; JSESSIONID=W14~123";
            long s1l1Before = served(sd1Engine, "S1L1");
            long s1l2Before = served(sd1Engine, "S1L2");
            RawClient.Response viaSite1 = get(office1, guideCookie);
            assertEquals("W14", viaSite1.header("X-Server"));
            assertEquals(List.of(), viaSite1.all("Set-Cookie"));
            assertEquals(List.of("JSESSIONID=123"), web.get("W14").take().all("Cookie"),
                    "SITE removed by the director, the W14~ prefix by the local LB");
            assertEquals(s1l1Before + 1, served(sd1Engine, "S1L1"), "S1L1: the first server matching SITE1");
            assertEquals(s1l2Before, served(sd1Engine, "S1L2"));

            // WAN failure: OP1 can no longer reach SD1
            sd1Engine.close();
            RawClient.Response viaSite2 = get(office1, guideCookie);
            assertEquals(200, viaSite2.status());
            assertEquals("W14", viaSite2.header("X-Server"), "the session survives through site 2");
            assertEquals(List.of(), viaSite2.all("Set-Cookie"), "the cookies still name the right site and server");
            assertEquals(List.of("JSESSIONID=123"), web.get("W14").take().all("Cookie"));
            assertEquals(1, served(sd2Engine, "S1L1"), "SD2 sent SITE1 to site 1's first local LB");
            assertNoOtherRequests();

            // a new user of office 1 during the failure is served by site 2 and stays there
            try (RawClient newcomer = new RawClient(op1)) {
                for (RecordingBackend b : web.values()) b.setCookies("JSESSIONID=456");
                RawClient.Response r = get(newcomer, null);
                String w2 = r.header("X-Server");
                assertTrue(w2.startsWith("W2"), "served by site 2: " + w2);
                assertEquals(List.of("JSESSIONID=" + w2 + "~456", "SITE=SITE2; path=/"), r.all("Set-Cookie"));
                web.get(w2).take();
                for (RecordingBackend b : web.values()) b.setCookies();
            }

            // the link is back: OP1 uses SD1 again for site-1 users
            sd1Engine = start(sd1Config);
            RawClient.Response back = get(office1, guideCookie);
            assertEquals("W14", back.header("X-Server"));
            web.get("W14").take();
            assertEquals(1, served(sd1Engine, "S1L1"), "through SD1 again");
            assertEquals(1, served(sd2Engine, "S1L1"), "no longer through site 2");
            assertNoOtherRequests();
        }
    }
}
