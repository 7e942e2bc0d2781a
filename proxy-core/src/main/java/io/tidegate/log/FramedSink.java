package io.tidegate.log;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sink that frames each line as HAProxy does ({@link SyslogFraming}: raw, short, rfc3164, rfc5424,
 * cut to {@code len}), keeps it only between the target's levels and hands the bytes to
 * {@link #deliver}; a line the destination cannot take is counted in {@link #dropped()}.
 */
abstract class FramedSink implements LogSink {
    private final SyslogFraming.Format format;
    private final int facility;
    private final String maxLevel;
    private final String minLevel;
    private final int maxLength;
    private final LongAdder dropped = new LongAdder();

    FramedSink(SyslogFraming.Format format, int facility, String maxLevel, String minLevel, int maxLength) {
        this.format = format;
        this.facility = facility;
        this.maxLevel = maxLevel;
        this.minLevel = minLevel;
        this.maxLength = maxLength;
    }

    @Override
    public final void write(LineBytes line, int level) {
        if (!SyslogFraming.passes(level, maxLevel, minLevel)) return;
        if (!deliver(line.frame(format, facility, level, maxLength))) dropped.increment();
    }

    /** Sends the framed line; false when it was lost. Called on IO threads: must not block for long. */
    abstract boolean deliver(ByteBuffer framed);

    @Override
    public final long dropped() {
        return dropped.sum();
    }
}
