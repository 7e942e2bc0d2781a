package io.tidegate.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * {@code log stdout|stderr ...}: the process's real standard output or error (file descriptor 1 or
 * 2, not WildFly's redirected {@code System.out}), as a container's log collector reads it. Each
 * line is written whole under a lock, so lines of different IO threads never interleave. A write
 * blocks while the reader of the pipe lags; HAProxy drops the line instead. Use a UDP target where
 * that matters.
 */
public final class StreamSink extends FramedSink {
    private static final FileChannel STDOUT = new FileOutputStream(FileDescriptor.out).getChannel();
    private static final FileChannel STDERR = new FileOutputStream(FileDescriptor.err).getChannel();

    private final FileChannel out;
    private final String name;

    private StreamSink(FileChannel out, String name, SyslogFraming.Format format, int facility, String maxLevel,
                       String minLevel, int maxLength) {
        super(format, facility, maxLevel, minLevel, maxLength);
        this.out = out;
        this.name = name;
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
    boolean deliver(ByteBuffer b) {
        synchronized (out) {
            try {
                while (b.hasRemaining()) out.write(b);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
