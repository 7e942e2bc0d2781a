package io.tidegate.health;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/** An XNIO worker for a test: a fixed number of IO threads, shut down on close. */
final class TestWorker implements AutoCloseable {

    final XnioWorker worker;
    final String name;

    TestWorker(String name, int ioThreads) throws IOException {
        this.name = name;
        this.worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, name)
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 1)
                .getMap());
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
