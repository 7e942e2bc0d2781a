package io.tidegate.engine;

import io.tidegate.http.BodyFraming;
import io.tidegate.http.ChunkedScanner;
import io.tidegate.http.HttpParseException;

/**
 * Where the relay stands in one message body, the same for both directions (HAProxy's one framing
 * state for requests and responses): its framing, how much of a length-framed body is still to come,
 * how many bytes of the receive buffer (from its read position) belong to the message and are not
 * forwarded yet, and whether the body is complete. A chunked body is followed by a
 * {@link ChunkedScanner}. One per direction per connection, restarted by {@link #begin} for each
 * message (no allocation).
 */
final class MessageCursor {
    private final ChunkedScanner chunks = new ChunkedScanner();
    /** The status a framing violation is answered with: 400 for requests, 502 for responses. */
    private final int errorStatus;
    private BodyFraming framing = BodyFraming.NONE;
    private long remaining;
    /** Bytes from the buffer's read position on that belong to this message and wait to be forwarded. */
    int pending;
    private boolean complete = true;

    MessageCursor(int errorStatus) {
        this.errorStatus = errorStatus;
    }

    /** Starts a message body of the given framing ({@code length} counts only for {@link BodyFraming#LENGTH}). */
    void begin(BodyFraming framing, long length) {
        this.framing = framing;
        this.remaining = framing == BodyFraming.LENGTH ? Math.max(0, length) : 0;
        this.pending = 0;
        this.complete = framing == BodyFraming.NONE;
        if (framing == BodyFraming.CHUNKED) chunks.reset(errorStatus);
    }

    BodyFraming framing() {
        return framing;
    }

    /** The message has a body at all (a request with a body cannot be replayed). */
    boolean hasBody() {
        return framing != BodyFraming.NONE;
    }

    /** What is still to come of a length-framed body (Content-Length), else -1. */
    long lengthStillToCome() {
        return framing == BodyFraming.LENGTH ? remaining : -1;
    }

    boolean isComplete() {
        return complete;
    }

    /** A close-delimited body ended with its connection. */
    void endedByClose() {
        complete = true;
    }

    /** Counts the bytes of {@code in} after the pending ones that belong to this message (validating chunk framing). */
    void scan(IoBuffer in) throws HttpParseException {
        if (complete) return;
        int from = in.r + pending;
        int to = in.w;
        if (from >= to) return;
        switch (framing) {
            case LENGTH -> {
                int k = (int) Math.min(remaining, to - from);
                pending += k;
                remaining -= k;
                if (remaining == 0) complete = true;
            }
            case CHUNKED -> {
                pending += chunks.scan(in.buffer(), from, to);
                if (chunks.isComplete()) complete = true;
            }
            case UNTIL_CLOSE -> pending += to - from;
            default -> complete = true;
        }
    }
}
