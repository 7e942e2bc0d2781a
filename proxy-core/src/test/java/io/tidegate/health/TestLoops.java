package io.tidegate.health;

import io.tidegate.net.EventLoopGroup;
import java.io.IOException;

/** Event loops for a test (as the engine's IO threads, without the engine), stopped on close. */
final class TestLoops implements AutoCloseable {

    final EventLoopGroup group;
    final String name;

    TestLoops(String name, int ioThreads) throws IOException {
        this.name = name;
        this.group = new EventLoopGroup(name, ioThreads, 0);
    }

    @Override
    public void close() {
        group.shutdown(5_000);
    }
}
