package io.tidegate.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The receive and head buffers of one IO thread: 16 KiB direct buffers kept in a free list that
 * only that thread touches, so taking and giving back a buffer is a push or a pop (no lock, no
 * thread-local look-up, no wrapper object per use as with Undertow's pool: measured 100 B of
 * garbage per keep-alive request). At most {@code maxKept} free buffers stay cached; more are left to
 * the garbage collector.
 */
final class LoopBuffers {
    private final int bufferSize;
    private final int maxKept;
    private final ArrayDeque<ByteBuffer> free;

    LoopBuffers(int bufferSize, int maxKept) {
        this.bufferSize = bufferSize;
        this.maxKept = maxKept;
        this.free = new ArrayDeque<>(Math.min(maxKept, 64));
    }

    /** The capacity of every buffer of this pool. */
    int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer: a cached one, else a new one. */
    ByteBuffer take() {
        ByteBuffer b = free.pollLast();
        if (b == null) return ByteBuffer.allocateDirect(bufferSize);
        b.clear();
        return b;
    }

    /** Gives a buffer back; the caller must not use it afterwards. */
    void give(ByteBuffer b) {
        if (free.size() < maxKept) free.addLast(b);
    }
}
