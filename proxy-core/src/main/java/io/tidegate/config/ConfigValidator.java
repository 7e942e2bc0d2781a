package io.tidegate.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a parsed configuration against what the engine implements ({@link SupportedFeatures}):
 * every feature used but not supported is an error "not supported yet" at the line that uses it;
 * {@code daemon}, {@code quiet}, {@code pidfile} get a warning that they have no effect inside
 * WildFly. A proxy left in HAProxy's default {@code mode tcp} (no {@code mode} line, neither in
 * it nor in its defaults section) counts as using {@code mode tcp}.
 */
public final class ConfigValidator {

    private final SupportedFeatures supported;

    public ConfigValidator(SupportedFeatures supported) {
        this.supported = supported;
    }

    /** The problems of {@code parsed} plus the feature checks. */
    public List<ConfigProblem> validate(ParsedConfig parsed) {
        List<ConfigProblem> problems = new ArrayList<>(parsed.problems());
        for (FeatureUse use : parsed.features()) {
            if (supported.hasNoEffect(use.feature())) {
                problems.add(ConfigProblem.warning(use.pos(), use.describe()
                        + " is accepted but has no effect: Tidegate runs inside WildFly"));
            } else if (!supported.isSupported(use.feature())) {
                problems.add(ConfigProblem.error(use.pos(), use.describe() + " is not supported yet"));
            }
        }
        Config config = parsed.config();
        if (!supported.isSupported("mode tcp")) {
            for (ProxySection p : config.proxies()) {
                boolean written = p.settings().mode() != null
                        || config.defaultsOf(p).map(d -> d.settings().mode() != null).orElse(false);
                if (!written) {
                    problems.add(ConfigProblem.error(p.pos(), p.kind().keyword() + " '" + p.name()
                            + "' has no 'mode' line, so it runs in HAProxy's default mode tcp, which is not "
                            + "supported yet; write 'mode http'"));
                }
            }
        }
        return problems;
    }
}
