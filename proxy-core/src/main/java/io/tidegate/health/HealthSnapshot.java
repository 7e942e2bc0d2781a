package io.tidegate.health;

import java.util.Map;
import java.util.Optional;

/**
 * The checks and health of an engine's servers when it stopped, handed to the next engine so a reload
 * keeps the health of every server whose check did not change.
 */
public record HealthSnapshot(Map<ServerKey, Entry> servers) {

    /** Nothing to keep (first start). */
    public static final HealthSnapshot EMPTY = new HealthSnapshot(Map.of());

    /** One server's check and the health it had reached. */
    public record Entry(ServerCheck check, HealthState state) {
    }

    public HealthSnapshot {
        servers = Map.copyOf(servers);
    }

    /** The health to start {@code check} with: the one kept when the check is the same, else none. */
    public Optional<HealthState> keptFor(ServerCheck check) {
        Entry e = servers.get(check.server());
        return e != null && e.check().sameSettings(check) ? Optional.of(e.state()) : Optional.empty();
    }
}
