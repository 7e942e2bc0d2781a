package io.tidegate.engine;

import io.tidegate.net.ConnectionParking;
import io.tidegate.net.NioConnection;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Hands an upgraded (101) or {@code mode tcp} tunnel to the next deployment at an EAR upgrade,
 * instead of closing it: both sockets leave this engine's selector without being closed, the bytes
 * read on one side and not yet written to the other are copied out, and all of it is parked in
 * {@link ConnectionParking} (JDK types only) for the next engine to resume ({@link ResumedTunnel}).
 */
final class TunnelHandover {
    private TunnelHandover() {
    }

    /**
     * Parks the tunnel between {@code client} and {@code server} (both on the calling IO thread),
     * with {@code toServer} (clientToProxy bytes not yet sent on) and {@code toClient} (serverToProxy
     * bytes not yet sent on). Afterwards the connections are detached: closing them closes nothing.
     *
     * @return false (nothing done) when either side is closed already
     */
    static boolean park(NioConnection client, IoBuffer toServer, NioConnection server, IoBuffer toClient,
                        RuntimeFrontend frontend, RuntimeServer target, long parkMs) {
        if (!client.isOpen() || !server.isOpen()) return false;
        SocketChannel c = client.detach();
        SocketChannel s = server.detach();       // both keys cancelled before the selector runs again
        dropKeys(client, server);
        ConnectionParking.park(tunnel(c, s, take(toServer), take(toClient), frontend, target), parkMs);
        return true;
    }

    /** As {@link #park(NioConnection, IoBuffer, NioConnection, IoBuffer, RuntimeFrontend, RuntimeServer, long)} for buffers in read mode. */
    static boolean park(NioConnection client, ByteBuffer toServer, NioConnection server, ByteBuffer toClient,
                        String frontend, String backend, String serverName, long tunnelTimeoutMs, long parkMs) {
        if (!client.isOpen() || !server.isOpen()) return false;
        SocketChannel c = client.detach();
        SocketChannel s = server.detach();       // both keys cancelled before the selector runs again
        dropKeys(client, server);
        ConnectionParking.park(new ConnectionParking.Tunnel(c, s, take(toServer), take(toClient), frontend, backend,
                serverName, tunnelTimeoutMs), parkMs);
        return true;
    }

    /** Lets the loop drop the cancelled keys now: a stopping loop closes every channel still registered. */
    private static void dropKeys(NioConnection client, NioConnection server) {
        client.loop().flushCancelledKeys();
        if (server.loop() != client.loop()) server.loop().flushCancelledKeys();
    }

    private static ConnectionParking.Tunnel tunnel(SocketChannel c, SocketChannel s, byte[] up, byte[] down,
                                                   RuntimeFrontend frontend, RuntimeServer target) {
        return new ConnectionParking.Tunnel(c, s, up, down, frontend.name(),
                target == null ? null : target.backend().plan().name(), target == null ? null : target.name(),
                frontend.tunnelTimeoutMs);
    }

    /** The bytes [r, w) of {@code b}, which counts them as sent on. */
    private static byte[] take(IoBuffer b) {
        int n = b.readable();
        if (n == 0 || b.buffer() == null) return new byte[0];
        ByteBuffer d = b.buffer().duplicate();
        d.limit(b.w).position(b.r);
        byte[] a = new byte[n];
        d.get(a);
        b.r = b.w;
        return a;
    }

    private static byte[] take(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
