package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code userlist} sections and {@code http-request auth}: the model, errors at file:line:column, round trip. */
class UserlistConfigTest {

    private static List<String> errors(String text) {
        return TestConfigs.errors(TestConfigs.parse("bad.cfg", text).problems()).stream()
                .map(ConfigProblem::toString).toList();
    }

    private static final String PROXY = """
            frontend f
                mode http
                bind :80
                acl ok http_auth(L1)
                acl admin http_auth_group(L1) G1 G2
                http-request auth realm "Staff only" unless ok
                http-request deny unless admin
                default_backend b
            backend b
                mode http
                server s 127.0.0.1:1
            """;

    /** HAProxy's two functionally identical spellings of membership (doc/configuration.txt §12.2). */
    private static final String LISTS = """
            userlist L1
                group G1 users tiger,scott
                group G2 users xdb,scott
                user tiger password $6$k6y3o.eP$EHKZspyJwX1fiu3O1iiIboIEsMUpueXIA862yfLS248EQRcBmJndAIyl9olzdw7MmRi92m1ppjMRGgiDeXoO./
                user scott insecure-password 'elgato'
                user xdb insecure-password 'hello'
            userlist L2
                group G1
                group G2
                user tiger password $6$k6y3o.eP$EHKZspyJwX1fiu3O1iiIboIEsMUpueXIA862yfLS248EQRcBmJndAIyl9olzdw7MmRi92m1ppjMRGgiDeXoO./ groups G1
                user scott insecure-password 'elgato' groups G1,G2
                user xdb insecure-password 'hello' groups G2
            """;

    @Test
    void bothSpellingsOfMembershipGiveTheSameGroups() {
        ParsedConfig p = TestConfigs.parse("ok.cfg", LISTS + PROXY);
        assertEquals(List.of(), TestConfigs.errors(p.problems()));
        Userlist l1 = p.config().userlist("L1").orElseThrow();
        Userlist l2 = p.config().userlist("L2").orElseThrow();
        for (String user : List.of("tiger", "scott", "xdb")) {
            assertEquals(l1.groupsOf(user), l2.groupsOf(user), user);
        }
        assertEquals(Set.of("G1", "G2"), l1.groupsOf("scott"));
        assertTrue(l1.user("scott").orElseThrow().insecure());
        assertEquals("elgato", l1.user("scott").orElseThrow().password());
        assertFalse(l1.user("tiger").orElseThrow().insecure());
        ProxyRule auth = p.config().proxy("f").orElseThrow().rules(ProxyRule.Phase.HTTP_REQUEST).get(0);
        assertEquals("auth", auth.action());
        assertEquals("Staff only", auth.param("realm"));
    }

    @Test
    void writerRoundTripKeepsUserlists() {
        Config c = TestConfigs.parseClean("rt.cfg", LISTS + PROXY);
        String written = ConfigWriter.write(c);
        Config again = TestConfigs.parseClean("rt.cfg", written);
        assertEquals(c, again);
        assertEquals(c.userlists(), again.userlists());
        assertTrue(written.contains("user tiger password '$6$k6y3o.eP$"), written);
    }

    @Test
    void errorsNameFileLineColumn() {
        assertEquals(List.of("bad.cfg:2:20: error: group 'G1' names user 'nobody', which userlist 'L' does not define"),
                errors("userlist L\n    group G1 users nobody\n"));
        assertEquals(List.of("bad.cfg:2:39: error: user 'a' is in group 'G9', which userlist 'L' does not define "
                        + "(groups: G1)"),
                errors("userlist L\n    user a insecure-password x groups G9\n    group G1\n"));
        assertEquals(List.of("bad.cfg:3:10: error: duplicate user 'a' in userlist 'L' (first at bad.cfg:2:10)"),
                errors("userlist L\n    user a insecure-password x\n    user a insecure-password y\n"));
        assertEquals(List.of("bad.cfg:2:21: error: password hash scheme '$2y$' is not supported; supported: "
                        + UserlistParser.SUPPORTED_HASHES + " (or write the clear text with insecure-password)"),
                errors("userlist L\n    user a password $2y$05$abcdefghijklmnopqrstuv\n"));
        assertEquals(List.of("bad.cfg:2:21: error: 'secret' is not a crypt(3) hash; supported: "
                        + UserlistParser.SUPPORTED_HASHES + " (or write the clear text with insecure-password)"),
                errors("userlist L\n    user a password secret\n"));
        assertEquals(List.of("bad.cfg:2:5: error: unknown keyword 'bind' in userlist 'L'; a userlist holds 'user' "
                        + "and 'group' lines"),
                errors("userlist L\n    bind :80\n"));
        assertEquals(List.of("bad.cfg:3:10: error: duplicate userlist 'L' (first at bad.cfg:1:1)"),
                errors("userlist L\n    group G\nuserlist L\n"));
        assertEquals(List.of("bad.cfg:4:9: error: http_auth(L9): no userlist has this name (userlists: L)"),
                errors("userlist L\nfrontend f\n mode http\n acl ok http_auth(L9)\n"));
        assertEquals(List.of("bad.cfg:3:29: error: http_auth_group(nope): no userlist has this name (there is none)"),
                errors("frontend f\n mode http\n http-request deny unless { http_auth_group(nope) G }\n"));
        assertEquals(List.of("bad.cfg:3:20: error: expected 'http-request auth [realm REALM]'"),
                errors("frontend f\n mode http\n http-request auth reaml x\n"));
    }
}
