package io.tidegate.http;

import java.nio.ByteBuffer;

/**
 * Follows a chunked body (RFC 9112 §7.1) as its bytes pass through the proxy, without changing
 * them: it validates chunk sizes, line ends and trailers and tells where the message ends.
 * Reusable via {@link #reset(int)}; confined to one IO thread.
 */
public final class ChunkedScanner {
    private static final int MAX_SIZE_DIGITS = 15;
    private static final int MAX_LINE_EXTRA = 4096;

    private enum State { SIZE, EXT, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_LF, END_LF, DONE }

    private State state;
    private long remaining;
    private int digits;
    private int lineBytes;
    private int errorStatus;

    public ChunkedScanner() {
        reset(400);
    }

    /** Starts a new body; violations are reported with errorStatus (400 request, 502 response). */
    public void reset(int errorStatus) {
        this.state = State.SIZE;
        this.remaining = 0;
        this.digits = 0;
        this.lineBytes = 0;
        this.errorStatus = errorStatus;
    }

    public boolean isComplete() {
        return state == State.DONE;
    }

    /**
     * Scans buf[from, to) and returns how many of those bytes belong to this body (fewer than
     * to - from only when the body ends inside the range).
     */
    public int scan(ByteBuffer buf, int from, int to) throws HttpParseException {
        int p = from;
        while (p < to) {
            switch (state) {
                case DATA -> {
                    long n = Math.min(remaining, to - p);
                    p += (int) n;
                    remaining -= n;
                    if (remaining == 0) state = State.DATA_CR;
                }
                case SIZE -> {
                    int b = buf.get(p);
                    int v = hex(b);
                    if (v >= 0) {
                        if (++digits > MAX_SIZE_DIGITS) throw fail("chunk size too long");
                        remaining = (remaining << 4) | v;
                        p++;
                    } else if (digits == 0) {
                        throw fail("bad chunk size");
                    } else if (b == '\r') {
                        state = State.SIZE_LF;
                        p++;
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = State.EXT;
                        lineBytes = 0;
                        p++;
                    } else {
                        throw fail("bad chunk size");
                    }
                }
                case EXT -> {
                    int b = buf.get(p++);
                    if (b == '\r') state = State.SIZE_LF;
                    else if (!HttpSyntax.isFieldChar(b) || ++lineBytes > MAX_LINE_EXTRA) throw fail("bad chunk extension");
                }
                case SIZE_LF -> {
                    if (buf.get(p++) != '\n') throw fail("bad chunk line end");
                    digits = 0;
                    if (remaining == 0) {
                        state = State.TRAILER_START;
                        lineBytes = 0;
                    } else {
                        state = State.DATA;
                    }
                }
                case DATA_CR -> {
                    if (buf.get(p++) != '\r') throw fail("chunk data overrun");
                    state = State.DATA_LF;
                }
                case DATA_LF -> {
                    if (buf.get(p++) != '\n') throw fail("chunk data overrun");
                    state = State.SIZE;
                }
                case TRAILER_START -> {
                    int b = buf.get(p++);
                    if (b == '\r') {
                        state = State.END_LF;
                    } else if (HttpSyntax.isTchar(b)) {
                        state = State.TRAILER;
                        lineBytes++;
                    } else {
                        throw fail("bad trailer field");
                    }
                }
                case TRAILER -> {
                    int b = buf.get(p++);
                    if (b == '\r') state = State.TRAILER_LF;
                    else if (!HttpSyntax.isFieldChar(b) && b != ':') throw fail("bad trailer field");
                    if (++lineBytes > MessageHead.MAX_HEAD_SIZE) throw fail("trailer section too large");
                }
                case TRAILER_LF -> {
                    if (buf.get(p++) != '\n') throw fail("bad trailer line end");
                    state = State.TRAILER_START;
                }
                case END_LF -> {
                    if (buf.get(p++) != '\n') throw fail("bad last chunk");
                    state = State.DONE;
                    return p - from;
                }
                case DONE -> {
                    return p - from;
                }
            }
        }
        return p - from;
    }

    private HttpParseException fail(String reason) {
        return new HttpParseException(errorStatus, reason);
    }

    private static int hex(int b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }
}
