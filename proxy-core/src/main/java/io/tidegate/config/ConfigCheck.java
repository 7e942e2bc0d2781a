package io.tidegate.config;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line check of configuration files, like {@code haproxy -c}:
 * {@code java -cp proxy-core.jar io.tidegate.config.ConfigCheck -f FILE [-f FILE2 ...]}.
 * Several files are read as one configuration, in order. Prints {@code Configuration file is valid}
 * on standard output and exits 0, or prints every problem as {@code file:line:column: error: ...}
 * on standard error and exits 1; warnings are printed in both cases (standard error). Exits 2 on a
 * usage error or an unreadable file. Needs nothing but the JDK and this package at run time.
 */
public final class ConfigCheck {

    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;

    private static final String USAGE_TEXT =
            "usage: java -cp proxy-core.jar io.tidegate.config.ConfigCheck [-c] -f FILE [-f FILE ...]\n"
                    + "       java -cp proxy-core.jar io.tidegate.config.ConfigCheck --dir DIR   (summary of every "
                    + "*.cfg/*.conf file of DIR)";

    private ConfigCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the check; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-d", "--dir" -> {
                    if (i + 1 >= args.length || !Files.isDirectory(Path.of(args[i + 1]))) {
                        err.println(args[i] + " needs a directory");
                        err.println(USAGE_TEXT);
                        return USAGE;
                    }
                    try {
                        ConfigSurvey.Result r = ConfigSurvey.survey(Path.of(args[i + 1]), SupportedFeatures.CURRENT);
                        ConfigSurvey.print(r, out);
                        return r.validCount() == r.files().size() ? VALID : INVALID;
                    } catch (java.io.IOException e) {
                        err.println(args[i + 1] + ": " + e.getMessage());
                        return USAGE;
                    }
                }
                case "-f" -> {
                    if (i + 1 >= args.length) {
                        err.println("-f needs a file name");
                        err.println(USAGE_TEXT);
                        return USAGE;
                    }
                    files.add(Path.of(args[++i]));
                }
                case "-c" -> {
                    // haproxy's "check only" flag: checking is all this tool does
                }
                case "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    return VALID;
                }
                default -> {
                    err.println("unknown argument '" + args[i] + "'");
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        if (files.isEmpty()) {
            err.println("no configuration file given");
            err.println(USAGE_TEXT);
            return USAGE;
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                err.println(f + ": cannot read the configuration file");
                return USAGE;
            }
        }
        try {
            LoadedConfig loaded = ConfigLoader.loadFiles(files, SupportedFeatures.CURRENT);
            loaded.warnings().forEach(err::println);
            out.println("Configuration file is valid");
            return VALID;
        } catch (ConfigException e) {
            boolean unreadable = e.problems().stream().anyMatch(p -> p.pos().line() == 0);
            e.problems().forEach(err::println);
            return unreadable ? USAGE : INVALID;
        }
    }
}
