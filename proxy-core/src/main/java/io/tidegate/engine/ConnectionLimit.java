package io.tidegate.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code global maxconn}: at most this many client connections at once. Above it the listeners stop
 * accepting (new clients wait in the kernel backlog, as with HAProxy) and resume as sessions end.
 */
final class ConnectionLimit {
    private final int max;
    private final AtomicInteger current = new AtomicInteger();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private boolean paused;

    /** @param max 0 = unlimited */
    ConnectionLimit(int max) {
        this.max = max;
    }

    void register(Listener l) {
        listeners.add(l);
    }

    int current() {
        return current.get();
    }

    /** Takes a slot for a connection about to be accepted; false (and accepting paused) when full. */
    boolean tryAcquire() {
        if (max <= 0) {
            current.incrementAndGet();
            return true;
        }
        while (true) {
            int c = current.get();
            if (c >= max) {
                pause();
                return false;
            }
            if (current.compareAndSet(c, c + 1)) return true;
        }
    }

    void release() {
        int now = current.decrementAndGet();
        if (max > 0 && now < max) resumeIfPaused();
    }

    private synchronized void pause() {
        if (paused) return;
        paused = true;
        for (Listener l : listeners) l.suspendAccepts();
        // a session may have ended between the check and the pause
        if (current.get() < max) resumeIfPaused();
    }

    private synchronized void resumeIfPaused() {
        if (!paused) return;
        paused = false;
        for (Listener l : listeners) l.resumeAccepts();
    }
}
