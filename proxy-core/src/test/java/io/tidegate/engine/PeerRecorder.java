package io.tidegate.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that records where each connection comes from (the proxy's source address and
 * port). In HTTP mode it answers each request head with an empty 200 and closes; in echo mode it
 * sends back what it reads until the peer closes.
 */
final class PeerRecorder implements AutoCloseable {
    private final ServerSocket socket;
    private final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /** Header lines (each ending CRLF) added to every HTTP answer, e.g. a Set-Cookie. */
    private final String extraHeaders;

    PeerRecorder(boolean http) throws IOException {
        this(http, "");
    }

    PeerRecorder(boolean http, String extraHeaders) throws IOException {
        this.extraHeaders = extraHeaders;
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    peers.add((InetSocketAddress) s.getRemoteSocketAddress());
                    Thread w = new Thread(() -> serve(s, http));
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "peer-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(Socket s, boolean http) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            if (http) {
                StringBuilder head = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    head.append((char) c);
                    if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) break;
                }
                heads.add(head.toString());
                java.util.regex.Matcher cl = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                        .matcher(head);
                if (cl.find()) in.readNBytes(Integer.parseInt(cl.group(1)));   // the whole body before answering
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\n" + extraHeaders
                        + "Content-Length: 2\r\nConnection: close\r\n\r\nok").getBytes());
            } else {
                byte[] b = new byte[512];
                int n;
                while ((n = in.read(b)) > 0) s.getOutputStream().write(b, 0, n);
            }
        } catch (IOException e) {
            // the test asserts what arrived
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Where each accepted connection came from, in order. */
    List<InetSocketAddress> peers() {
        return List.copyOf(peers);
    }

    /** The request heads received (HTTP mode). */
    List<String> heads() {
        return List.copyOf(heads);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
