package io.tidegate.control.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The append-only audit log beside the configuration ({@code CONFIG.audit}): one line per change
 * or refusal, tab-separated fields (time, who, action, target, before, after, outcome, detail) with
 * backslash escapes for tab, newline, carriage return and backslash. Each entry is appended and
 * forced to disk before the call returns, so it survives a crash or restart; nothing ever rewrites
 * the file.
 */
public final class AuditLog {

    private final Path path;
    private final Object lock = new Object();

    public AuditLog(Path path) {
        this.path = path;
    }

    /** {@code CONFIG.audit} beside the configuration file. */
    public static AuditLog besideConfig(Path configFile) {
        return new AuditLog(configFile.resolveSibling(configFile.getFileName() + ".audit"));
    }

    public Path path() {
        return path;
    }

    public void append(AuditEntry e) {
        String line = String.join("\t", e.at().toString(), escape(e.who()), escape(e.action()), escape(e.target()),
                escape(e.before()), escape(e.after()), e.outcome().name(), escape(e.detail())) + "\n";
        synchronized (lock) {
            try {
                Path dir = path.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
                    ch.force(false);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to the audit log " + path, ex);
            }
        }
    }

    /** Every entry, newest first; a damaged line is skipped. */
    public List<AuditEntry> entries() {
        List<String> lines;
        synchronized (lock) {
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit log " + path, e);
            }
        }
        List<AuditEntry> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length != 8) {
                continue;
            }
            try {
                out.add(new AuditEntry(Instant.parse(f[0]), unescape(f[1]), unescape(f[2]), unescape(f[3]),
                        unescape(f[4]), unescape(f[5]), AuditEntry.Outcome.valueOf(f[6]), unescape(f[7])));
            } catch (DateTimeParseException | IllegalArgumentException ignored) {
                // a damaged line: the others still count
            }
        }
        Collections.reverse(out);
        return out;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
