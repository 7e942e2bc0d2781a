package io.tidegate.net;

/** A task an {@link EventLoop} runs once after a delay, unless cancelled first. Used on the loop's thread only. */
public final class ScheduledTask implements Comparable<ScheduledTask> {
    private final EventLoop loop;
    private final Runnable task;
    final long deadline;
    private final long sequence;
    private boolean cancelled;

    ScheduledTask(EventLoop loop, Runnable task, long deadline, long sequence) {
        this.loop = loop;
        this.task = task;
        this.deadline = deadline;
        this.sequence = sequence;
    }

    /** Keeps the task from running; false when it already ran or was cancelled. */
    public boolean cancel() {
        if (cancelled) return false;
        cancelled = true;
        loop.timerCancelled();
        return true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    void fire() {
        cancelled = true;    // ran: a later cancel() is a no-op
        task.run();
    }

    @Override
    public int compareTo(ScheduledTask o) {
        int c = Long.compare(deadline - o.deadline, 0);    // nanoTime: compare by difference
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
