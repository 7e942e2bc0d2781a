package io.tidegate.log;

/**
 * Where finished log lines go: WildFly's logging, stdout/stderr, or a syslog server over UDP.
 * Called on IO threads: an implementation must not block for long and must be thread-safe.
 */
public interface LogSink extends AutoCloseable {

    /** Sends one line (without line end), logged at syslog level {@code level} (6 = info). */
    void write(LineBytes line, int level);

    /** Lines dropped because the destination could not take them at once. */
    default long dropped() {
        return 0;
    }

    @Override
    default void close() {
    }
}
