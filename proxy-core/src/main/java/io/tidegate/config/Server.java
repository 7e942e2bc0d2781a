package io.tidegate.config;

import java.util.Objects;

/**
 * {@code server NAME ADDRESS[:PORT] [options]}. Equality ignores {@link #pos()} (see {@link SourcePos}).
 *
 * @param host    host name or IP address (IPv6 without brackets)
 * @param port    the traffic port; 0 = not written (HAProxy then uses the port the client connected to)
 * @param options the options as written on this line (not merged with {@code default-server};
 *                see {@link Config#effectiveServer(ProxySection, Server)})
 */
public record Server(String name, String host, int port, ServerOptions options, SourcePos pos) {

    public Server {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        options = options == null ? ServerOptions.NONE : options;
        pos = SourcePos.orUnknown(pos);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** True when the line gave a port. */
    public boolean hasPort() {
        return port != 0;
    }

    public Server withOptions(ServerOptions v) {
        return new Server(name, host, port, v, pos);
    }

    public Server withAddress(String h, int p) {
        return new Server(name, h, p, options, pos);
    }
}
