package io.tidegate.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import io.tidegate.net.Transport;

/**
 * A receive buffer: bytes [r, w) are received and not yet forwarded. Positions are absolute so
 * parsed heads can point into it; the limit stays at the capacity between operations. The pooled
 * direct buffer is taken on the first read and given back while the connection idles with nothing
 * buffered ({@link #releaseIfIdle()}), so idle keep-alive connections hold no buffer.
 */
final class IoBuffer {
    private final LoopBuffers pool;
    private ByteBuffer buf;
    private boolean freed;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    int r;
    int w;
    /** While >= 0, bytes from here on are kept in place (no reset, no compaction). */
    private int keepFrom = -1;

    IoBuffer(LoopBuffers pool) {
        this.pool = pool;
    }

    /** The buffer; only meaningful while it holds bytes (then it is allocated). */
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
        return buf == null || w < buf.capacity();
    }

    void clear() {
        r = w = 0;
    }

    /** Moves unread bytes to the start when the end is reached (invalidates positions into it). */
    void compact() {
        if (keepFrom >= 0 || buf == null) return;
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
    int fill(Transport ch) throws IOException {
        if (buf == null) {
            if (freed) return -1;
            buf = pool.take();
            r = w = 0;
        }
        if (w == buf.capacity()) return 0;
        buf.limit(buf.capacity()).position(w);
        int n = ch.read(buf);
        if (n > 0) w += n;
        return n;
    }

    /** Writes up to count bytes from r to ch; returns bytes written. */
    int drain(Transport ch, int count) throws IOException {
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

    /**
     * Writes what is left of {@code head}, then up to {@code count} bytes from r, gathered into one
     * write per call (one system call, one segment for a small message), until the head is out or
     * the socket takes no more. Returns the body bytes written; the head's own progress is its
     * position. With count 0 only the head is written (this buffer need not hold anything).
     */
    int drainAfter(Transport ch, ByteBuffer head, int count) throws IOException {
        int written = 0;
        while (head.hasRemaining()) {
            int before = head.remaining();
            int n = count > written ? gather(ch, head, count - written) : 0;
            if (count == written) ch.write(head);
            written += n;
            if (n == 0 && head.remaining() == before) break;
        }
        return written;
    }

    private int gather(Transport ch, ByteBuffer head, int count) throws IOException {
        buf.limit(r + count).position(r);
        ByteBuffer[] pair = gather;
        pair[0] = head;
        pair[1] = buf;
        try {
            ch.write(pair, 0, 2);
        } finally {
            pair[0] = pair[1] = null;
            buf.limit(buf.capacity());
        }
        int n = buf.position() - r;
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

    /** Gives the buffer back to the pool when nothing is buffered; the next {@link #fill} takes one again. */
    void releaseIfIdle() {
        if (buf != null && r == w && keepFrom < 0) {
            pool.give(buf);
            buf = null;
            r = w = 0;
        }
    }

    /** Gives the buffer back for good (connection closed). */
    void free() {
        freed = true;
        if (buf != null) {
            pool.give(buf);
            buf = null;
        }
    }
}
