package io.tidegate.control.traffic;

import java.time.Instant;

import io.tidegate.control.ServerManagement;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

/** Samples the servers' request counters into {@link TrafficHistory} every two seconds (non-persistent EJB timer). */
@Singleton
public class TrafficSampler {

    @Inject
    private ServerManagement management;

    @Inject
    private TrafficHistory history;

    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false, info = "tidegate traffic sampler")
    void sample() {
        management.status().ifPresent(s -> history.sample(s, Instant.now()));
    }
}
