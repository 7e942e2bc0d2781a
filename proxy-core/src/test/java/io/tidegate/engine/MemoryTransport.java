package io.tidegate.engine;

import io.tidegate.net.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link Transport} in memory for the relay's unit tests: the test delivers bytes (and the end of
 * the stream) as the peer, and reads what the relay wrote. Handlers run when the test calls
 * {@link #pump()}, as a selector would: readable while bytes or the end are pending and read interest
 * is on, writable while write interest is on and the peer's window ({@link #window}) is open. Single-threaded (the loop's thread).
 */
final class MemoryTransport implements Transport {
    private final InetSocketAddress peer;
    private final InetSocketAddress local;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private byte[] inbound = new byte[0];
    private int inboundPos;
    private boolean eofPending;
    private boolean readShutdown;
    private boolean readInterest;
    private boolean writeInterest;
    private boolean closed;
    private boolean discarded;
    /** The relay shut its sending side ({@link #shutdownOutput()}): the peer saw a FIN. */
    private boolean outputShutdown;
    /** How many more bytes the peer takes before its receive window is full (backpressure). */
    private long writeWindow = Long.MAX_VALUE;
    private Runnable readHandler;
    private Runnable writeHandler;
    private Runnable endOfStreamHandler;

    MemoryTransport(InetSocketAddress peer, InetSocketAddress local) {
        this.peer = peer;
        this.local = local;
    }

    // ---------------------------------------------------------------- the test's side

    void deliver(String text) {
        deliver(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void deliver(byte[] bytes) {
        byte[] rest = new byte[inbound.length - inboundPos + bytes.length];
        System.arraycopy(inbound, inboundPos, rest, 0, inbound.length - inboundPos);
        System.arraycopy(bytes, 0, rest, inbound.length - inboundPos, bytes.length);
        inbound = rest;
        inboundPos = 0;
    }

    /** The peer shuts its sending side. */
    void deliverEnd() {
        eofPending = true;
    }

    /** What the relay wrote so far, taken (the next call returns only newer bytes). */
    String takeWritten() {
        String s = written.toString(StandardCharsets.ISO_8859_1);
        written.reset();
        return s;
    }

    /** The peer takes at most {@code bytes} more until the next call (a slow reader). */
    void window(long bytes) {
        writeWindow = bytes;
    }

    /** Bytes delivered by the test and not read by the relay yet. */
    int unread() {
        return inbound.length - inboundPos;
    }

    int writtenCount() {
        return written.size();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closed with {@link #discard()}: the relay gave the connection up at the end of an exchange, without shutting it down first. */
    boolean wasDiscarded() {
        return discarded;
    }

    /** Whether the relay asked to hear of bytes or the end of the stream now (a selector's read interest). */
    boolean readInterest() {
        return readInterest;
    }

    /** The relay sent its FIN to this peer (half-close) or closed. */
    boolean isOutputShutdown() {
        return outputShutdown || closed;
    }

    /** Runs the handlers that a selector would run now; true when one ran. */
    boolean pump() {
        boolean ran = false;
        if (!closed && readInterest && readHandler != null && (inboundPos < inbound.length || eofPending)) {
            int before = inboundPos;
            boolean eofBefore = readShutdown;
            readHandler.run();
            ran = inboundPos != before || readShutdown != eofBefore;
        }
        if (!closed && writeInterest && writeHandler != null && writeWindow > 0) {
            int before = written.size();
            writeHandler.run();
            ran |= written.size() != before;
        }
        return ran;
    }

    // ---------------------------------------------------------------- the relay's side

    @Override
    public int read(ByteBuffer dst) {
        if (readShutdown || closed) return -1;
        int available = inbound.length - inboundPos;
        if (available == 0) {
            if (!eofPending) return 0;
            readShutdown = true;
            suspendReads();
            if (endOfStreamHandler != null) endOfStreamHandler.run();
            return -1;
        }
        int n = Math.min(available, dst.remaining());
        dst.put(inbound, inboundPos, n);
        inboundPos += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        if (outputShutdown) throw new IllegalStateException("write after shutdownOutput");
        int n = (int) Math.min(src.remaining(), writeWindow);
        writeWindow -= n;
        byte[] b = new byte[n];
        src.get(b);
        written.write(b, 0, n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length && writeWindow > 0; i++) n += write(srcs[i]);
        return n;
    }

    @Override public void resumeReads() { if (!readShutdown) readInterest = true; }
    @Override public void suspendReads() { readInterest = false; }
    @Override public void resumeWrites() { writeInterest = true; }
    @Override public void suspendWrites() { writeInterest = false; }
    @Override public void setReadHandler(Runnable h) { readHandler = h; }
    @Override public void setWriteHandler(Runnable h) { writeHandler = h; }
    @Override public void setEndOfStreamHandler(Runnable h) { endOfStreamHandler = h; }
    @Override public boolean isOpen() { return !closed; }
    @Override public void close() { closed = true; }
    @Override public void discard() {
        if (!closed) discarded = true;
        closed = true;
    }
    /** As a socket shut down both ways: the read handler runs now and reads the end of the stream. */
    @Override public void shutdown() {
        if (closed) return;
        eofPending = true;
        inboundPos = inbound.length;
        if (readInterest && readHandler != null) readHandler.run();
    }
    @Override public void shutdownOutput() { outputShutdown = true; }
    @Override public void keepAliveProbes() { }
    @Override public InetSocketAddress peerAddress() { return peer; }
    @Override public InetSocketAddress localAddress() { return local; }
}
