package io.tidegate.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one check may take, following HAProxy: without {@code timeout check} the whole check
 * (connect and answer) must finish within {@code inter}; with it, the connection must be established
 * within {@code min(timeout connect, inter)} and the answer must then arrive within {@code timeout check}.
 *
 * @param connect the time allowed to establish the connection, and for the whole check when
 *                {@code read} is null
 * @param read    the time allowed for the answer once connected; {@code null} = {@code connect} bounds
 *                the whole check
 */
public record CheckTimeouts(Duration connect, Duration read) {

    public CheckTimeouts {
        Objects.requireNonNull(connect, "connect");
        if (connect.isNegative() || connect.isZero() || (read != null && (read.isNegative() || read.isZero()))) {
            throw new IllegalArgumentException("check timeouts must be positive");
        }
    }

    /** The whole check bounded by {@code total}. */
    public static CheckTimeouts total(Duration total) {
        return new CheckTimeouts(total, null);
    }

    /**
     * HAProxy's rule.
     *
     * @param inter          the server's {@code inter}
     * @param timeoutConnect the proxy's {@code timeout connect}, {@code null} if unset
     * @param timeoutCheck   the proxy's {@code timeout check}, {@code null} if unset
     */
    public static CheckTimeouts of(Duration inter, Duration timeoutConnect, Duration timeoutCheck) {
        Objects.requireNonNull(inter, "inter");
        if (timeoutCheck == null) {
            return total(inter);
        }
        Duration connect = timeoutConnect != null && timeoutConnect.compareTo(inter) < 0 ? timeoutConnect : inter;
        return new CheckTimeouts(connect, timeoutCheck);
    }
}
