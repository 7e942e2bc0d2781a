package io.tidegate.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code maxconn} of the process ({@code global}) or of one frontend: at most this many client
 * connections at once. Above it the listeners stop accepting (new clients wait in the kernel
 * backlog, as with HAProxy) and resume as sessions end. A listener may be under two limits (global
 * and its frontend's); a full limit keeps a listener suspended until that limit has room again.
 */
final class ConnectionLimit {
    /** Changed by a reload ({@link #setMax}); sessions keep the limit they were counted in. */
    private volatile int max;
    private final AtomicInteger current = new AtomicInteger();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private boolean paused;

    /** @param max 0 = unlimited */
    ConnectionLimit(int max) {
        this.max = max;
    }

    void register(Listener l) {
        if (!listeners.contains(l)) listeners.add(l);
    }

    /** A listener a reload removed or moved to another frontend: this limit no longer pauses it. */
    void unregister(Listener l) {
        listeners.remove(l);
    }

    /** A reload changed {@code maxconn} (0 = unlimited): accepting resumes if the new limit has room. */
    void setMax(int max) {
        this.max = max;
        if (max <= 0 || current.get() < max) resumeIfPaused();
    }

    int current() {
        return current.get();
    }

    /** Takes a slot for a connection about to be accepted; false (and accepting paused) when full. */
    boolean tryAcquire() {
        return tryAcquire(null);
    }

    /**
     * As {@link #tryAcquire()}; when full, {@code requester} is suspended too even if the limit was
     * paused already (another limit may have resumed it meanwhile).
     */
    boolean tryAcquire(Listener requester) {
        int max = this.max;
        if (max <= 0) {
            current.incrementAndGet();
            return true;
        }
        while (true) {
            int c = current.get();
            if (c >= max) {
                pause(requester);
                return false;
            }
            if (current.compareAndSet(c, c + 1)) return true;
        }
    }

    void release() {
        int now = current.decrementAndGet();
        int max = this.max;
        if (max > 0 && now < max) resumeIfPaused();
    }

    private synchronized void pause(Listener requester) {
        if (paused) {
            if (requester != null) requester.suspendAccepts();    // resumed with the others when a slot frees
            return;
        }
        paused = true;
        for (Listener l : listeners) l.suspendAccepts();
        // a session may have ended between the check and the pause
        int max = this.max;
        if (max <= 0 || current.get() < max) resumeIfPaused();
    }

    private synchronized void resumeIfPaused() {
        if (!paused) return;
        paused = false;
        for (Listener l : listeners) l.resumeAccepts();
    }
}
