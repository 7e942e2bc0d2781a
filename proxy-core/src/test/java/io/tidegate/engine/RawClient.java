package io.tidegate.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A test client speaking HTTP/1.1 over a plain socket, so tests control every byte sent. */
final class RawClient implements AutoCloseable {
    /** A response as the client saw it. */
    record Response(int status, String head, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    Response get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return read();
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; headRequest = the request was HEAD (no body follows). */
    Response read(boolean headRequest) throws IOException {
        String head = readHead();
        if (head == null) throw new IOException("connection closed before a response");
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] body;
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (te != null) {
            body = readChunked();
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, head, headers, body);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            if (b.size() > (1 << 20)) throw new IOException("response head larger than 1 MiB");
            int c = in.read();
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        for (int i = 0; i < 65_536; i++) {
            int c = in.read();
            if (c < 0) throw new IOException("eof in chunked body");
            if (prev == '\r' && c == '\n') {
                byte[] a = b.toByteArray();
                return new String(a, 0, a.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            prev = c;
        }
        throw new IOException("chunk line longer than 64 KiB");
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            String line = readLine();
            int semi = line.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            if (size == 0) {
                for (int t = 0; t < 1_000 && !readLine().isEmpty(); t++) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
        throw new IOException("too many chunks");
    }

    /** True when the peer closed the connection (reads end of stream within the timeout). */
    boolean isClosedByPeer(int timeoutMs) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMs);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;    // reset
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** True when the peer sends something (or closes) within timeoutMs; nothing is consumed. */
    boolean answersWithin(int timeoutMs) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMs);
        try {
            in.mark(1);
            in.read();
            in.reset();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** Half-closes: the peer reads end of stream, responses can still arrive. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
