package io.tidegate.engine;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads a state that the proxy updates when an exchange ends, which may be just after the client
 * has read its response: re-reads until it shows what the test then asserts (at most 1000 reads
 * over about 10 s), and returns the last reading so the assertions run on it either way.
 */
public final class Settled {
    private Settled() {
    }

    public static <T> T await(Supplier<T> read, Predicate<T> settled) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        T value = read.get();
        for (int i = 0; i < 1000 && !settled.test(value) && System.nanoTime() < deadline; i++) {
            Thread.sleep(10);
            value = read.get();
        }
        return value;
    }
}
