package io.tidegate.engine;

import java.net.InetSocketAddress;

/**
 * The last request a frontend refused as invalid, or the last response a backend's server sent that
 * the relay refused, as {@code show errors} prints it (HAProxy keeps one of each per proxy the same
 * way): the bytes received of it, where the error is, and why.
 *
 * @param response  true for a server's response (kept by {@code backend}), false for a client's request
 * @param frontend  the frontend the client came through
 * @param backend   for a response, the backend whose server sent it; null for a request
 * @param server    for a response, the server that sent it; null for a request
 * @param event     the capture's number in the process, from 0 (HAProxy's {@code event #})
 * @param whenMillis when it was refused (epoch millis)
 * @param client    the client's address
 * @param sessionId the session's number ({@code show sess})
 * @param status    the status it was answered with
 * @param reason    what was wrong, in words
 * @param bytes     the bytes received of the message when it was refused (at most {@link ErrorCaptures#MAX_BYTES})
 * @param length    how many bytes there were (may exceed {@code bytes.length})
 * @param position  the first byte Tidegate's check finds invalid, else {@code length}
 */
public record ErrorCapture(boolean response, String frontend, String backend, String server, int event, long whenMillis, InetSocketAddress client, long sessionId,
                           int status, String reason, byte[] bytes, int length, int position) {
}
