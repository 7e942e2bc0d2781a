package io.tidegate.perf;

import io.tidegate.config.ConfigLoader;
import io.tidegate.config.LoadedConfig;
import io.tidegate.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one Tidegate engine outside WildFly, for profiling (JFR, async-profiler) under load:
 * {@code java -cp ... io.tidegate.perf.StandaloneEngine haproxy.cfg}. Prints the bound addresses and
 * runs until the JVM is stopped (SIGTERM/Ctrl-C closes the engine). Not a product entry point; the
 * product runs inside WildFly (see benchmarks/profile for how it is used).
 */
public final class StandaloneEngine {
    private StandaloneEngine() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StandaloneEngine CONFIG_FILE");
            System.exit(2);
        }
        LoadedConfig loaded = ConfigLoader.load(Path.of(args[0]));
        loaded.warnings().forEach(w -> System.err.println("warning: " + w));
        Engine engine = Engine.start(loaded.config());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stopped.countDown();
        }, "tidegate-standalone-stop"));
        System.out.println("started " + engine.boundAddresses() + " with " + engine.ioThreadCount()
                + " IO thread(s)");
        System.out.flush();
        answerStatsRequests();
        stopped.await();
    }

    /**
     * Each line "stats" on standard input prints one line: bytes allocated so far by all live
     * threads (the IO threads do the proxying), GC count and GC time, so a script can compute
     * allocation per proxied request from two samples. Returns at end of input.
     */
    private static void answerStatsRequests() throws java.io.IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.trim().equals("stats")) continue;
            long allocated = 0;
            for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) if (b > 0) allocated += b;
            long gcs = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcs += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            System.out.println("stats allocated=" + allocated + " gcs=" + gcs + " gc_ms=" + gcMillis);
            System.out.flush();
        }
    }
}
