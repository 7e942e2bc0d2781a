package io.tidegate.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * A pooled direct buffer (its limit is kept at its capacity between operations) read into at {@link #w} and consumed from {@link #r}: bytes [r, w) are
 * received and not yet forwarded. Positions are absolute so parsed heads can point into it.
 */
final class IoBuffer {
    private final PooledByteBuffer pooled;
    private ByteBuffer buf;
    int r;
    int w;
    /** While >= 0, bytes from here on are kept in place (no reset, no compaction). */
    private int keepFrom = -1;

    IoBuffer(ByteBufferPool pool) {
        this.pooled = pool.allocate();
        this.buf = pooled.getBuffer();
        buf.clear();
    }

    ByteBuffer buffer() {
        return buf;
    }

    int readable() {
        return w - r;
    }

    boolean isEmpty() {
        return r == w;
    }

    boolean hasSpace() {
        return w < buf.capacity();
    }

    void clear() {
        r = w = 0;
    }

    /** Moves unread bytes to the start when the end is reached (invalidates positions into it). */
    void compact() {
        if (keepFrom >= 0) return;
        if (r == w) {
            r = w = 0;
        } else if (r > 0 && w == buf.capacity()) {
            buf.limit(w).position(r);
            buf.compact();
            buf.limit(buf.capacity());
            w -= r;
            r = 0;
        }
    }

    /** Reads from ch into the free space; returns bytes read, 0 (nothing / no space) or -1 at end of stream. */
    int fill(StreamSourceChannel ch) throws IOException {
        if (w == buf.capacity()) return 0;
        buf.limit(buf.capacity()).position(w);
        int n = ch.read(buf);
        if (n > 0) w += n;
        return n;
    }

    /** Writes up to count bytes from r to ch; returns bytes written. */
    int drain(StreamSinkChannel ch, int count) throws IOException {
        buf.limit(r + count).position(r);
        int n;
        try {
            n = ch.write(buf);
        } finally {
            buf.limit(buf.capacity());   // parsers read [r, w) with absolute gets, bounded by the limit
        }
        r += n;
        if (r == w && keepFrom < 0) r = w = 0;
        return n;
    }

    /** Keeps the bytes from {@code index} in place until {@link #release()} (e.g. a request that may be replayed). */
    void keepFrom(int index) {
        keepFrom = index;
    }

    void release() {
        keepFrom = -1;
    }

    void free() {
        if (buf != null) {
            buf = null;
            pooled.close();
        }
    }
}
