package io.tidegate.control.jmx;

import java.util.List;
import java.util.stream.Collectors;

import io.tidegate.config.ConfigProblem;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.TidegateRuntime;

/** The {@link TidegateMXBean} implementation: reads from {@link TidegateRuntime}, reload through {@link ServerManagement} (audited). */
final class TidegateControl implements TidegateMXBean {

    private final TidegateRuntime runtime;
    private final ServerManagement management;

    TidegateControl(TidegateRuntime runtime, ServerManagement management) {
        this.runtime = runtime;
        this.management = management;
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
        return management.reload(JmxCaller.current()).orElse("reloaded");
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
