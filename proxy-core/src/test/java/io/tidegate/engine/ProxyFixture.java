package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Builds plans for tests: one frontend bound to 127.0.0.1:0 in front of one backend. */
final class ProxyFixture {
    private ProxyFixture() {
    }

    static EnginePlan.Server server(String name, InetSocketAddress address, int weight) {
        return new EnginePlan.Server(name, address, weight, false, null);
    }

    static EnginePlan.Backend backendPlan(List<EnginePlan.Server> servers) {
        return new EnginePlan.Backend("be", "roundrobin", servers, null, 3, false, ConnectionMode.KEEP_ALIVE, null,
                EnginePlan.Timeouts.DEFAULT);
    }

    static EnginePlan.Backend backendOf(TestBackend... backends) {
        List<EnginePlan.Server> servers = new ArrayList<>();
        for (TestBackend b : backends) servers.add(server(b.name(), b.address(), 1));
        return backendPlan(servers);
    }

    static EnginePlan.Frontend frontend() {
        return new EnginePlan.Frontend("fe", List.of(new InetSocketAddress("127.0.0.1", 0)), "http", "be",
                ConnectionMode.KEEP_ALIVE, null, EnginePlan.Timeouts.DEFAULT, true);
    }

    static EnginePlan plan(EnginePlan.Frontend frontend, EnginePlan.Backend backend) {
        return new EnginePlan(List.of(frontend), List.of(backend));
    }

    static int port(Engine engine) {
        return engine.boundAddresses().get("fe").get(0).getPort();
    }
}
