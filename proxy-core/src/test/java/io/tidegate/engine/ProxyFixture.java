package io.tidegate.engine;

import io.tidegate.config.ConnectionMode;
import io.tidegate.config.Timeouts;
import io.tidegate.config.TimeoutsBuilder;

import java.time.Duration;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Builds plans for tests: one frontend bound to 127.0.0.1:0 in front of one backend. */
final class ProxyFixture {
    private ProxyFixture() {
    }

    /** The timeouts of test plans: connect 5 s, client and server 50 s, the others not set. */
    static final Timeouts TIMEOUTS = TimeoutsBuilder.builder()
            .connect(Duration.ofSeconds(5))
            .client(Duration.ofSeconds(50))
            .server(Duration.ofSeconds(50))
            .build();

    static EnginePlan.Server server(String name, InetSocketAddress address, int weight) {
        return EnginePlanServerBuilder.builder()
                .name(name)
                .address(address)
                .weight(weight)
                .build();
    }

    static EnginePlan.Backend backendPlan(List<EnginePlan.Server> servers) {
        return EnginePlanBackendBuilder.builder()
                .name("be")
                .balance("roundrobin")
                .servers(servers)
                .retries(3)
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build();
    }

    static EnginePlan.Backend backendOf(TestBackend... backends) {
        List<EnginePlan.Server> servers = new ArrayList<>();
        for (TestBackend b : backends) servers.add(server(b.name(), b.address(), 1));
        return backendPlan(servers);
    }

    static EnginePlan.Frontend frontend() {
        return EnginePlanFrontendBuilder.builder()
                .name("fe")
                .binds(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .mode("http")
                .backend("be")
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .accessLog(true)
                .build();
    }

    static EnginePlan plan(EnginePlan.Frontend frontend, EnginePlan.Backend backend) {
        return EnginePlanBuilder.builder()
                .frontends(List.of(frontend))
                .backends(List.of(backend))
                .build();
    }

    static int port(Engine engine) {
        return engine.boundAddresses().get("fe").get(0).getPort();
    }
}
