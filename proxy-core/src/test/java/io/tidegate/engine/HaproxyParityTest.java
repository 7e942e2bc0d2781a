package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rules in HAProxy (Debian's /usr/sbin/haproxy, installed by ./tidegate test) and in
 * Tidegate, the same requests: the same answers and the same requests at the servers.
 */
class HaproxyParityTest extends EngineTestSupport {

    @TempDir
    Path dir;
    private final List<RecordingBackend> servers = new ArrayList<>();
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        servers.forEach(RecordingBackend::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static final String RULES = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            frontend www
                bind 127.0.0.1:%d
                acl api path_beg /api/
                acl static_host hdr(host) -i static.example.com
                acl lan src 10.0.0.0/8
                http-request allow if { path_beg /open/ }
                http-request deny deny_status 429 if { hdr_cnt(x-flood) gt 1 }
                http-request set-query v=2&%%[query] if { path_beg /q/ }
                http-request redirect location /login?from=%%[path] code 303 if { path_beg /private }
                http-request deny deny_status 400 if { url_param(debug) 1 }
                http-request add-header X-Path %%[path] if { path_beg /q/ }
                redirect prefix /p drop-query if { path_beg /drop }
                http-request return status 503 content-type text/plain string down if { path /down }
                http-request replace-value User-Agent ^bot(.*) robot\\1 if { path_beg /rv }
                http-request set-uri /rewritten%%[path]?orig=%%[query] if { path_beg /su }
                http-request deny deny_status 404 if { hdr_cnt(x-dup) ge 2 } { path_beg /rv }
                http-request redirect scheme https code 308 if { path_beg /tls } !{ hdr(x-forwarded-proto) https }
                http-request return status 200 content-type text/plain string long hdr X-Probe yes if { path_len gt 40 }
                http-request set-header X-Api cookie if { req.cook(beta) -m found } { url_param(v) -m len 3 }
                http-request redirect prefix /new code 301 if { path_beg /old }
                http-request redirect scheme https if { hdr_beg(host) -i secure. }
                http-request return status 200 content-type text/plain string pong if { path /ping }
                http-request set-header X-Api yes if api
                http-request del-header X-Secret
                http-request replace-header User-Agent ^curl/(.*) Curl-\\1
                http-request add-header X-Lan yes if lan
                http-response set-header X-Frame-Options DENY
                http-response deny if { res.hdr(x-server) static }
                http-response add-header X-Seen status-%%[status]-%%[method] if { res.hdr(x-server) app } METH_GET
                http-response set-status 299 reason Probe if { res.hdr(x-server) api }
                http-response allow if { res.hdr(x-server) app } { hdr(host) -m end :8080 }
                http-response replace-value X-Server ^app$ application if { res.hdr(x-server) app } METH_GET
                http-request set-header X-Api host-port if { hdr(host) -i www.example.com:8080 }
                use_backend b_api if api
                use_backend b_static if static_host
                default_backend b_app
            backend b_api
                server a 127.0.0.1:%d
            backend b_static
                server s 127.0.0.1:%d
            backend b_app
                http-request add-header X-Lan from-backend if { path_beg /open/ }
                server p 127.0.0.1:%d
            """;

    private static final List<String> REQUESTS = List.of(
            "GET /api/users?x=1 HTTP/1.1\r\nHost: www.example.com\r\nX-Secret: s\r\nUser-Agent: curl/8.1\r\n\r\n",
            "GET /index.html HTTP/1.1\r\nHost: STATIC.example.com\r\n\r\n",
            "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /old/page?q=2 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /a?b=c HTTP/1.1\r\nHost: secure.example.com\r\n\r\n",
            "GET /ping HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /x HTTP/1.1\r\nHost: www.example.com\r\nX-Flood: 1\r\nX-Flood: 2\r\n\r\n",
            "GET /open/x HTTP/1.1\r\nHost: www.example.com\r\nX-Flood: 1\r\nX-Flood: 2\r\nX-Secret: s\r\n\r\n",
            "GET /q/x?a=1 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /q/y HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /private/area?x=1 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /z?a=2&debug=1 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /z?debug=10 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /drop/me?x=1 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /down HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /hp HTTP/1.1\r\nHost: www.EXAMPLE.com:8080\r\n\r\n",
            "GET /rv HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: botA, botB,x\r\n\r\n",
            "GET /rv HTTP/1.1\r\nHost: www.example.com\r\nX-Dup: a\r\nX-Dup: b\r\n\r\n",
            "GET /su/x?k=v HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /tls/a?b=1 HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /tls/a HTTP/1.1\r\nHost: www.example.com\r\nX-Forwarded-Proto: https\r\n\r\n",
            "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
            "GET /c?v=abc HTTP/1.1\r\nHost: www.example.com\r\nCookie: a=1; beta=on\r\nX-Secret: s\r\n\r\n",
            "GET /c?v=ab HTTP/1.1\r\nHost: www.example.com\r\nCookie: beta=off\r\nX-Secret: s\r\n\r\n");

    /** What a client and the servers saw for each request: status, Location, body, X-Frame-Options, server and its request. */
    private List<String> observe(int port, List<RecordingBackend> backends) throws Exception {
        List<String> seen = new ArrayList<>();
        for (String request : REQUESTS) {
            try (RawClient c = new RawClient(port)) {
                c.send(request);
                RawClient.Response r = c.read();
                StringBuilder s = new StringBuilder().append(r.status()).append(" seen=").append(r.header("X-Seen"))
                        .append(" location=").append(r.header("Location"))
                        .append(" xfo=").append(r.header("X-Frame-Options")).append(" server=")
                        .append(r.header("X-Server"));
                if (r.status() == 200 && r.header("X-Server") == null) {
                    s.append(" body=").append(r.bodyText()).append(" probe=").append(r.header("X-Probe"));
                }
                for (RecordingBackend b : backends) {
                    if (!b.idle()) {
                        RecordingBackend.Seen q = b.take();
                        s.append(" path=").append(q.path()).append(" query=").append(q.query()).append(" api=").append(q.all("X-Api"))
                                .append(" secret=").append(q.all("X-Secret")).append(" ua=").append(q.all("User-Agent"))
                                .append(" lan=").append(q.all("X-Lan")).append(" xpath=").append(q.all("X-Path"));
                    }
                }
                seen.add(s.toString());
            }
        }
        return seen;
    }

    private void startHaproxy(String config, int port) throws Exception {
        haproxy = HaproxyProcess.start(dir, config, port);
    }

    @Test
    void sameAnswersAndSameForwardedRequestsAsHaproxy() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        RecordingBackend api = new RecordingBackend("api");
        RecordingBackend stat = new RecordingBackend("static");
        RecordingBackend app = new RecordingBackend("app");
        servers.addAll(List.of(api, stat, app));
        int hport = freePort();
        int tport = freePort();
        startHaproxy(RULES.formatted(hport, api.port(), stat.port(), app.port()), hport);
        List<String> fromHaproxy = observe(hport, servers);
        track(Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("rules.cfg",
                RULES.formatted(tport, api.port(), stat.port(), app.port()))), SupportedFeatures.CURRENT).config()));
        List<String> fromTidegate = observe(tport, servers);
        assertEquals(String.join("\n", fromHaproxy), String.join("\n", fromTidegate));
        assertTrue(fromHaproxy.get(0).contains("server=api path=/api/users query=x=1 api=[yes] secret=[] ua=[Curl-8.1]"),
                fromHaproxy.get(0));
        assertTrue(fromHaproxy.get(7).contains("lan=[from-backend]"), "the frontend's allow does not skip the backend's "
                + "rules: " + fromHaproxy.get(7));
        assertTrue(fromHaproxy.get(7).startsWith("200 ") && fromHaproxy.get(7).contains("secret=[s]"),
                "allow ends the http-request rules: no 429, X-Secret kept: " + fromHaproxy.get(7));
        assertTrue(fromHaproxy.get(8).contains("path=/q/x query=v=2&a=1 "), fromHaproxy.get(8));
        assertTrue(fromHaproxy.get(0).startsWith("299 "), "http-response set-status: " + fromHaproxy.get(0));
        assertTrue(fromHaproxy.get(2).contains("seen=status-200-GET "),
                "%[status], and the request's method (kept for the whole exchange), in response rules: " + fromHaproxy.get(2));
        assertTrue(fromHaproxy.get(15).contains("api=[host-port]"), "hdr(host) -i with a port: " + fromHaproxy.get(15));
        assertTrue(fromHaproxy.get(16).contains("ua=[robotA,robotB,x]"), "replace-value per value, joined by commas: " + fromHaproxy.get(16));
        assertTrue(fromHaproxy.get(17).startsWith("404 "), fromHaproxy.get(17));
        assertTrue(fromHaproxy.get(18).contains("path=/rewritten/su/x query=orig=k=v "), fromHaproxy.get(18));
        assertTrue(fromHaproxy.get(19).startsWith("308 ") && fromHaproxy.get(19).contains("location=https://www.example.com/tls/a?b=1"),
                fromHaproxy.get(19));
        assertTrue(fromHaproxy.get(21).contains("body=long probe=yes"), "return with hdr: " + fromHaproxy.get(21));
        assertTrue(fromHaproxy.get(22).contains("api=[cookie] secret=[]"), fromHaproxy.get(22));
        assertTrue(fromHaproxy.get(23).contains(" api=[] "), "beta=off and v of length 2: " + fromHaproxy.get(23));
        assertTrue(fromHaproxy.get(2).contains("server=application "), "http-response replace-value: " + fromHaproxy.get(2));
        assertTrue(fromHaproxy.get(1).startsWith("502 ") && fromHaproxy.get(1).contains("server=null path=/index.html"),
                "http-response deny: the server answered, the client gets 502: " + fromHaproxy.get(1));
    }

    @Test
    void backendNamedByAMapAsInHaproxy() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        RecordingBackend one = new RecordingBackend("one");
        RecordingBackend two = new RecordingBackend("two");
        RecordingBackend def = new RecordingBackend("def");
        servers.addAll(List.of(one, two, def));
        Path map = dir.resolve("hosts.map");
        Files.writeString(map, "# host backend\na.example.com b_one\nexample.org b_two\nz.example.com b_missing\n");
        String config = """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend www
                    bind 127.0.0.1:%d
                    use_backend %%[req.hdr(host),lower,map(%s)] if !{ path_beg /skip }
                    use_backend b_%%[req.hdr(x-pick),lower]
                    default_backend b_def
                backend b_one
                    server a 127.0.0.1:%d
                backend b_two
                    server b 127.0.0.1:%d
                backend b_def
                    server d 127.0.0.1:%d
                """;
        List<String> hosts = List.of("A.Example.COM", "example.org", "z.example.com", "unknown.example", "a.example.com");
        int hport = freePort();
        int tport = freePort();
        startHaproxy(config.formatted(hport, map, one.port(), two.port(), def.port()), hport);
        track(Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource(dir.resolve("t.cfg").toString(),
                config.formatted(tport, map, one.port(), two.port(), def.port()))), SupportedFeatures.CURRENT).config()));
        // a name that is no backend (b_missing), or no name at all (host not in the map, no default), ends
        // the use_backend rules: the default backend takes the request (observed in HAProxy 2.6)
        for (int port : List.of(hport, tport)) {
            List<String> seen = new ArrayList<>();
            for (String h : hosts) {
                try (RawClient c = new RawClient(port)) {
                    c.send("GET /" + (h.startsWith("a.") ? "skip" : "x") + " HTTP/1.1\r\nHost: " + h
                            + "\r\nX-Pick: TWO\r\n\r\n");
                    seen.add(c.read().header("X-Server"));
                }
            }
            assertEquals(List.of("one", "two", "def", "def", "two"), seen, "port " + port + (port == hport
                    ? " (haproxy)" : " (tidegate)"));
        }
    }

    @Test
    void variablesAsInHaproxy() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        RecordingBackend app = new RecordingBackend("app");
        servers.add(app);
        String config = """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend www
                    bind 127.0.0.1:%d
                    http-request set-var(txn.host) req.hdr(host)
                    http-request set-var(sess.first) path if !{ var(sess.first) -m found }
                    http-request deny deny_status 403 if { var(txn.host) -m beg evil. }
                    http-request set-header X-Tag %%[var(txn.tag)]
                    http-request set-var(txn.tag) str(tagged)
                    http-response set-header X-Host %%[var(txn.host)]
                    http-response set-header X-First %%[var(sess.first)]
                    http-response set-header X-Tag %%[var(txn.tag)]
                    default_backend app
                backend app
                    server a 127.0.0.1:%d
                """;
        int hport = freePort();
        int tport = freePort();
        startHaproxy(config.formatted(hport, app.port()), hport);
        track(Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("v.cfg",
                config.formatted(tport, app.port()))), SupportedFeatures.CURRENT).config()));
        List<List<String>> results = new ArrayList<>();
        for (int port : List.of(hport, tport)) {
            List<String> seen = new ArrayList<>();
            try (RawClient c = new RawClient(port)) {
                for (String path : List.of("/one", "/two")) {
                    c.send("GET " + path + " HTTP/1.1\r\nHost: www.example.com\r\n\r\n");
                    RawClient.Response r = c.read();
                    seen.add(r.status() + " " + r.header("X-Host") + " " + r.header("X-First") + " "
                            + r.header("X-Tag") + " tag-at-server=" + app.take().all("X-Tag"));
                }
            }
            try (RawClient c = new RawClient(port)) {
                c.send("GET / HTTP/1.1\r\nHost: evil.example.com\r\n\r\n");
                seen.add(String.valueOf(c.read().status()));
            }
            results.add(seen);
        }
        assertEquals(results.get(0), results.get(1), "haproxy, then tidegate");
        assertEquals("200 www.example.com /one tagged tag-at-server=[]", results.get(1).get(0));
        assertEquals("200 www.example.com /one tagged tag-at-server=[]", results.get(1).get(1),
                "sess.first keeps the first path of the connection");
    }

    /** Converter chains in set-header values and in ACLs: the same headers at the server, the same denials. */
    @Test
    void converterChainsAsInHaproxy() throws Exception {
        assertTrue(Files.isExecutable(HaproxyProcess.BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        RecordingBackend app = new RecordingBackend("app");
        servers.add(app);
        Path map = dir.resolve("hosts.map");
        Files.writeString(map, "# hosts\nwww.example.com blue\napi.example.com green\n");
        Path beg = dir.resolve("beg.map");
        Files.writeString(beg, "/api/ apis\n/static/ files\n");
        String config = """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend www
                    bind 127.0.0.1:%d
                    http-request deny deny_status 403 if { req.hdr(host),lower,map(%s,none) -m str none }
                    http-request deny deny_status 429 if { req.hdr(x-forwarded-for),field(1,\\,),ipmask(24) 10.9.9.0/24 }
                    http-request set-header X-C1 %%[req.hdr(host),lower,map(%s,none)]
                    http-request set-header X-C2 %%[path,regsub(^/api/,/),upper]
                    http-request set-header X-C3 %%[req.hdr(x-forwarded-for),field(1,\\,)]
                    http-request set-header X-C4 %%[req.hdr(x-forwarded-for),word(2,\\,)]
                    http-request set-header X-C5 %%[req.hdr(x-forwarded-for),field(-1,\\,),ltrim(1)]
                    http-request set-header X-C6 %%[path,length]
                    http-request set-header X-C7 %%[path,bytes(1,3)]
                    http-request set-header X-C8 %%[query,url_dec]
                    http-request set-header X-C9 %%[path,base64]
                    http-request set-header X-C10 %%[path,hex]
                    http-request set-header X-C11 %%[path,map_beg(%s,other)]
                    http-request set-header X-C12 %%[path,crc32]
                    http-request set-header X-C13 %%[path,djb2]
                    http-request set-header X-C14 %%[path,sdbm]
                    http-request set-header X-C15 %%[path,rtrim(/)]
                    http-request set-header X-C16 %%[req.hdr(x-forwarded-for),field(1,\\,),ipmask(255.255.0.0)]
                    http-request set-header X-C17 %%[path,regsub(a,X,g)]
                    http-request set-header X-C18 %%[req.hdr(x-name),json]
                    http-request set-var(txn.h) req.hdr(host),lower,regsub(\\.example\\.com$,)
                    http-request set-header X-C19 %%[var(txn.h)]
                    default_backend app
                backend app
                    server a 127.0.0.1:%d
                """;
        int hport = freePort();
        int tport = freePort();
        startHaproxy(config.formatted(hport, map, map, beg, app.port()), hport);
        track(Engine.start(ConfigLoader.loadSources(List.of(new ConfigSource("c.cfg",
                config.formatted(tport, map, map, beg, app.port()))), SupportedFeatures.CURRENT).config()));
        List<String> requests = List.of(
                "GET /api/banana/?q=a%20b+c HTTP/1.1\r\nHost: WWW.Example.com\r\nX-Forwarded-For: 192.168.7.9, 10.1.2.3,  172.16.0.1\r\nX-Name: a\"b/c\r\n\r\n",
                "GET /static/x.css HTTP/1.1\r\nHost: api.example.com\r\nX-Forwarded-For: 10.0.0.5\r\n\r\n",
                "GET /other HTTP/1.1\r\nHost: unknown.example.com\r\n\r\n",
                "GET /api/ HTTP/1.1\r\nHost: www.example.com\r\nX-Forwarded-For: 10.9.9.77,1.1.1.1\r\n\r\n");
        List<List<String>> results = new ArrayList<>();
        for (int port : List.of(hport, tport)) {
            List<String> seen = new ArrayList<>();
            for (String request : requests) {
                try (RawClient c = new RawClient(port)) {
                    c.send(request);
                    RawClient.Response r = c.read();
                    StringBuilder s = new StringBuilder().append(r.status());
                    if (r.status() == 200) {
                        RecordingBackend.Seen q = app.take();
                        for (int i = 1; i <= 19; i++) s.append(" C").append(i).append('=').append(q.all("X-C" + i));
                    }
                    seen.add(s.toString());
                }
            }
            results.add(seen);
        }
        assertEquals(results.get(0), results.get(1), "haproxy, then tidegate");
        assertTrue(results.get(1).get(0).startsWith("200 C1=[blue] C2=[/BANANA/] C3=[172.16.0.1]"), results.get(1).get(0));
        assertTrue(results.get(1).get(0).endsWith(" C19=[www]"), "set-var with converters: " + results.get(1).get(0));
        assertEquals("403", results.get(1).get(2), "an unknown host maps to none");
        assertEquals("429", results.get(1).get(3), "the first forwarded address is in 10.9.9.0/24");
    }
}
