package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's HAProxy 2.6 ({@code /usr/sbin/haproxy}, installed by {@code ./tidegate test}) running in the
 * foreground on one configuration, for the tests that compare Tidegate with it side by side.
 * {@link #close()} stops it.
 */
public final class HaproxyProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;

    private HaproxyProcess(Process process) {
        this.process = process;
    }

    /**
     * Writes {@code config} to {@code dir/haproxy.cfg}, starts HAProxy on it (its output in
     * {@code dir/haproxy.out}) and waits until it accepts on 127.0.0.1:{@code port} (at most ~25 s;
     * fails with HAProxy's output when it exits).
     */
    public static HaproxyProcess start(Path dir, String config, int port) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BINARY), "this test compares with Debian's haproxy (apt-get install haproxy)");
        Path cfg = dir.resolve("haproxy.cfg");
        Path out = dir.resolve("haproxy.out");
        Files.writeString(cfg, config);
        HaproxyProcess haproxy = new HaproxyProcess(new ProcessBuilder(BINARY.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return haproxy;
            } catch (IOException e) {
                if (!haproxy.process.isAlive()) fail("haproxy exited: " + Files.readString(out));
                Thread.sleep(50);
            }
        }
        haproxy.close();
        fail("haproxy did not listen on " + port);
        return null;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
