package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ConfigCheck command line: exit status and output. */
class ConfigCheckTest {

    private static final String VALID = "listen web\n    bind 127.0.0.1:8080\n    mode http\n"
            + "    server s 127.0.0.1:8081 cookie A\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ConfigCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void validFileExitsZeroWithTheMessage() throws IOException {
        Path f = file("ok.cfg", VALID);
        assertEquals(0, run("-f", f.toString()));
        assertEquals("Configuration file is valid\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), errLines());
    }

    @Test
    void invalidFileExitsOneAndPrintsEveryProblemWithFileLineColumn() throws IOException {
        Path f = file("bad.cfg", "listen web\n    bind 127.0.0.1:8080\n    mode http\n    timeout connect 5x\n"
                + "    option httplog clf\n    frobnicate\n");
        assertEquals(1, run("-c", "-f", f.toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(
                        f + ":4:21: error: invalid time unit 'x' in '5x': supported units are us, ms, s, m, h, d "
                                + "(milliseconds by default)",
                        f + ":5:20: error: 'option httplog clf' is not supported yet",
                        f + ":6:5: error: unknown keyword 'frobnicate' in listen 'web'; keywords valid in a listen "
                                + "section: bind, mode, balance, server, default-server, dispatch, default_backend, "
                                + "use_backend, timeout, contimeout, clitimeout, srvtimeout, option, no, redispatch, "
                                + "cookie, maxconn, fullconn, retries, grace, monitor-net, monitor-uri, monitor, stats, http-check, log, log-format, source, capture"
                        + ", compression, acl, http-request, http-response, redirect, errorfile, tcp-request, reqadd, reqrep, reqirep, reqdel, reqidel, rspadd, rsprep, rspirep, rspdel, rspidel, block, hash-type, persist, tcp-check, stick-table, stick, description"),
                errLines());
    }

    @Test
    void severalFilesAreOneConfiguration() throws IOException {
        Path front = file("front.cfg", "frontend f\n    bind 127.0.0.1:8080\n    mode http\n    default_backend app\n");
        Path back = file("back.cfg", "backend app\n    mode http\n    server s 127.0.0.1:8081\n    nonsense\n");
        assertEquals(1, run("-f", front.toString(), "-f", back.toString()));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith(back + ":4:5: error: unknown keyword 'nonsense'"), errLines().get(0));
        Path fixed = file("back.cfg", "backend app\n    mode http\n    server s 127.0.0.1:8081\n");
        assertEquals(0, run("-f", front.toString(), "-f", fixed.toString()));
    }

    @Test
    void warningsArePrintedForAValidFile() throws IOException {
        Path f = file("w.cfg", "global\n    quiet\n" + VALID);
        assertEquals(0, run("-f", f.toString()));
        assertEquals(List.of(f + ":2:5: warning: 'global quiet' is accepted but has no effect: Tidegate runs "
                + "inside WildFly"), errLines());
    }

    @Test
    void usageErrorsAndUnreadableFilesExitTwo() {
        assertEquals(2, run());
        assertTrue(errLines().contains("no configuration file given"), errLines().toString());
        assertEquals(2, run("-f"));
        assertEquals(2, run("--frobnicate"));
        assertEquals(2, run("-f", dir.resolve("missing.cfg").toString()));
        assertTrue(errLines().contains(dir.resolve("missing.cfg") + ": cannot read the configuration file"),
                errLines().toString());
        assertEquals(2, run("-f", dir.toString()), "a directory is not a configuration file");
    }

    /**
     * Runs the real main class in a separate JVM whose class path holds only proxy-core's own classes:
     * the config package must not need Undertow, XNIO or JBoss Logging at run time.
     */
    @Test
    void runsWithOnlyProxyCoreOnTheClassPath() throws IOException, InterruptedException, URISyntaxException {
        Path ok = file("ok.cfg", VALID);
        Path bad = file("bad.cfg", "listen web\n    bind 127.0.0.1:8080\n    mode http\n    server s\n");
        String classes = Path.of(ConfigCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        ProcessResult valid = runJava(java, classes, ok);
        assertEquals(0, valid.exit(), valid.output());
        assertEquals("Configuration file is valid", valid.output().strip());

        ProcessResult invalid = runJava(java, classes, bad);
        assertEquals(1, invalid.exit(), invalid.output());
        assertEquals(bad + ":4:12: error: server 's' has no address (expected 'server s ADDRESS[:PORT] [options]')",
                invalid.output().strip());
        assertTrue(!classes.contains(File.pathSeparator), "only one class path entry: " + classes);
    }

    private record ProcessResult(int exit, String output) {
    }

    /** Runs ConfigCheck in a new JVM, waiting at most 60 s; the process never outlives the test. */
    private static ProcessResult runJava(String java, String classPath, Path config)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-cp", classPath, ConfigCheck.class.getName(), "-f", config.toString())
                .redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ConfigCheck did not finish within 60 s");
            return new ProcessResult(p.exitValue(), new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
