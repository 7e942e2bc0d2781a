package io.tidegate.config;

/**
 * An address as written in a configuration: host ({@code ""} = any, IPv6 without brackets) and port
 * (0 = none written).
 */
public record HostPort(String host, int port) {

    /** HAProxy's spelling: {@code :80}, {@code 10.0.0.1:80}, {@code [::1]:80}, {@code 10.0.0.1} without port. */
    @Override
    public String toString() {
        return Addresses.format(host, port);
    }
}
