package io.tidegate.config;

import java.util.Objects;

/**
 * One listening address. Equality ignores {@link #pos()} (see {@link SourcePos}).
 *
 * @param host {@code ""} = every address ({@code bind :80}, {@code *:80}, {@code 0.0.0.0:80} is kept
 *             as {@code 0.0.0.0}); IPv6 without brackets
 */
public record Bind(String host, int port, SourcePos pos) {

    public Bind {
        Objects.requireNonNull(host, "host");
        pos = SourcePos.orUnknown(pos);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Listens on every local address. */
    public boolean isAnyAddress() {
        return host.isEmpty();
    }

    /** {@code host:port} as HAProxy writes it ({@code :80}, {@code 127.0.0.1:80}, {@code [::1]:80}). */
    public String address() {
        return Addresses.format(host, port);
    }
}
