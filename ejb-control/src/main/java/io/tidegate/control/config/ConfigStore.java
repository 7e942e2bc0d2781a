package io.tidegate.control.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration file and its kept versions ({@code CONFIG.versions/} beside it). A write names
 * the version stamp it was based on and is refused when the file changed meanwhile; it keeps the
 * text it replaces (unless already kept as the newest version), writes the new text atomically
 * (temporary file in the same directory + rename) and keeps the new text as a version too, so any
 * saved version can be compared with the current one and restored.
 */
public final class ConfigStore {

    private static final Pattern VERSION_FILE = Pattern.compile("(\\d{6})-([0-9a-f]{16})\\.cfg");

    private final Path file;
    private final Path versionsDir;
    private final Object lock = new Object();

    public ConfigStore(Path file) {
        this.file = file;
        this.versionsDir = file.resolveSibling(file.getFileName() + ".versions");
    }

    public Path file() {
        return file;
    }

    public Path versionsDir() {
        return versionsDir;
    }

    /** The file's text and stamp now. */
    public ConfigVersion current() {
        synchronized (lock) {
            String text = read(file);
            return new ConfigVersion(text, stamp(text));
        }
    }

    /** The version stamp of a text: the first 16 hex digits of its SHA-256. */
    public static String stamp(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces the file's text if it still has {@code expectedStamp}.
     *
     * @return the version the replaced text was kept as
     * @throws StaleConfiguration when the file's stamp differs
     */
    public SavedVersion write(String text, String expectedStamp) {
        synchronized (lock) {
            String old = read(file);
            String actual = stamp(old);
            if (!actual.equals(expectedStamp)) {
                throw new StaleConfiguration(expectedStamp, actual);
            }
            SavedVersion previous = keep(old);
            try {
                io.tidegate.control.AtomicFile.write(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            keep(text);
            return previous;
        }
    }

    /** The kept versions, newest first. */
    public List<SavedVersion> versions() {
        synchronized (lock) {
            List<SavedVersion> out = new ArrayList<>();
            if (!Files.isDirectory(versionsDir)) {
                return out;
            }
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(versionsDir, "*.cfg")) {
                for (Path p : dir) {
                    Matcher m = VERSION_FILE.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        out.add(new SavedVersion(p.getFileName().toString(), Integer.parseInt(m.group(1)), m.group(2),
                                Files.getLastModifiedTime(p).toInstant()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + versionsDir, e);
            }
            out.sort(Comparator.comparingInt(SavedVersion::number).reversed());
            return out;
        }
    }

    public Optional<SavedVersion> version(String id) {
        return versions().stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /** The text of a kept version. */
    public String text(SavedVersion version) {
        return read(versionsDir.resolve(version.id()));
    }

    /** Keeps {@code text} as the newest version unless it already is; returns that version. */
    private SavedVersion keep(String text) {
        String stamp = stamp(text);
        List<SavedVersion> all = versions();
        if (!all.isEmpty() && all.get(0).stamp().equals(stamp)) {
            return all.get(0);
        }
        int number = all.isEmpty() ? 1 : all.get(0).number() + 1;
        String id = "%06d-%s.cfg".formatted(number, stamp);
        try {
            Files.createDirectories(versionsDir);
            Path target = versionsDir.resolve(id);
            Path tmp = versionsDir.resolve(id + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return new SavedVersion(id, number, stamp, Files.getLastModifiedTime(target).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a version in " + versionsDir, e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
