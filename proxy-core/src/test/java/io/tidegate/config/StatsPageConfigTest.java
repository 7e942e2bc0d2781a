package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code stats enable|uri|realm|auth|refresh|hide-version} on frontends and listen sections. */
class StatsPageConfigTest {

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("p.cfg", text).problems()).stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void everyStatsKeywordImpliesEnableAndIsWrittenBack() {
        Config c = TestConfigs.parseClean("p.cfg", """
                frontend fe
                    bind 127.0.0.1:8080
                    stats uri /admin?stats
                    stats realm Haproxy\\ Statistics
                    stats auth admin:s3cret
                    stats auth ops:pw
                    stats refresh 10s
                    stats hide-version
                    default_backend app
                listen plain
                    bind 127.0.0.1:8081
                    stats enable
                    server s 127.0.0.1:9000
                backend app
                    server s 127.0.0.1:9000
                """);
        StatsPage fe = c.proxy("fe").orElseThrow().statsPage();
        assertEquals("/admin?stats", fe.uri());
        assertEquals("Haproxy Statistics", fe.effectiveRealm());
        assertEquals(List.of("admin:s3cret", "ops:pw"), fe.auths());
        assertEquals(10, fe.refreshSeconds());
        assertTrue(fe.hideVersion());
        StatsPage plain = c.proxy("plain").orElseThrow().statsPage();
        assertEquals(StatsPage.DEFAULT_URI, plain.uri());
        assertEquals(StatsPage.DEFAULT_REALM, plain.effectiveRealm());
        assertNull(c.proxy("app").orElseThrow().statsPage());
        assertEquals(c, TestConfigs.parseClean("p.cfg", ConfigWriter.write(c)));
    }

    @Test
    void aDefaultsSectionsPageAppliesToTheFrontendsAfterIt() {
        Config c = TestConfigs.parseClean("p.cfg", """
                defaults
                    mode http
                    stats enable
                    stats auth admin:s3cret
                frontend plain
                    bind 127.0.0.1:8080
                    default_backend app
                frontend own
                    bind 127.0.0.1:8081
                    stats uri /lb
                    default_backend app
                backend app
                    server s 127.0.0.1:9000
                defaults
                    mode http
                frontend after
                    bind 127.0.0.1:8082
                    default_backend app2
                backend app2
                    server s 127.0.0.1:9000
                """);
        StatsPage plain = c.effectiveStatsPage(c.proxy("plain").orElseThrow());
        assertEquals(StatsPage.DEFAULT_URI, plain.uri());
        assertEquals(List.of("admin:s3cret"), plain.auths());
        StatsPage own = c.effectiveStatsPage(c.proxy("own").orElseThrow());
        assertEquals("/lb", own.uri());
        assertEquals(List.of("admin:s3cret"), own.auths(), "own stats lines start from the defaults' (HAProxy copies them): the sign-in stays");
        assertNull(c.effectiveStatsPage(c.proxy("app").orElseThrow()), "a backend serves no page");
        assertNull(c.effectiveStatsPage(c.proxy("after").orElseThrow()), "a new defaults section starts from nothing");
        assertEquals(c, TestConfigs.parseClean("p.cfg", ConfigWriter.write(c)), "written back and read again");
    }

    @Test
    void clearErrors() {
        assertTrue(errors("backend b\n    stats enable\n").get(0).contains("'stats' is not allowed in a backend section"),
                errors("backend b\n    stats enable\n").toString());
        assertEquals(List.of("p.cfg:3:16: error: stats auth expects user:password"),
                errors("listen l\n    bind 127.0.0.1:8080\n    stats auth nopassword\n"));
        assertEquals(List.of("p.cfg:3:15: error: stats uri must start with '/'"),
                errors("listen l\n    bind 127.0.0.1:8080\n    stats uri stats\n"));
    }

    @Test
    void statsAdminIfAndUnlessKeepTheirConditionsAndAreWrittenBack() {
        Config c = TestConfigs.parseClean("p.cfg", """
                frontend fe
                    bind 127.0.0.1:8080
                    acl ops src 10.0.0.0/8
                    stats uri /lb
                    stats admin if LOCALHOST
                    stats admin if ops || { src 192.168.1.1 }
                    default_backend app
                listen l
                    bind 127.0.0.1:8081
                    stats admin unless { src 10.9.9.9 }
                    server s 127.0.0.1:9000
                backend app
                    server s 127.0.0.1:9000
                """);
        StatsPage fe = c.effectiveStatsPage(c.proxy("fe").orElseThrow());
        assertEquals("/lb", fe.uri());
        assertEquals(2, fe.admins().size());
        assertEquals(List.of("stats", "admin", "if", "LOCALHOST"), fe.admins().get(0).words());
        assertEquals(2, fe.admins().get(1).condition().alternatives().size(), "ops OR the anonymous ACL");
        StatsPage l = c.effectiveStatsPage(c.proxy("l").orElseThrow());
        assertEquals(StatsPage.DEFAULT_URI, l.uri(), "stats admin alone enables the page, as every stats keyword");
        assertTrue(l.admins().get(0).condition().unless());
        String written = ConfigWriter.write(c);
        assertTrue(written.contains("stats admin if ops || { src 192.168.1.1 }"), written);
        assertEquals(c, TestConfigs.parseClean("p.cfg", written), "written back and read again");
    }

    @Test
    void statsAdminErrorsSayWhere() {
        assertEquals(List.of("p.cfg:3:11: error: 'stats admin' requires either 'if' or 'unless' followed by a condition, e.g. 'stats admin if LOCALHOST'"),
                errors("listen l\n    bind 127.0.0.1:8080\n    stats admin\n"));
        assertEquals(List.of("p.cfg:3:17: error: 'stats admin' requires either 'if' or 'unless' followed by a condition, e.g. 'stats admin if LOCALHOST'"),
                errors("listen l\n    bind 127.0.0.1:8080\n    stats admin when TRUE\n"));
        List<String> unknownAcl = errors("listen l\n    bind 127.0.0.1:8080\n    stats admin if nosuchacl\n");
        assertEquals(1, unknownAcl.size(), unknownAcl.toString());
        assertTrue(unknownAcl.get(0).startsWith("p.cfg:3:20: error: "), unknownAcl.toString());
        assertTrue(unknownAcl.get(0).contains("nosuchacl"), unknownAcl.toString());
        List<String> inDefaults = errors("defaults\n    mode http\n    stats admin if TRUE\n");
        assertTrue(inDefaults.get(0).startsWith("p.cfg:3:11: error: 'stats admin' is not allowed in a defaults section"), inDefaults.toString());
    }
}
