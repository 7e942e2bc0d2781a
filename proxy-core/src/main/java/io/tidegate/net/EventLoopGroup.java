package io.tidegate.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The engine's IO threads: a fixed set of {@link EventLoop}s, started together and stopped together. */
public final class EventLoopGroup {
    private final List<EventLoop> loops;

    /**
     * Starts {@code count} loops named {@code prefix-0 .. prefix-(count-1)}.
     *
     * @param spinNanos see {@link EventLoop#EventLoop(String, int, long)}
     */
    public EventLoopGroup(String prefix, int count, long spinNanos) throws IOException {
        if (count < 1) throw new IllegalArgumentException("an event loop group needs at least one loop");
        List<EventLoop> l = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) l.add(new EventLoop(prefix + "-" + i, i, spinNanos));
        } catch (IOException e) {
            for (EventLoop x : l) x.shutdown();
            throw e;
        }
        loops = List.copyOf(l);
        for (EventLoop x : loops) x.start();
    }

    public List<EventLoop> loops() {
        return loops;
    }

    public int size() {
        return loops.size();
    }

    public EventLoop get(int index) {
        return loops.get(index);
    }
    /** Stops every loop and waits up to {@code timeoutMillis} in all for them to finish. */
    public boolean shutdown(long timeoutMillis) {
        for (EventLoop l : loops) l.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean all = true;
        for (EventLoop l : loops) {
            try {
                all &= l.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }
}
