package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import io.tidegate.config.Userlist;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code userlist} + {@code http-request auth} + {@code http_auth}/{@code http_auth_group} as HAProxy 2.6
 * behaves with the same file (checked side by side with /usr/sbin/haproxy): the hashes below were made
 * with {@code openssl passwd -6/-5/-1} and Python's crypt (DES), not with the library Tidegate verifies with.
 */
class UserlistAuthTest extends EngineTestSupport {

    private static final String USERLIST = """
            userlist L1
                group admins users tiger
                group ops
                user tiger password $6$k6y3o.eP$EHKZspyJwX1fiu3O1iiIboIEsMUpueXIA862yfLS248EQRcBmJndAIyl9olzdw7MmRi92m1ppjMRGgiDeXoO./
                user lynx password $5$abcdefgh$VOxAgUyIUMOCYV5Ub2aTNTgzKAnfvaXyWuidf3.q212 groups ops
                user puma password $1$md5salt$LvPYqrkVXFCA4yT3H9Iso.
                user ocelot password ab2RmhfeGz9J6
                user scott insecure-password elgato groups ops,admins
            """;

    private RecordingBackend app;

    @AfterEach
    void stopServer() {
        if (app != null) app.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private int start(String frontendRules) throws Exception {
        app = new RecordingBackend("app");
        int port = freePort();
        String text = USERLIST + """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend www
                    bind 127.0.0.1:%d
                %s
                    default_backend app
                backend app
                    server p 127.0.0.1:%d
                """.formatted(port, frontendRules, app.port());
        var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("auth.cfg", text)), SupportedFeatures.CURRENT);
        track(Engine.start(loaded.config(), Map.of()));
        return port;
    }

    private static RawClient.Response get(int port, String path, String credentials) throws Exception {
        try (RawClient c = new RawClient(port)) {
            String auth = credentials == null ? "" : "Authorization: Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)) + "\r\n";
            c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n");
            return c.read();
        }
    }

    @Test
    void withoutValidCredentialsTheAnswerIsHaproxys401WithTheRealm() throws Exception {
        int port = start("""
                    acl ok http_auth(L1)
                    http-request auth realm Staff unless ok
                """);
        for (String credentials : new String[] {null, "tiger:wrong", "nobody:x", "tiger", "scott:elgato2"}) {
            RawClient.Response r = get(port, "/private", credentials);
            assertEquals(401, r.status(), String.valueOf(credentials));
            assertEquals("Basic realm=\"Staff\"", r.header("WWW-Authenticate"));
            assertEquals("text/html", r.header("Content-Type"));
            assertEquals("no-cache", r.header("Cache-Control"));
            assertEquals("<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access "
                    + "this content.\n</body></html>\n", r.bodyText());
        }
        assertTrue(app.idle(), "no refused request reached the server");
    }

    @Test
    void everyHashFormAndTheClearTextPasswordPass() throws Exception {
        int port = start("""
                    acl ok http_auth(L1)
                    http-request auth unless ok
                """);
        for (String credentials : new String[] {"tiger:tiger-secret", "lynx:sha256-pass", "puma:md5-pass",
                "ocelot:despass", "scott:elgato"}) {
            assertEquals(200, get(port, "/in", credentials).status(), credentials);
            assertEquals("/in", app.take().path());
        }
        // the same pair again: verified from the cache, with the same outcome
        assertEquals(200, get(port, "/again", "tiger:tiger-secret").status());
        assertEquals(401, get(port, "/again", "tiger:tiger-secreT").status());
    }

    @Test
    void theRealmDefaultsToTheProxyName() throws Exception {
        int port = start("""
                    http-request auth unless { http_auth(L1) }
                """);
        assertEquals("Basic realm=\"www\"", get(port, "/", null).header("WWW-Authenticate"));
    }

    @Test
    void groupMembershipFromBothSpellings() throws Exception {
        int port = start("""
                    acl ok http_auth(L1)
                    acl admin http_auth_group(L1) admins
                    acl staff http_auth_group(L1) ops admins
                    http-request auth realm Staff unless ok
                    http-request deny if { path_beg /admin } !admin
                    http-request deny deny_status 404 if !staff
                """);
        assertEquals(200, get(port, "/admin/x", "tiger:tiger-secret").status(), "admins via 'group ... users'");
        assertEquals(200, get(port, "/admin/x", "scott:elgato").status(), "admins via 'user ... groups'");
        assertEquals(403, get(port, "/admin/x", "lynx:sha256-pass").status(), "ops only");
        assertEquals(200, get(port, "/page", "lynx:sha256-pass").status(), "one of the listed groups is enough");
        assertEquals(404, get(port, "/page", "puma:md5-pass").status(), "valid user in no group");
        assertEquals(401, get(port, "/page", "scott:wrong").status(), "a wrong password is no membership");
    }

    @Test
    void verifiedPairsAreRememberedBoundedAndNeverInClear() {
        Userlist list = new Userlist("L", List.of(), List.of(new Userlist.User("u",
                "$1$md5salt$LvPYqrkVXFCA4yT3H9Iso.", false, List.of())), null);
        UserlistAuth auth = new UserlistAuth(list);
        assertFalse(auth.verify("u", "nope".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, auth.cachedPairs(), "failures are not remembered");
        assertTrue(auth.verify("u", "md5-pass".getBytes(StandardCharsets.UTF_8)));
        assertTrue(auth.verify("u", "md5-pass".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, auth.cachedPairs());
        assertFalse(auth.verify("other", "md5-pass".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void stickOnTheAuthenticatedUserKeepsEachUserOnOneServer() throws Exception {
        RecordingBackend a = new RecordingBackend("a");
        RecordingBackend b = new RecordingBackend("b");
        try {
            int port = freePort();
            String text = USERLIST + """
                    defaults
                        mode http
                        timeout connect 5s
                        timeout client 10s
                        timeout server 10s
                    listen www
                        bind 127.0.0.1:%d
                        http-request auth unless { http_auth(L1) }
                        stick-table type string size 100
                        stick on http_auth_group(L1)
                        server a 127.0.0.1:%d
                        server b 127.0.0.1:%d
                    """.formatted(port, a.port(), b.port());
            var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("stick.cfg", text)), SupportedFeatures.CURRENT);
            track(Engine.start(loaded.config(), Map.of()));
            String tiger = get(port, "/", "tiger:tiger-secret").header("X-Server");
            String scott = get(port, "/", "scott:elgato").header("X-Server");
            assertNotEquals(tiger, scott, "round robin spread the first requests of the two users");
            for (int i = 0; i < 4; i++) {
                assertEquals(tiger, get(port, "/", "tiger:tiger-secret").header("X-Server"), "tiger stays");
                assertEquals(scott, get(port, "/", "scott:elgato").header("X-Server"), "scott stays");
            }
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void anErrorfile401IsThePageWithTheRealmsHeaderInsteadOfItsOwn() throws Exception {
        java.nio.file.Path page = java.nio.file.Files.createTempFile("tidegate-401", ".http");
        try {
            java.nio.file.Files.writeString(page, "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n"
                    + "WWW-Authenticate: Basic realm=\"old\"\r\nX-Page: custom\r\n\r\nplease sign in\n");
            int port = start("""
                        errorfile 401 %s
                        http-request auth realm Staff unless { http_auth(L1) }
                    """.formatted(page));
            RawClient.Response r = get(port, "/", null);
            assertEquals(401, r.status());
            assertEquals(List.of("Basic realm=\"Staff\""), r.all("WWW-Authenticate"),
                    "the file's own WWW-Authenticate is replaced, as HAProxy 2.6 does");
            assertEquals("custom", r.header("X-Page"));
            assertEquals("please sign in\n", r.bodyText());
        } finally {
            java.nio.file.Files.deleteIfExists(page);
        }
    }
}
