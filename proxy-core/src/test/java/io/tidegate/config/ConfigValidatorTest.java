package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What parses but is not implemented yet is an error at its line; nothing is silently ignored. */
class ConfigValidatorTest {

    private static List<String> problems(SupportedFeatures supported, String text) {
        return new ConfigValidator(supported).validate(TestConfigs.parse("v.cfg", text)).stream()
                .map(ConfigProblem::toString).toList();
    }

    @Test
    void theInitialSupportedSetLoadsCleanly() {
        assertEquals(List.of(), problems(FixedFeatures.FOUNDATION, """
                global
                    maxconn 4096
                    nbthread 2
                    log 127.0.0.1:514 local0
                defaults
                    mode http
                    retries 3
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    timeout http-request 10s
                    timeout http-keep-alive 2s
                    timeout queue 20s
                    clitimeout 30000
                    option http-server-close
                    option forwardfor
                    option httplog
                    option dontlognull
                    option redispatch
                frontend www
                    bind 127.0.0.1:8080
                    option httpclose
                    option http-keep-alive
                    use_backend app
                    default_backend app
                backend app
                    balance roundrobin
                    redispatch
                    cookie SERVERID insert indirect nocache
                    server a 127.0.0.1:8081 weight 2 cookie A maxconn 10
                    server b 127.0.0.1:8082 cookie B backup
                listen relay
                    bind 127.0.0.1:8090
                    mode http
                    dispatch 127.0.0.1:8091
                """));
    }

    @Test
    void aProxyWithoutModeRunsInTcpModeWhichIsNotSupportedYet() {
        assertEquals(List.of("v.cfg:1:1: error: listen 'x' has no 'mode' line, so it runs in HAProxy's default mode "
                        + "tcp, which is not supported yet; write 'mode http'"),
                problems(FixedFeatures.FOUNDATION, "listen x\n bind :80\n server s 127.0.0.1:81\n"));
        assertEquals(List.of(), problems(FixedFeatures.FOUNDATION,
                "defaults\n mode http\nlisten x\n bind :80\n server s 127.0.0.1:81\n"));
        assertEquals(List.of(), problems(FixedFeatures.FOUNDATION.with("mode tcp"),
                "listen x\n bind :80\n server s 127.0.0.1:81\n"));
    }

    @Test
    void unsupportedFeaturesAreErrorsAtTheirOwnLineUntilTheEngineListsThem() {
        String text = """
                listen x
                    bind :80
                    mode http
                    contimeout 5s
                    timeout check 2s
                    option httpchk
                    server s 127.0.0.1:81 check inter 3s
                """;
        SupportedFeatures narrow = new SupportedFeatures(List.of("listen", "bind", "mode http", "server"));
        assertEquals(List.of(
                        "v.cfg:4:5: error: 'contimeout' (timeout connect) is not supported yet",
                        "v.cfg:5:5: error: 'timeout check' is not supported yet",
                        "v.cfg:6:5: error: 'option httpchk' is not supported yet",
                        "v.cfg:7:27: error: 'server check' is not supported yet",
                        "v.cfg:7:33: error: 'server inter' is not supported yet"),
                problems(narrow, text));
        assertEquals(List.of(), problems(narrow.with("timeout connect", "timeout check", "option httpchk",
                "server check", "server inter"), text));
    }

    @Test
    void defaultServerOptionsAreSupportedWhereTheirServerOptionsAre() {
        assertEquals(List.of(), problems(SupportedFeatures.CURRENT, """
                defaults
                    mode http
                listen x
                    bind 127.0.0.1:9999
                    default-server inter 3s rise 2 fall 3 weight 10 slowstart 5s
                    server a 127.0.0.1:81 check
                """));
    }

    @Test
    void daemonQuietAndPidfileAreWarningsNotErrors() {
        assertEquals(List.of(
                        "v.cfg:2:5: warning: 'global daemon' is accepted but has no effect: Tidegate runs inside WildFly",
                        "v.cfg:3:5: warning: 'global pidfile' is accepted but has no effect: Tidegate runs inside "
                                + "WildFly"),
                problems(SupportedFeatures.CURRENT, "global\n    daemon\n    pidfile /run/x.pid\n"));
    }

    @Test
    void aModelEditedInCodeIsValidatedLikeAFile() throws ConfigException {
        Config loaded = ConfigLoader.load("edit.cfg", "listen web\n bind 127.0.0.1:8080\n mode http\n"
                + " cookie SERVERID insert indirect\n server a 127.0.0.1:8081 cookie A\n").config();
        ProxySection web = loaded.proxies().get(0);
        ProxySection prefixed = web.withSettings(web.settings()
                .withCookie(CookieSpec.of("JSESSIONID", CookieMode.PREFIX)));
        Config edited = new Config(loaded.source(), loaded.global(), List.of(prefixed));
        assertEquals(edited, ConfigLoader.validate(edited, SupportedFeatures.CURRENT).config());

        ProxySection checked = web.withServers(List.of(web.servers().get(0)
                .withOptions(web.servers().get(0).options().withMinconn(2))));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.validate(new Config("edit.cfg", null, List.of(checked)), FixedFeatures.FOUNDATION));
        assertEquals(List.of("edit.cfg:5:38: error: 'server minconn' is not supported yet"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void problemsAtDifferentPlacesAreDifferentProblems() {
        ConfigProblem a = ConfigProblem.error(new SourcePos("f", 1, 1), "same words");
        ConfigProblem b = ConfigProblem.error(new SourcePos("f", 2, 1), "same words");
        assertEquals(false, a.equals(b));
        assertEquals(a, ConfigProblem.error(new SourcePos("f", 1, 1), "same words"));
    }
}
