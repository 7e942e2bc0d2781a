package io.tidegate.engine;

/**
 * Hands free server slots of one backend to waiting requests (S9). A request that finds its server
 * full waits in that server's queue when persistence pins it there, else in the backend's queue;
 * when a slot frees, the server takes the older of the heads of its own queue and of the backend
 * queue, as HAProxy does. One lock per backend, taken only when somebody waits or is about to:
 * the request path with free slots never comes here.
 */
final class SlotDispatcher {
    private final RuntimeBackend backend;
    private final RequestQueue anyServer = new RequestQueue();
    private long nextOrder;

    SlotDispatcher(RuntimeBackend backend) {
        this.backend = backend;
    }

    /** Requests waiting for any server of the backend. */
    RequestQueue anyServerQueue() {
        return anyServer;
    }

    /** Somebody waits for a slot of {@code s}, or for any server. Lock-free. */
    boolean hasWaitersFor(RuntimeServer s) {
        return s.queue().length() > 0 || anyServer.length() > 0;
    }

    /**
     * Queues {@code r}, then serves it at once if a slot freed while it was being queued.
     *
     * @return false when the pinned server's queue is full ({@code maxqueue}); nothing was queued
     */
    boolean enqueue(QueuedRequest r) {
        synchronized (this) {
            RuntimeServer pinned = r.pinned();
            if (pinned != null) {
                int maxqueue = pinned.plan().limits().maxqueue();
                if (maxqueue > 0 && pinned.queue().length() >= maxqueue) return false;
                r.order = nextOrder++;
                pinned.queue().add(r);
                serve(pinned);
            } else {
                r.order = nextOrder++;
                anyServer.add(r);
                serveAll();
            }
            return true;
        }
    }

    /** Takes {@code r} out of its queue; false when it was granted a slot already (the grant is on its way). */
    synchronized boolean cancel(QueuedRequest r) {
        if (r.granted() != null) return false;
        return (r.pinned() != null ? r.pinned().queue() : anyServer).remove(r);
    }

    /** A slot of {@code s} was released. */
    synchronized void slotFreed(RuntimeServer s) {
        serve(s);
    }

    /**
     * Servers changed (health, weight, admin state): slots may have appeared anywhere. With option
     * redispatch, requests waiting for a server that no longer takes traffic go to the backend's
     * queue, in their arrival order, for any server (HAProxy's requeue when a server goes down).
     *
     * @return requests moved out of a server's queue
     */
    int serversChanged() {
        if (anyServer.length() == 0 && !anyServerQueued()) return 0;
        synchronized (this) {
            int moved = backend.plan().redispatch() ? requeueFromUnusableServers() : 0;
            serveAll();
            return moved;
        }
    }

    private int requeueFromUnusableServers() {
        int moved = 0;
        for (RuntimeServer s : backend.servers()) {
            if (s.acceptsPersistentTraffic() || s.queue().length() == 0) continue;
            java.util.List<QueuedRequest> waiting = s.queue().drain();
            for (QueuedRequest r : waiting) r.unpin();
            anyServer.merge(waiting);
            moved += waiting.size();
        }
        return moved;
    }

    private boolean anyServerQueued() {
        for (RuntimeServer s : backend.servers()) if (s.queue().length() > 0) return true;
        return false;
    }

    private void serveAll() {
        for (RuntimeServer s : backend.servers()) serve(s);
    }

    /** Gives free slots of {@code s} to the oldest requests it may serve. Holds the lock. */
    private void serve(RuntimeServer s) {
        boolean takesAny = backend.takesBalancedTraffic(s);
        boolean takesPinned = s.acceptsPersistentTraffic();
        while (true) {
            QueuedRequest own = takesPinned ? s.queue().peek() : null;
            QueuedRequest any = takesAny ? anyServer.peek() : null;
            QueuedRequest next = own == null ? any : any == null || own.order < any.order ? own : any;
            if (next == null || !s.takeSlot()) return;
            if (next == own) s.queue().poll();
            else anyServer.poll();
            next.grant(s);
        }
    }
}
