package io.tidegate.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A JDK TLS server on a free 127.0.0.1 port (the target of {@code option ssl-hello-chk}), with a
 * self-signed key made by the JDK's keytool for the test. It runs the server side of each handshake
 * and counts the ones that started.
 */
final class TlsEndpoint implements AutoCloseable {

    private static final String PASSWORD = "changeit";

    private final SSLServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger handshakes = new AtomicInteger();

    TlsEndpoint(Path dir) throws Exception {
        Path store = dir.resolve("tls.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(output));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "tls-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        for (int i = 0; i < 10_000 && !server.isClosed(); i++) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(5000);
                handshakes.incrementAndGet();
                try {
                    s.startHandshake();
                } catch (IOException expected) {
                    // the check hangs up once it has the ServerHello
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    boolean awaitHandshakes(int n, Duration limit) throws InterruptedException {
        int start = handshakes.get();
        long deadline = System.nanoTime() + limit.toNanos();
        while (handshakes.get() - start < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return handshakes.get() - start >= n;
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(5000);
    }
}
