package io.tidegate.engine;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Starts engines and backends for a test and closes them afterwards. */
abstract class EngineTestSupport {
    private final List<AutoCloseable> resources = new ArrayList<>();

    TestBackend backend(String name) {
        TestBackend b = new TestBackend(name);
        resources.add(b);
        return b;
    }

    Engine start(EnginePlan plan) throws EngineException {
        Engine e = Engine.start(plan, 2);
        resources.add(0, e);    // engines close before backends
        return e;
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources) r.close();
        resources.clear();
    }
}
