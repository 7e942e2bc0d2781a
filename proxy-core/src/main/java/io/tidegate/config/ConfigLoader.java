package io.tidegate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses and validates configuration files: the one entry point the engine and the tools use.
 * A configuration with any error is refused as a whole ({@link ConfigException} lists every problem,
 * in file order); warnings travel with the {@link LoadedConfig}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static LoadedConfig load(Path file) throws ConfigException {
        return loadFiles(List.of(file), SupportedFeatures.CURRENT);
    }

    /** Several files read as one configuration, in order (HAProxy's repeated {@code -f}). */
    public static LoadedConfig loadFiles(List<Path> files, SupportedFeatures supported) throws ConfigException {
        List<ConfigSource> sources = new ArrayList<>();
        for (Path file : files) {
            try {
                sources.add(new ConfigSource(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new ConfigException(ConfigProblem.error(new SourcePos(file.toString(), 0, 0),
                        "cannot read the configuration file: " + e));
            }
        }
        return loadSources(sources, supported);
    }

    public static LoadedConfig load(String source, String text) throws ConfigException {
        return loadSources(List.of(new ConfigSource(source, text)), SupportedFeatures.CURRENT);
    }

    /**
     * Validates a model built or edited in code (e.g. by the admin app) exactly as a file would be:
     * it is written with {@link ConfigWriter} and loaded again, so problem positions refer to that
     * written text. The returned model equals {@code config} (see {@link SourcePos}) but carries positions.
     */
    public static LoadedConfig validate(Config config, SupportedFeatures supported) throws ConfigException {
        return loadSources(List.of(new ConfigSource(config.source(), ConfigWriter.write(config))), supported);
    }

    public static LoadedConfig loadSources(List<ConfigSource> sources, SupportedFeatures supported) throws ConfigException {
        ParsedConfig parsed = new ConfigParser().parse(sources);
        List<ConfigProblem> problems = new ArrayList<>(new ConfigValidator(supported).validate(parsed));
        List<String> order = sources.stream().map(ConfigSource::name).toList();
        problems.sort(Comparator.<ConfigProblem>comparingInt(p -> order.indexOf(p.pos().source()))
                .thenComparingInt(p -> p.pos().line())
                .thenComparingInt(p -> p.pos().column()));
        if (problems.stream().anyMatch(ConfigProblem::isError)) {
            throw new ConfigException(problems);
        }
        return new LoadedConfig(parsed.config(), problems);
    }
}
