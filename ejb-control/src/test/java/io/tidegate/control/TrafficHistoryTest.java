package io.tidegate.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tidegate.control.traffic.TrafficHistory;
import io.tidegate.engine.AdminState;
import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.ResponseCounts;
import io.tidegate.engine.status.ServerStatus;
import io.tidegate.engine.status.ServerStatusBuilder;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {

    private static EngineStatus withTotal(long total) {
        ServerStatus s = ServerStatusBuilder.builder()
                .name("a").address("127.0.0.1:1").weight(1).cookie("A").totalRequests(total).up(true)
                .adminState(AdminState.DRAIN).healthChecksEnabled(true).lastCheck("").lastCheckMillis(-1)
                .responses(ResponseCounts.of(new long[6]))
                .build();
        return new EngineStatus(List.of(), List.of(new BackendStatus("farm", "roundrobin", null, List.of(s))));
    }

    @Test
    void countsRequestsInsideTheWindowAndStartsAgainAfterAReload() {
        TrafficHistory h = new TrafficHistory();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        h.sample(withTotal(100), t0);
        h.sample(withTotal(130), t0.plusSeconds(10));
        h.sample(withTotal(150), t0.plusSeconds(20));
        assertEquals(50, h.requestsDuring("farm", "a", Duration.ofSeconds(60), t0.plusSeconds(20)));
        assertEquals(20, h.requestsDuring("farm", "a", Duration.ofSeconds(10), t0.plusSeconds(20)));
        assertEquals(2.0, h.rate("farm", "a", Duration.ofSeconds(10), t0.plusSeconds(20)));
        assertEquals(0, h.requestsDuring("farm", "zz", Duration.ofSeconds(60), t0.plusSeconds(20)));

        h.sample(withTotal(7), t0.plusSeconds(22));   // a new engine
        assertEquals(7, h.requestsDuring("farm", "a", Duration.ofSeconds(60), t0.plusSeconds(22)));
        h.sample(withTotal(7), t0.plusSeconds(200));
        assertEquals(0, h.requestsDuring("farm", "a", Duration.ofSeconds(60), t0.plusSeconds(200)), "old samples age out");
    }
}
