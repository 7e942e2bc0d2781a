package io.tidegate.log;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framings of {@code log stdout|stderr format F} and the {@code len} cut, written to a file. */
class StreamSinkTest {

    private static String written(Path file, SyslogFraming.Format format, int facility, int len, String text)
            throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            LineBytes line = LineBytes.get();
            line.put(text);
            StreamSink.to(ch, format, facility, len).write(line, 6);
        }
        return Files.readString(file);
    }

    @Test
    void rawIsTheLineAlone(@TempDir Path dir) throws Exception {
        assertEquals("127.0.0.1:1 [x] fe be/s 200\n", written(dir.resolve("a"), SyslogFraming.Format.RAW, 16, 1024,
                "127.0.0.1:1 [x] fe be/s 200"));
    }

    @Test
    void shortCarriesTheLevelOnly(@TempDir Path dir) throws Exception {
        assertEquals("<6>hello\n", written(dir.resolve("a"), SyslogFraming.Format.SHORT, 16, 1024, "hello"));
    }

    @Test
    void rfc3164HasPriDateTagAndPid(@TempDir Path dir) throws Exception {
        String s = written(dir.resolve("a"), SyslogFraming.Format.RFC3164, 17, 1024, "hello");
        assertTrue(s.matches("<142>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d tidegate\\[\\d+\\]: hello\n"), s);
    }

    @Test
    void lenCutsTheLineAndKeepsTheLineEnd(@TempDir Path dir) throws Exception {
        String s = written(dir.resolve("a"), SyslogFraming.Format.RAW, 16, 80, "x".repeat(200));
        assertEquals("x".repeat(79) + "\n", s);
    }

    @Test
    void levelsFilter() {
        assertTrue(SyslogFraming.passes(6, null, null));
        assertTrue(SyslogFraming.passes(6, "info", null));
        assertFalse(SyslogFraming.passes(6, "notice", null), "info is less severe than notice");
        assertFalse(SyslogFraming.passes(6, "debug", "err"), "below the minimum level");
    }
}
