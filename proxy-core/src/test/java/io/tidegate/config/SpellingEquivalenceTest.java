package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The 1.4 spelling of the seed guide and the modern spelling of the same configuration give equal models. */
class SpellingEquivalenceTest {

    static List<String> pairs() {
        return TestConfigs.MODERN;
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void seedAndModernSpellingGiveEqualModels(String name) {
        Config old = TestConfigs.parseClean(name, TestConfigs.resource("seed/" + name));
        Config modern = TestConfigs.parseClean(name, TestConfigs.resource("modern/" + name));
        assertEquals(old, modern);
    }

    private static Config parse(String text) {
        return TestConfigs.parseClean("inline.cfg", text);
    }

    @Test
    void legacyTimeoutsAreTheModernTimeouts() {
        assertEquals(
                parse("defaults\n contimeout 5000\n clitimeout 50000\n srvtimeout 50s\n"),
                parse("defaults\n timeout connect 5s\n timeout client 50s\n timeout server 50000ms\n"));
    }

    @Test
    void legacyRedispatchIsOptionRedispatch() {
        assertEquals(parse("backend b\n redispatch\n"), parse("backend b\n option redispatch\n"));
    }

    @Test
    void addressOnTheListenLineIsABindLine() {
        assertEquals(
                parse("listen web 127.0.0.1:8080,127.0.0.2:8080\n mode http\n"),
                parse("listen web\n bind 127.0.0.1:8080\n bind 127.0.0.2:8080\n mode http\n"));
        assertEquals(
                parse("frontend web 127.0.0.1:8080\n default_backend app\nbackend app\n"),
                parse("frontend web\n bind 127.0.0.1:8080\n default_backend app\nbackend app\n"));
    }

    @Test
    void dispatchIsAServerNamedDispatch() {
        assertEquals(parse("listen r :81\n mode tcp\n dispatch 127.0.0.1:80\n"),
                parse("listen r\n bind :81\n mode tcp\n server dispatch 127.0.0.1:80\n"));
    }

    @Test
    void anyAddressSpellingsAreOneBind() {
        Config star = parse("listen a\n bind *:80\n");
        assertEquals(star, parse("listen a\n bind :80\n"));
        assertEquals("", star.proxies().get(0).binds().get(0).host());
        // 0.0.0.0 is an explicit IPv4 address, kept as written
        assertNotEquals(star, parse("listen a\n bind 0.0.0.0:80\n"));
    }

    @Test
    void positionsDoNotMakeModelsDifferent() {
        Config compact = parse("listen a\n bind :80\n mode http\n server s 127.0.0.1:80 weight 3\n");
        Config spread = parse("# comment\n\nlisten    a\n\n\n    bind  :80\n   mode   http\n"
                + "        server s 127.0.0.1:80    weight 3   # trailing comment\n");
        assertEquals(compact, spread);
        assertEquals(compact.hashCode(), spread.hashCode());
        Server s1 = compact.proxies().get(0).servers().get(0);
        Server s2 = spread.proxies().get(0).servers().get(0);
        assertEquals(4, s1.pos().line());
        assertEquals(8, s2.pos().line());
        assertEquals(false, s1.pos().sameLocation(s2.pos()));
    }

    @Test
    void anAddressNameWithItsOwnBindLinesIsOnlyAName() {
        ParsedConfig parsed = TestConfigs.parse("n.cfg", "listen 127.0.0.1:80\n mode http\n bind 127.0.0.1:8080\n");
        assertEquals(List.of(new Bind("127.0.0.1", 8080, null)), parsed.config().proxies().get(0).binds());
        assertEquals(List.of("n.cfg:1:1: warning: listen '127.0.0.1:80' has bind lines, so it does not listen on "
                        + "127.0.0.1:80, the address its name spells"),
                parsed.problems().stream().map(ConfigProblem::toString).toList());
        assertEquals(List.of(), TestConfigs.parse("n.cfg", "listen 127.0.0.1:80\n bind 127.0.0.1:80\n").problems());
    }
}
