package io.tidegate.engine;

import java.nio.ByteBuffer;

/**
 * A pooled buffer for one outgoing head or local response: taken when a head has to be written
 * from a copy, given back as soon as it is written, so a session holds it only while it is needed.
 */
final class PooledOut {
    private final LoopBuffers pool;
    private ByteBuffer held;

    PooledOut(LoopBuffers pool) {
        this.pool = pool;
    }

    /** A cleared buffer of the pool (the previous one, if still held, is given back first). */
    ByteBuffer take() {
        release();
        held = pool.take();
        return held;
    }

    /** Gives the buffer back to the pool; nothing happens when none is held. */
    void release() {
        if (held != null) {
            pool.give(held);
            held = null;
        }
    }
}
