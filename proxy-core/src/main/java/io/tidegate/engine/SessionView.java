package io.tidegate.engine;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * One client session as {@code show sess} lists it: taken on the session's own IO thread
 * ({@link SessionTable}), so every field is a consistent copy, never read across threads.
 *
 * @param id            the session's number, unique in the process ({@code shutdown session} takes it)
 * @param client        the client's address
 * @param local         the address it connected to (the listener's)
 * @param frontend      the frontend that accepted it
 * @param mode          {@code http} or {@code tcp}
 * @param backend       the backend of the exchange in progress, null when none was chosen yet (idle, or answered locally)
 * @param server        the server of the exchange in progress, null when none was chosen yet
 * @param serverAddress that server's address, null with no server
 * @param acceptedMillis when it was accepted (epoch millis)
 * @param ageNanos      how long it has been open
 * @param exchanges     exchanges (requests) completed on it
 * @param phase         what it does now: {@code idle}, {@code request}, {@code queue}, {@code connect},
 *                      {@code response}, {@code data}, {@code tunnel}, {@code closing}
 * @param thread        the index of its IO thread
 */
public record SessionView(long id, InetSocketAddress client, InetSocketAddress local, String frontend, String mode,
                          String backend, String server, InetSocketAddress serverAddress, long acceptedMillis,
                          long ageNanos, int exchanges, String phase, int thread) {

    /** HAProxy's protocol name of the listener ({@code tcpv4}, {@code tcpv6}). */
    public String proto() {
        return local != null && local.getAddress() instanceof Inet6Address ? "tcpv6" : "tcpv4";
    }

    /**
     * The termination state an operator's kill logs: {@code K} (killed by an administrator) and the
     * phase letter of HAProxy's second character (R request, Q queue, C connect, H headers, D data).
     */
    Termination killedTermination() {
        return switch (phase) {
            case "idle", "request" -> Termination.of(Termination.Cause.KILLED, Termination.Phase.REQUEST);
            case "queue" -> Termination.of(Termination.Cause.KILLED, Termination.Phase.QUEUE);
            case "connect" -> Termination.of(Termination.Cause.KILLED, Termination.Phase.CONNECT);
            case "response" -> Termination.of(Termination.Cause.KILLED, Termination.Phase.HEADERS);
            default -> Termination.KILLED_DATA;
        };
    }
}
