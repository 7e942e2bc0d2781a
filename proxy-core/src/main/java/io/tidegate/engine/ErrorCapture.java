package io.tidegate.engine;

import java.net.InetSocketAddress;

/**
 * The last request a frontend refused as invalid, as {@code show errors} prints it (HAProxy keeps
 * one per frontend the same way): the bytes it had received of it, where the error is, and why.
 *
 * @param frontend  the frontend that refused it
 * @param event     the capture's number in the process (HAProxy's {@code event #})
 * @param whenMillis when it was refused (epoch millis)
 * @param client    the client's address
 * @param sessionId the session's number ({@code show sess})
 * @param status    the status it was answered with
 * @param reason    what was wrong, in words
 * @param bytes     the bytes received of the request when it was refused (at most {@link ErrorCaptures#MAX_BYTES})
 * @param length    how many bytes there were (may exceed {@code bytes.length})
 * @param position  the first byte Tidegate's check finds invalid, else {@code length}
 */
public record ErrorCapture(String frontend, int event, long whenMillis, InetSocketAddress client, long sessionId,
                           int status, String reason, byte[] bytes, int length, int position) {
}
