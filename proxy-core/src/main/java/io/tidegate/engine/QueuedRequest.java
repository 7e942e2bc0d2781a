package io.tidegate.engine;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import io.tidegate.net.EventLoop;

/**
 * One request waiting for a server slot. The {@link SlotDispatcher} takes the slot for it and then
 * tells its session, on the session's own IO thread, which server it got.
 */
final class QueuedRequest {
    /** Changed only under the dispatcher lock (a requeue unpins it). */
    private volatile RuntimeServer pinned;
    private final EventLoop thread;
    private final Consumer<QueuedRequest> onGranted;
    /** Arrival order within the backend (set under the dispatcher lock): older requests are served first. */
    long order;
    private volatile RuntimeServer granted;

    /**
     * @param pinned    the server a persistence cookie asks for (waits in its queue), or null: any
     *                  server of the backend will do (waits in the backend's queue)
     * @param thread    the IO thread of the session
     * @param onGranted runs on {@code thread} once a slot was taken for the request
     */
    QueuedRequest(RuntimeServer pinned, EventLoop thread, Consumer<QueuedRequest> onGranted) {
        this.pinned = pinned;
        this.thread = thread;
        this.onGranted = onGranted;
    }

    RuntimeServer pinned() {
        return pinned;
    }

    /** Its server stopped taking traffic: any server of the backend will do now. Under the dispatcher lock. */
    void unpin() {
        pinned = null;
    }

    /** The server whose slot the request holds, once granted; null before. */
    RuntimeServer granted() {
        return granted;
    }

    /** The slot on {@code server} is taken for this request: hand it to the session's thread. */
    void grant(RuntimeServer server) {
        granted = server;
        try {
            thread.execute(() -> onGranted.accept(this));
        } catch (RejectedExecutionException e) {
            server.counters().requestEnded();    // the engine is stopping: nobody will use the slot
        }
    }
}
