package io.tidegate.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the access-log lines (category io.tidegate.access, or another; JBoss Logging over JUL in tests) while open. */
final class AccessLogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger jul;
    private final Level previous;

    AccessLogCapture() {
        this("io.tidegate.access");
    }

    AccessLogCapture(String category) {
        jul = Logger.getLogger(category);
        previous = jul.getLevel();
        jul.setLevel(Level.INFO);
        jul.addHandler(this);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord r) {
        String msg = r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0) msg = String.format(msg, r.getParameters());
        lines.add(msg);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        jul.removeHandler(this);
        jul.setLevel(previous);
    }
}
