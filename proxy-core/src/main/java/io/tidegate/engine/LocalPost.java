package io.tidegate.engine;

import java.util.function.Consumer;

/**
 * A locally answered request that needs its body (see {@link LocalService#post}). The engine ({@code LocalBodyReader}) reads
 * the body on the connection's IO thread, bounded in size ({@link #MAX_BODY}, counted as it arrives,
 * framing included) and in time ({@code timeout http-request}, else {@code timeout client}: 408), and
 * decodes a chunked body; {@code Expect: 100-continue} is answered first.
 */
public interface LocalPost {
    /**
     * The largest body read: HAProxy's room for it with its defaults, {@code tune.bufsize} 16384 less
     * {@code tune.maxrewrite} 1024 (HAProxy 2.6 also counts the head in that room: with a 150-byte
     * head it took 15099 body bytes and answered EXCD above).
     */
    int MAX_BODY = 16384 - 1024;

    /**
     * The body arrived. Runs on the IO thread, so a change that may block must be handed to another
     * thread; {@code answer} takes the response exactly once, from any thread.
     *
     * @param body the whole body, or null when it is larger than {@link #MAX_BODY}
     */
    void complete(byte[] body, Consumer<LocalResponse> answer);
}
