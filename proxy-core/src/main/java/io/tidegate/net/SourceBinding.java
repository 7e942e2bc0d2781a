package io.tidegate.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local address outgoing connections to one server are bound to before they connect
 * ({@code source ADDR[:PORT[-PORT]]}). With a port range, each connection takes the next port of
 * the range (round robin over all connections to the server) and skips ports in use, so up to
 * (high - low + 1) connections can be open at once, as with HAProxy. Thread-safe.
 */
public final class SourceBinding {
    private final InetAddress address;
    private final int lowPort;
    private final int highPort;
    private final AtomicInteger next = new AtomicInteger();

    /** @param lowPort 0 = any port (the system picks); highPort = lowPort for a single port */
    public SourceBinding(InetAddress address, int lowPort, int highPort) {
        if (lowPort < 0 || highPort < lowPort || highPort > 65535) {
            throw new IllegalArgumentException("bad port range " + lowPort + "-" + highPort);
        }
        this.address = address;
        this.lowPort = lowPort;
        this.highPort = highPort;
    }

    public InetAddress address() {
        return address;
    }

    /** The next local address to try (port 0 when no port was given). */
    public InetSocketAddress nextAddress() {
        if (lowPort == 0) return new InetSocketAddress(address, 0);
        int span = highPort - lowPort + 1;
        return new InetSocketAddress(address, lowPort + Math.floorMod(next.getAndIncrement(), span));
    }

    /**
     * Binds {@code ch} (not yet connected). Tries each port of the range once; throws the last
     * {@link BindException} when none is free or the address is not local.
     */
    void bind(SocketChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        int tries = lowPort == 0 ? 1 : highPort - lowPort + 1;
        BindException last = null;
        for (int i = 0; i < tries; i++) {
            InetSocketAddress local = nextAddress();
            try {
                ch.bind(local);
                return;
            } catch (BindException e) {
                last = new BindException("cannot bind source " + format(local) + ": " + e.getMessage());
            }
        }
        throw last;
    }

    private static String format(InetSocketAddress a) {
        return AddressText.of(a.getAddress()) + (a.getPort() == 0 ? "" : ":" + a.getPort());
    }

    @Override
    public String toString() {
        return AddressText.of(address) + (lowPort == 0 ? "" : ":" + lowPort + (highPort > lowPort ? "-" + highPort : ""));
    }
}
