package io.tidegate.stats;

import io.tidegate.health.HealthState;
import java.util.Optional;

/** The health-check state of a server, empty when it is not checked (HAProxy's {@code no check}). */
@FunctionalInterface
public interface HealthLookup {
    /** No server is checked. */
    HealthLookup NONE = (backend, server) -> Optional.empty();

    Optional<HealthState> health(String backend, String server);
}
