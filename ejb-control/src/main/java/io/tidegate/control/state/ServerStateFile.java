package io.tidegate.control.state;

import io.tidegate.engine.AdminState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The runtime state file beside the configuration (HAProxy's server-state-file, implicit): one
 * line per server whose weight or admin state an operator changed,
 * {@code backend<TAB>server<TAB>address<TAB>weight|-<TAB>STATE}. Written atomically (temporary
 * file + rename). A damaged file is reported through {@link Loaded#problems()} and the lines that
 * cannot be read are skipped; reading never fails the caller.
 */
public final class ServerStateFile {

    static final String HEADER = "# tidegate server state v1: backend, server, address, weight (- = configured), admin state";

    private final Path path;

    public ServerStateFile(Path path) {
        this.path = path;
    }

    /** The state file that belongs to a configuration file: {@code NAME.state} beside it. */
    public static ServerStateFile besideConfig(Path configFile) {
        String name = configFile.getFileName().toString();
        return new ServerStateFile(configFile.resolveSibling(name + ".state"));
    }

    public Path path() {
        return path;
    }

    /** What the file holds, with a description of every line that could not be read. */
    public record Loaded(List<SavedServerState> states, List<String> problems) {
    }

    public Loaded load() {
        List<SavedServerState> states = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.exists(path)) {
            return new Loaded(states, problems);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(path + ": cannot read the state file, runtime state starts empty: " + e.getMessage());
            return new Loaded(states, problems);
        }
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                states.add(parse(line));
            } catch (RuntimeException e) {
                problems.add(path + ":" + number + ": ignored damaged line (" + e.getMessage() + "): " + line);
            }
        }
        return new Loaded(states, problems);
    }

    private static SavedServerState parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected 5 tab-separated fields, found " + fields.length);
        }
        Integer weight = "-".equals(fields[3]) ? null : Integer.valueOf(fields[3]);
        return new SavedServerState(fields[0], fields[1], fields[2], weight, AdminState.valueOf(fields[4]));
    }

    /** Replaces the file's content with {@code states} (those equal to the configuration are left out). */
    public void save(Collection<SavedServerState> states) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (SavedServerState s : states) {
            if (s.isDefault()) {
                continue;
            }
            text.append(s.backend()).append('\t').append(s.server()).append('\t').append(s.address()).append('\t')
                    .append(s.weight() == null ? "-" : s.weight().toString()).append('\t')
                    .append(s.adminState().name()).append('\n');
        }
        io.tidegate.control.AtomicFile.write(path, text.toString());
    }
}
