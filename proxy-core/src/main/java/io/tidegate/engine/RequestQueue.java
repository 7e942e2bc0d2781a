package io.tidegate.engine;

import java.util.ArrayDeque;

/**
 * Requests waiting for a server slot, oldest first: one queue per limited server (requests pinned to
 * it by persistence) and one per backend (requests any server may take). Changed only under the
 * backend's {@link SlotDispatcher} lock; the length can be read without it (a volatile), so the
 * request path learns "nobody waits" without locking.
 */
final class RequestQueue {
    private final ArrayDeque<QueuedRequest> waiting = new ArrayDeque<>();
    private volatile int length;

    /** Requests waiting now. */
    int length() {
        return length;
    }

    void add(QueuedRequest r) {
        waiting.addLast(r);
        length = waiting.size();
    }

    /** The oldest waiting request, or null. */
    QueuedRequest peek() {
        return waiting.peekFirst();
    }

    QueuedRequest poll() {
        QueuedRequest r = waiting.pollFirst();
        length = waiting.size();
        return r;
    }

    /** Takes every waiting request out, oldest first. */
    java.util.List<QueuedRequest> drain() {
        java.util.List<QueuedRequest> all = new java.util.ArrayList<>(waiting);
        waiting.clear();
        length = 0;
        return all;
    }

    /** Adds requests that waited elsewhere, keeping the whole queue in arrival order. */
    void merge(java.util.List<QueuedRequest> more) {
        java.util.List<QueuedRequest> all = new java.util.ArrayList<>(waiting);
        all.addAll(more);
        all.sort(java.util.Comparator.comparingLong(r -> r.order));
        waiting.clear();
        waiting.addAll(all);
        length = waiting.size();
    }

    /** Removes {@code r}; false when it no longer waits here (it was served meanwhile). */
    boolean remove(QueuedRequest r) {
        boolean removed = waiting.remove(r);
        length = waiting.size();
        return removed;
    }
}
