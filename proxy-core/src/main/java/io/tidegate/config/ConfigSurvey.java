package io.tidegate.config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks every configuration file of a directory ({@code ./tidegate check --dir DIR}) and sums up
 * what blocks a migration: how many files are valid, and the statements that fail, ranked by the
 * number of files that use them. A failing statement is named by the keyword of its line (with the
 * word after {@code option}, {@code timeout}, {@code stats}, {@code http-request}, ... e.g.
 * {@code stats uri}, {@code bind ... ssl}).
 */
public final class ConfigSurvey {

    /** Keywords whose second word says what the line does. */
    private static final Set<String> TWO_WORDS = Set.of("option", "no", "timeout", "stats", "http-request",
            "http-response", "tcp-request", "tcp-response", "http-check", "balance", "hash-type", "mode", "stick",
            "http-reuse", "compression", "capture");

    /** One file's outcome: its errors (empty = valid) and the statements that failed. */
    public record FileResult(Path file, List<ConfigProblem> errors, Set<String> blockers) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** The outcome of a directory: files in name order, blockers by number of files, most first. */
    public record Result(List<FileResult> files, Map<String, Integer> blockers) {
        public long validCount() {
            return files.stream().filter(FileResult::valid).count();
        }
    }

    private ConfigSurvey() {
    }

    /** The {@code *.cfg} and {@code *.conf} files of {@code dir} (not its subdirectories), checked one by one. */
    public static Result survey(Path dir, SupportedFeatures supported) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".cfg") || p.toString().endsWith(".conf")).sorted().toList();
        }
        List<FileResult> results = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Path f : files) {
            FileResult r = check(f, supported);
            results.add(r);
            r.blockers().forEach(b -> counts.merge(b, 1, Integer::sum));
        }
        Map<String, Integer> ranked = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> ranked.put(e.getKey(), e.getValue()));
        return new Result(results, ranked);
    }

    static FileResult check(Path file, SupportedFeatures supported) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<ConfigProblem> errors;
        try {
            ConfigLoader.loadSources(List.of(new ConfigSource(file.toString(), text)), supported);
            errors = List.of();
        } catch (ConfigException e) {
            errors = e.problems().stream().filter(ConfigProblem::isError).toList();
        }
        String[] lines = text.split("\n", -1);
        Set<String> blockers = new LinkedHashSet<>();
        for (ConfigProblem p : errors) blockers.add(statement(lines, p));
        return new FileResult(file, errors, blockers);
    }

    /** What failed: the keyword of the problem's line, or the problem itself for whole-file problems. */
    static String statement(String[] lines, ConfigProblem p) {
        int n = p.pos().line();
        if (n < 1 || n > lines.length) return p.message();
        String[] words = lines[n - 1].strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) return p.message();
        String kw = words[0];
        if (p.message().contains("no 'mode' line")) return "no mode line (default mode tcp)";
        if (kw.equals("bind") && lines[n - 1].matches(".*\\sssl(\\s.*)?")) return "bind ... ssl";
        if (kw.equals("server") && p.message().startsWith("'server ")) {
            int end = p.message().indexOf('\'', 1);
            if (end > 0) return p.message().substring(1, end);
        }
        if (TWO_WORDS.contains(kw) && words.length > 1) {
            String second = words[1];
            if (kw.equals("no") && words.length > 2) second = words[1] + " " + words[2];
            int paren = second.indexOf('(');
            return kw + " " + (paren > 0 ? second.substring(0, paren) : second);
        }
        if (kw.equals("acl") || kw.equals("use_backend")) {
            String m = p.message();
            if (m.startsWith("unknown or unsupported fetch '")) return "fetch " + m.split("'")[1];
            if (m.startsWith("unknown or unsupported converter '")) return "converter " + m.split("'")[1];
        }
        return kw;
    }

    /** Prints the summary: one line per invalid file with its first error, then the ranked blockers. */
    public static void print(Result r, PrintStream out) {
        for (FileResult f : r.files()) {
            if (f.valid()) {
                out.println("valid    " + f.file().getFileName());
            } else {
                out.println("INVALID  " + f.file().getFileName() + "  (" + f.errors().size() + " errors; blocked by "
                        + String.join(", ", f.blockers()) + ")");
            }
        }
        out.println();
        out.println(r.validCount() + " of " + r.files().size() + " files are valid");
        if (!r.blockers().isEmpty()) {
            out.println("Statements that block the others, by number of files:");
            r.blockers().forEach((k, v) -> out.printf("  %4d  %s%n", v, k));
        }
    }
}
