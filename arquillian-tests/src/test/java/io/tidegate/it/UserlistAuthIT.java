package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code userlist} + {@code http-request auth} in the deployed EAR: the crypt(3) hash is verified by
 * commons-codec, which the EAR carries in its lib/ (WildFly gives deployments none of its own).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UserlistAuthIT {

    private static final String DEPLOYMENT = "tidegate-userlist-auth";
    /** {@code openssl passwd -6 -salt k6y3o.eP tiger-secret}. */
    private static final String TIGER_HASH =
            "$6$k6y3o.eP$EHKZspyJwX1fiu3O1iiIboIEsMUpueXIA862yfLS248EQRcBmJndAIyl9olzdw7MmRi92m1ppjMRGgiDeXoO./";

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private boolean deployed;
    private int proxyPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @BeforeEach
    void setUp() {
        backends = new NamedBackends("web");
        proxyPort = ItEnvironment.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (deployed) {
            deployer.undeploy(DEPLOYMENT);
        }
        backends.close();
    }

    @Test
    void theEarCarriesCommonsCodec() {
        assertTrue(ItEnvironment.tidegateEar().getContent().keySet().stream()
                .anyMatch(p -> p.get().startsWith("/lib/") && p.get().matches(".*commons-codec-[0-9.]+\\.jar")),
                "lib/ holds commons-codec");
    }

    @Test
    void httpRequestAuthAsksForCredentialsAndLetsTheHashedPasswordIn() throws Exception {
        ItEnvironment.writeConfig("""
                userlist admins
                    group ops users tiger
                    user tiger password %s
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                listen site
                    bind 127.0.0.1:%d
                    acl ok http_auth(admins)
                    acl ops http_auth_group(admins) ops
                    http-request auth realm Operators unless ok
                    http-request deny unless ops
                    server web 127.0.0.1:%d
                """.formatted(TIGER_HASH, proxyPort, backends.port("web")));
        deployer.deploy(DEPLOYMENT);
        deployed = true;

        HttpResponse<String> refused = get(null);
        assertEquals(401, refused.statusCode());
        assertEquals("Basic realm=\"Operators\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, get("tiger:wrong").statusCode());
        assertEquals(0, backends.hits("web"), "no refused request reached the server");

        HttpResponse<String> in = get("tiger:tiger-secret");
        assertEquals(200, in.statusCode());
        assertEquals("web", in.body());
        assertEquals(1, backends.hits("web"));
    }

    private HttpResponse<String> get(String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/"))
                .timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            b.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
