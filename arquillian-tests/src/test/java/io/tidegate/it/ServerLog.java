package io.tidegate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The test server's server.log from the moment a test started: what Tidegate logged meanwhile. */
final class ServerLog {

    private final Path file;
    private final long start;

    private ServerLog(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks the current end of server.log; {@link #lines()} returns what is written after it. */
    static ServerLog fromNow() {
        Path file = Path.of(ItEnvironment.property("tidegate.it.server"), "standalone", "log", "server.log");
        try {
            return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines logged since {@link #fromNow()}. */
    List<String> lines() {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(start, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines logged since {@link #fromNow()} that contain {@code text}. */
    List<String> linesContaining(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    /**
     * Waits (polling, bounded by {@code limit}) until a line containing {@code text} was logged and
     * returns how long that took, or null if it did not appear in time.
     */
    Duration awaitLine(String text, Duration limit) throws InterruptedException {
        return await(l -> l.contains(text), limit);
    }

    Duration await(Predicate<String> line, Duration limit) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines().stream().anyMatch(line)) {
                return Duration.ofNanos(System.nanoTime() - t0);
            }
            Thread.sleep(25);
        }
        return null;
    }
}
