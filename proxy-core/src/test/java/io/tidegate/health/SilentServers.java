package io.tidegate.health;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/** Loopback servers that never answer, for timeout tests. */
final class SilentServers implements Closeable {

    private final List<Closeable> open = new ArrayList<>();

    /**
     * A listening socket that is never accepted from: connections complete (the kernel queues them) but
     * nothing is ever read or written, so an application-level check waits for its timeout.
     */
    InetSocketAddress neverAnswers() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(s);
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }

    /**
     * A listening socket with backlog 1 whose accept queue the test has filled: the kernel drops further
     * connection attempts, so a connect neither succeeds nor fails until it times out.
     */
    InetSocketAddress neverConnects() throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(s);
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        for (int i = 0; i < 4; i++) {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            c.connect(a);
            open.add(c);
        }
        return a;
    }

    /** A port on 127.0.0.1 where nothing listens (bound, then closed). */
    static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    @Override
    public void close() {
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing test sockets
            }
        }
        open.clear();
    }
}
