package io.tidegate.health;

import java.util.Objects;

/** Names one server of one backend (or listen section), written {@code backend/server} as HAProxy does. */
public record ServerKey(String backend, String server) {

    public ServerKey {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(server, "server");
    }

    @Override
    public String toString() {
        return backend + "/" + server;
    }
}
