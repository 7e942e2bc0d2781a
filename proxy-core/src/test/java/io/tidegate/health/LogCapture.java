package io.tidegate.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what is logged in a category (JBoss Logging falls back to java.util.logging in unit tests). */
final class LogCapture extends Handler implements AutoCloseable {

    /** One captured line. */
    record Line(Level level, String message) {
    }

    private final Logger logger;
    private final Level previousLevel;
    final List<Line> lines = new CopyOnWriteArrayList<>();

    LogCapture(String category) {
        logger = Logger.getLogger(category);
        previousLevel = logger.getLevel();
        // the test logging configuration may set the root to WARNING: capture every level here
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(new Line(r.getLevel(), r.getMessage()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
