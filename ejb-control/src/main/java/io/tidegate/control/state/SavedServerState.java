package io.tidegate.control.state;

import io.tidegate.engine.AdminState;
import java.util.Objects;

/**
 * What an operator changed at run time on one server, as kept across reload and restart.
 *
 * @param backend    backend name
 * @param server     server name
 * @param address    the server's configured address ({@code host:port}) when the state was saved;
 *                   a configuration that moves the server resets its state
 * @param weight     weight override (0..256), or {@code null} for the configured weight
 * @param adminState the administrative state
 */
public record SavedServerState(String backend, String server, String address, Integer weight, AdminState adminState) {

    public SavedServerState {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(adminState, "adminState");
        if (weight != null && (weight < 0 || weight > 256)) {
            throw new IllegalArgumentException("weight " + weight + " outside 0..256");
        }
    }

    /** True when nothing differs from the configuration (no need to keep it). */
    public boolean isDefault() {
        return weight == null && adminState == AdminState.READY;
    }
}
