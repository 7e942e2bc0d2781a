package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** parse(write(m)) equals m, and writing is stable, for every seed example and for tricky configurations. */
class RoundTripTest {

    static List<String> resources() {
        List<String> all = new ArrayList<>();
        TestConfigs.SEEDS.forEach(s -> all.add("seed/" + s));
        TestConfigs.MODERN.forEach(s -> all.add("modern/" + s));
        return all;
    }

    private static void assertRoundTrip(String source, String text) {
        Config model = TestConfigs.parseClean(source, text);
        String written = ConfigWriter.write(model);
        Config reread = TestConfigs.parseClean(source, written);
        assertEquals(model, reread, "parse(write(m)) differs for " + source + ", written:\n" + written);
        assertEquals(written, ConfigWriter.write(reread), "writing is not stable for " + source);
    }

    @ParameterizedTest
    @MethodSource("resources")
    void seedExamplesRoundTrip(String resource) {
        assertRoundTrip(resource, TestConfigs.resource(resource));
    }

    @Test
    void writerUsesTheModernSpelling() {
        Config seed = TestConfigs.parseClean("s", TestConfigs.resource("seed/s4_2_1_tcp_check_relay.cfg"));
        assertEquals("""
                global
                    daemon
                    quiet
                    pidfile /var/run/haproxy-checks.pid

                listen 127.0.0.1:81
                    bind 127.0.0.1:81
                    mode tcp
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                    server dispatch 127.0.0.1:80
                """, ConfigWriter.write(seed));
    }

    @Test
    void everyKeywordRoundTrips() {
        assertRoundTrip("all_keywords.cfg", TestConfigs.resource("tricky/all_keywords.cfg"));
    }

    @Test
    void wordsThatNeedQuotingRoundTrip() {
        String text = "global\n"
                + "    pidfile '/var/run/with space/#not a comment/$HOME.pid'\n"
                + "listen q\n"
                + "    bind :80\n"
                + "    mode http\n"
                + "    monitor-uri \"/it's up\"\n"
                + "    option httpchk GET / \"HTTP/1.1\\r\\nHost:\\ www\"\n"
                + "    http-check expect string \"it works \\\"fine\\\" \\\\o/\"\n"
                + "    cookie C insert attr \"\" attr 'a\\b'\n"
                + "    server s 127.0.0.1:80\n";
        Config model = TestConfigs.parseClean("q.cfg", text);
        ProxySection q = model.proxies().get(0);
        assertEquals("/var/run/with space/#not a comment/$HOME.pid", model.global().pidfile());
        assertEquals("/it's up", q.settings().monitorUri());
        assertEquals("HTTP/1.1\r\nHost: www", q.settings().healthCheck().version());
        assertEquals("it works \"fine\" \\o/", q.settings().httpCheckExpect().pattern());
        assertEquals(List.of("", "a\\b"), q.settings().cookie().attrs());
        assertRoundTrip("q.cfg", text);
    }

    @Test
    void modelBuiltInCodeRoundTrips() {
        ProxySection backend = ProxySectionBuilder.builder()
                .kind(ProxyKind.BACKEND)
                .name("b")
                .binds(List.of())
                .settings(ProxySettings.NONE.withMode(Mode.HTTP)
                        .withCookie(CookieSpec.of("SERVERID", CookieMode.INSERT).withIndirect(true).withNocache(true)))
                .useBackends(List.of())
                .servers(List.of(
                        new Server("s1", "127.0.0.1", 8081, ServerOptions.NONE.withCookie("A").withWeight(3), null),
                        new Server("s2", "127.0.0.1", 8082, ServerOptions.NONE.withCookie("B").withBackup(true), null)))
                .rules(List.of())
                .build();
        ProxySection frontend = ProxySectionBuilder.builder()
                .kind(ProxyKind.FRONTEND)
                .name("f")
                .binds(List.of(new Bind("127.0.0.1", 8080, null)))
                .settings(ProxySettings.NONE.withMode(Mode.HTTP))
                .defaultBackend("b")
                .useBackends(List.of())
                .servers(List.of())
                .rules(List.of())
                .build();
        Config model = new Config("code", null, List.of(frontend, backend));
        assertEquals(model, TestConfigs.parseClean("code", ConfigWriter.write(model)));
    }

    @Test
    void aListenNamedAfterAnAddressKeepsItsEditedBinds() {
        Config seed = TestConfigs.parseClean("s3", TestConfigs.resource("seed/s3_https_insert.cfg"));
        ProxySection p = seed.proxies().get(0);
        ProxySection moved = p.withBinds(List.of(new Bind("127.0.0.2", 9000, null)));
        Config edited = new Config("s3", seed.global(), List.of(moved));
        Config reread = TestConfigs.parseClean("s3", ConfigWriter.write(edited));
        assertEquals(edited, reread);
        assertEquals(List.of("127.0.0.2:9000"), reread.proxies().get(0).binds().stream().map(Bind::address).toList(),
                "the address in the name is not bound again");
    }
}
