package io.tidegate.engine;

import java.nio.ByteBuffer;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;

/**
 * A pooled buffer for one outgoing head or local response: taken when a head has to be written
 * from a copy, given back as soon as it is written, so a session holds it only while it is needed.
 */
final class PooledOut {
    private final ByteBufferPool pool;
    private PooledByteBuffer pooled;

    PooledOut(ByteBufferPool pool) {
        this.pool = pool;
    }

    /** A cleared buffer of the pool (the previous one, if still held, is given back first). */
    ByteBuffer take() {
        release();
        pooled = pool.allocate();
        ByteBuffer b = pooled.getBuffer();
        b.clear();
        return b;
    }

    /** Gives the buffer back to the pool; nothing happens when none is held. */
    void release() {
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }
}
