package io.tidegate.control.health;

import io.tidegate.health.ServerKey;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a health-check timer carries: whose check it fires and at which interval it was created.
 *
 * @param generation the engine the timer was created for (timers of a replaced engine do nothing)
 * @param backend    the server's backend or listen section
 * @param server     the server's name
 * @param intervalMs the timer's interval in milliseconds
 */
public record CheckTimerInfo(long generation, String backend, String server, long intervalMs) implements Serializable {

    private static final long serialVersionUID = 1L;

    public static CheckTimerInfo of(long generation, ServerKey server, Duration interval) {
        return new CheckTimerInfo(generation, server.backend(), server.server(), Math.max(1, interval.toMillis()));
    }

    public ServerKey serverKey() {
        return new ServerKey(backend, server);
    }

    public CheckTimerInfo withInterval(Duration interval) {
        return new CheckTimerInfo(generation, backend, server, Math.max(1, interval.toMillis()));
    }

    /** True when a timer made for {@code interval} would fire at another pace than this one. */
    public boolean differsFrom(Duration interval) {
        return Math.max(1, interval.toMillis()) != intervalMs;
    }
}
