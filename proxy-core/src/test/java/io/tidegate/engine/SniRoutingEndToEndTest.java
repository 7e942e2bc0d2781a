package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.ConfigSource;
import io.tidegate.config.SupportedFeatures;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passthrough routed by SNI over real loopback sockets: a JDK TLS client names a host, Tidegate
 * (mode tcp, {@code tcp-request inspect-delay}, {@code accept if { req_ssl_hello_type 1 }},
 * {@code use_backend ... if { req_ssl_sni ... }}) reads the ClientHello without terminating TLS and
 * connects to the backend of that name, where the handshake completes end to end.
 */
class SniRoutingEndToEndTest extends EngineTestSupport {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext serverContext;
    private static TrustManager trustTheTestKey;
    private final List<TlsBackend> backends = new ArrayList<>();

    @BeforeAll
    static void keys(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("sni.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(store),
                "keytool: " + new String(output));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        // the client trusts the test's self-signed key (it is the one both backends present)
        X509Certificate cert = (X509Certificate) ks.getCertificate("server");
        trustTheTestKey = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                if (!chain[0].equals(cert)) throw new java.security.cert.CertificateException("not the test key");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    /**
     * A client context of its own for each connection: the JDK resumes a cached session with the server
     * name of the first handshake to the same address, which would hide the name under test.
     */
    private static SSLContext clientContext() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {trustTheTestKey}, null);
        return c;
    }

    /** A TLS server that answers each line with "NAME LINE" and records the server names clients sent. */
    private static final class TlsBackend implements AutoCloseable {
        final String name;
        final SSLServerSocket socket;
        final List<String> serverNames = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        final Thread acceptor;

        TlsBackend(String name) throws IOException {
            this.name = name;
            socket = (SSLServerSocket) serverContext.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::serve, "tls-backend-" + name);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            for (int i = 0; i < 50 && !socket.isClosed(); i++) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    accepted.incrementAndGet();
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    for (SNIServerName n : ((ExtendedSSLSession) s.getSession()).getRequestedServerNames()) {
                        serverNames.add(((SNIHostName) n).getAsciiName());
                    }
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    OutputStream out = s.getOutputStream();
                    out.write((name + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    if (socket.isClosed()) return;
                }
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
                acceptor.join(5000);
            } catch (IOException | InterruptedException e) {
                // closing
            }
        }
    }

    @AfterEach
    void stopBackends() {
        backends.forEach(TlsBackend::close);
    }

    private TlsBackend tlsBackend(String name) throws IOException {
        TlsBackend b = new TlsBackend(name);
        backends.add(b);
        return b;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String sniConfig(int port, String inspectDelay, TlsBackend a, TlsBackend b) {
        return """
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 10s
                    timeout server 10s
                frontend tls
                    bind 127.0.0.1:%d
                    tcp-request inspect-delay %s
                    tcp-request content accept if { req_ssl_hello_type 1 }
                    use_backend site_a if { req_ssl_sni -i a.example }
                    use_backend site_b if { req.ssl_sni -m end .b.example }
                    default_backend site_a
                backend site_a
                    server a 127.0.0.1:%d
                backend site_b
                    server b 127.0.0.1:%d
                """.formatted(port, inspectDelay, a.port(), b.port());
    }

    private int startSniProxy(TlsBackend a, TlsBackend b, String inspectDelay) throws Exception {
        int port = freePort();
        var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("sni.cfg", sniConfig(port, inspectDelay, a, b))),
                SupportedFeatures.CURRENT);
        track(Engine.start(loaded.config(), java.util.Map.of()));
        return port;
    }

    /** A TLS client naming {@code host}: the handshake, one line out, the answer back. */
    private static String tlsExchange(int port, String host, String line) throws Exception {
        try (SSLSocket s = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            SSLParameters params = s.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(params);
            s.startHandshake();
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void eachHandshakeReachesTheBackendItsServerNameNames() throws Exception {
        TlsBackend a = tlsBackend("site_a");
        TlsBackend b = tlsBackend("site_b");
        int port = startSniProxy(a, b, "5s");
        assertEquals("site_a hello", tlsExchange(port, "a.example", "hello"));
        assertEquals("site_b hi", tlsExchange(port, "www.b.example", "hi"));
        assertEquals("site_a default", tlsExchange(port, "c.example", "default"), "no rule: the default backend");
        assertEquals("site_a again", tlsExchange(port, "A.EXAMPLE", "again"), "-i: any case");
        assertEquals("site_a case", tlsExchange(port, "X.B.EXAMPLE", "case"), "without -i the case matters");
        assertEquals(List.of("a.example", "c.example", "A.EXAMPLE", "X.B.EXAMPLE"), a.serverNames,
                "TLS is not terminated: the server sees the name the client sent");
        assertEquals(List.of("www.b.example"), b.serverNames);
    }

    @Test
    void aClientThatIsNotTlsGoesToTheDefaultBackendOnceItSentSomething() throws Exception {
        RecordingBackend plain = new RecordingBackend("plain");
        try {
            TlsBackend b = tlsBackend("site_b");
            int port = freePort();
            var loaded = ConfigLoader.loadSources(List.of(new ConfigSource("sni.cfg", """
                    defaults
                        mode tcp
                        timeout connect 5s
                        timeout client 10s
                        timeout server 10s
                    frontend tls
                        bind 127.0.0.1:%d
                        tcp-request inspect-delay 5s
                        tcp-request content accept if { req_ssl_hello_type 1 }
                        use_backend site_b if { req_ssl_sni -i b.example }
                        default_backend plain
                    backend site_b
                        server b 127.0.0.1:%d
                    backend plain
                        server p 127.0.0.1:%d
                    """.formatted(port, b.port(), plain.port()))), SupportedFeatures.CURRENT);
            track(Engine.start(loaded.config(), java.util.Map.of()));
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertEquals("HTTP/1.1 200 OK", status, "not TLS: known at the first byte, no wait; the default backend");
            }
        } finally {
            plain.close();
        }
    }

    @Test
    void aSilentClientIsRoutedWhenTheInspectDelayExpires() throws Exception {
        TlsBackend a = tlsBackend("site_a");
        TlsBackend b = tlsBackend("site_b");
        int port = startSniProxy(a, b, "100ms");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            // nothing sent: at the delay's expiry the rules run on nothing, no rule matches, the default backend
            // is connected; then the late hello still completes end to end with site_a
            for (int i = 0; i < 1000 && a.accepted.get() == 0; i++) Thread.sleep(10);
            assertEquals(1, a.accepted.get(), "the default backend was connected without any byte from the client");
            try (SSLSocket tls = (SSLSocket) clientContext().getSocketFactory().createSocket(s, "127.0.0.1", port, true)) {
                SSLParameters params = tls.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName("x.b.example")));
                tls.setSSLParameters(params);
                tls.startHandshake();
                tls.getOutputStream().write("late\n".getBytes(StandardCharsets.UTF_8));
                tls.getOutputStream().flush();
                assertEquals("site_a late", new BufferedReader(new InputStreamReader(tls.getInputStream(),
                        StandardCharsets.UTF_8)).readLine(), "routed at expiry, before the name was sent");
            }
        }
    }

    @Test
    void routesAsHaproxy26WithTheSameFile(@TempDir Path dir) throws Exception {
        TlsBackend a = tlsBackend("site_a");
        TlsBackend b = tlsBackend("site_b");
        int tidegate = startSniProxy(a, b, "5s");
        int port = freePort();
        try (HaproxyProcess haproxy = HaproxyProcess.start(dir, sniConfig(port, "5s", a, b), port)) {
            for (String host : new String[] {"a.example", "www.b.example", "c.example", "A.EXAMPLE", "X.B.EXAMPLE",
                    "b.example"}) {
                assertEquals(tlsExchange(port, host, host), tlsExchange(tidegate, host, host), "server name " + host);
            }
        }
    }
}
