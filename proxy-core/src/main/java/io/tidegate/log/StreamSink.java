package io.tidegate.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code log stdout|stderr ...}: the process's real standard output or error (file descriptor 1 or
 * 2, not WildFly's redirected {@code System.out}), as a container's log collector reads it. Each
 * line is written whole under a lock, so lines of different IO threads never interleave. A write
 * blocks while the reader of the pipe lags; HAProxy drops the line instead. Use a UDP target where
 * that matters.
 */
public final class StreamSink implements LogSink {
    private static final FileChannel STDOUT = new FileOutputStream(FileDescriptor.out).getChannel();
    private static final FileChannel STDERR = new FileOutputStream(FileDescriptor.err).getChannel();

    private final FileChannel out;
    private final String name;
    private final SyslogFraming.Format format;
    private final int facility;
    private final String maxLevel;
    private final String minLevel;
    private final int maxLength;
    private final LongAdder dropped = new LongAdder();

    private StreamSink(FileChannel out, String name, SyslogFraming.Format format, int facility, String maxLevel,
                       String minLevel, int maxLength) {
        this.out = out;
        this.name = name;
        this.format = format;
        this.facility = facility;
        this.maxLevel = maxLevel;
        this.minLevel = minLevel;
        this.maxLength = maxLength;
    }

    public static StreamSink stdout(SyslogFraming.Format format, int facility, String maxLevel, String minLevel,
                                    int maxLength) {
        return new StreamSink(STDOUT, "stdout", format, facility, maxLevel, minLevel, maxLength);
    }

    public static StreamSink stderr(SyslogFraming.Format format, int facility, String maxLevel, String minLevel,
                                    int maxLength) {
        return new StreamSink(STDERR, "stderr", format, facility, maxLevel, minLevel, maxLength);
    }

    /** A sink writing to {@code channel} (tests). */
    public static StreamSink to(FileChannel channel, SyslogFraming.Format format, int facility, int maxLength) {
        return new StreamSink(channel, channel.toString(), format, facility, null, null, maxLength);
    }

    @Override
    public void write(LogLine line, int level) {
        if (!SyslogFraming.passes(level, maxLevel, minLevel)) return;
        ByteBuffer b = SyslogFraming.frame(line, format, facility, level, maxLength);
        synchronized (out) {
            try {
                while (b.hasRemaining()) out.write(b);
            } catch (IOException e) {
                dropped.increment();
            }
        }
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public String toString() {
        return name;
    }
}
