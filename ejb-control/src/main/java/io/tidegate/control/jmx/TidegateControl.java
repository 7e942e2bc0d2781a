package io.tidegate.control.jmx;

import java.util.List;
import java.util.stream.Collectors;

import io.tidegate.config.ConfigProblem;
import io.tidegate.control.TidegateRuntime;

/** The {@link TidegateMXBean} implementation; every call goes to {@link TidegateRuntime}. */
final class TidegateControl implements TidegateMXBean {

    private final TidegateRuntime runtime;

    TidegateControl(TidegateRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String getConfigPath() {
        return runtime.configPath().toString();
    }

    @Override
    public String getVersion() {
        return runtime.version();
    }

    @Override
    public long getUptimeSeconds() {
        return runtime.uptime().toSeconds();
    }

    @Override
    public String getProblem() {
        return runtime.problem().orElse("");
    }

    @Override
    public String reload() {
        return runtime.reload().orElse("reloaded");
    }

    @Override
    public String checkConfig(String text) {
        List<ConfigProblem> problems = runtime.check(text);
        boolean errors = problems.stream().anyMatch(ConfigProblem::isError);
        String listed = problems.stream().map(Object::toString).collect(Collectors.joining("\n"));
        if (!errors) {
            return listed.isEmpty() ? "Configuration file is valid" : "Configuration file is valid\n" + listed;
        }
        return listed;
    }
}
