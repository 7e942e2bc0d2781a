package io.tidegate.it;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded loopback load for reload and redeploy tests (JDK only, so {@code benchmarks/reload} runs
 * it against Tidegate and HAProxy alike): clients opening a new connection per request, keep-alive
 * clients, a client of slow (1.5 s) requests, two clients of a {@code maxconn 1} server so one request
 * always waits in the queue, and one upgraded (101) connection that echoes. Every outcome is counted:
 * refused, reset, timeouts, non-2xx answers, answers from a server the configuration did not allow,
 * keep-alive connections closed by the proxy, upgraded connections lost.
 *
 * <p>{@code main}: {@code backends} starts the backends and prints their ports; {@code run HTTP_PORT
 * QUEUE_PORT WS_PORT SECONDS [ALLOWED_FILE]} runs the load and prints the counts.
 */
public final class ReloadLoad {

    /** The counts of one run. */
    public static final class Counts {
        public final LongAdder ok = new LongAdder();
        public final LongAdder refused = new LongAdder();
        public final LongAdder reset = new LongAdder();
        public final LongAdder timeouts = new LongAdder();
        public final LongAdder non2xx = new LongAdder();
        public final LongAdder disallowed = new LongAdder();
        /** A new connection closed by the proxy before any answer. */
        public final LongAdder closedBeforeAnswer = new LongAdder();
        /** A keep-alive connection closed by the proxy (Connection: close, or closed while idle). */
        public final LongAdder keepAliveClosed = new LongAdder();
        public final LongAdder slowOk = new LongAdder();
        public final LongAdder queuedOk = new LongAdder();
        public final LongAdder tunnelEchoes = new LongAdder();
        public final LongAdder tunnelLost = new LongAdder();
        final List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());

        void sample(String what) {
            if (samples.size() < 30) samples.add(what);
        }

        /** Failures a user would see (everything but keep-alive closes, which clients retry). */
        public long failures() {
            return refused.sum() + reset.sum() + timeouts.sum() + non2xx.sum() + disallowed.sum()
                    + closedBeforeAnswer.sum() + tunnelLost.sum();
        }

        public List<String> samples() {
            return List.copyOf(samples);
        }

        public Map<String, Long> asMap() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("requests ok", ok.sum());
            m.put("slow ok", slowOk.sum());
            m.put("queued ok", queuedOk.sum());
            m.put("tunnel echoes", tunnelEchoes.sum());
            m.put("refused", refused.sum());
            m.put("reset", reset.sum());
            m.put("timeouts", timeouts.sum());
            m.put("non-2xx", non2xx.sum());
            m.put("disallowed server", disallowed.sum());
            m.put("closed before answer", closedBeforeAnswer.sum());
            m.put("keep-alive closed", keepAliveClosed.sum());
            m.put("tunnel lost", tunnelLost.sum());
            return m;
        }

        @Override
        public String toString() {
            return asMap().toString();
        }
    }

    private final int httpPort;
    private final int queuePort;
    private final int wsPort;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Counts counts = new Counts();
    /** The server names a request may be answered by now (null = any). */
    private volatile Set<String> allowed;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reload-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong longestConnectMs = new AtomicLong();
    private final AtomicLong longestNewAnswerMs = new AtomicLong();
    private final int newConnectionClients;
    private final int keepAliveClients;

    public ReloadLoad(int httpPort, int queuePort, int wsPort) {
        this(httpPort, queuePort, wsPort, 4, 2);
    }

    public ReloadLoad(int httpPort, int queuePort, int wsPort, int newConnectionClients, int keepAliveClients) {
        this.httpPort = httpPort;
        this.queuePort = queuePort;
        this.wsPort = wsPort;
        this.newConnectionClients = newConnectionClients;
        this.keepAliveClients = keepAliveClients;
    }

    public Counts counts() {
        return counts;
    }

    /** The longest a connect took (a paused accept shows here: clients wait in the backlog). */
    public long longestConnectMillis() {
        return longestConnectMs.get();
    }

    /**
     * The longest a request on a new connection took from connect to its whole answer: a paused
     * accept shows here (the connect itself completes in the kernel backlog).
     */
    public long longestNewConnectionAnswerMillis() {
        return longestNewAnswerMs.get();
    }

    public void allow(Set<String> servers) {
        this.allowed = servers == null ? null : Set.copyOf(servers);
    }

    /** Starts every client; each runs at most {@code maxSeconds}. */
    public void start(long maxSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        for (int i = 0; i < newConnectionClients; i++) threads.submit(() -> newConnections(deadline));
        for (int i = 0; i < keepAliveClients; i++) threads.submit(() -> keepAlive(httpPort, "/ka", deadline, counts.ok));
        threads.submit(() -> keepAlive(httpPort, "/slow?ms=1500", deadline, counts.slowOk));
        if (queuePort > 0) {
            for (int i = 0; i < 2; i++) threads.submit(() -> keepAlive(queuePort, "/slow?ms=300", deadline, counts.queuedOk));
        }
        if (wsPort > 0) threads.submit(() -> tunnel(deadline));
    }

    /** Stops the clients and waits for them (bounded). */
    public Counts stop() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        if (!threads.awaitTermination(30, TimeUnit.SECONDS)) threads.shutdownNow();
        return counts;
    }

    private boolean go(long deadline) {
        return running.get() && System.nanoTime() < deadline;
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket();
        long t0 = System.nanoTime();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        longestConnectMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private void newConnections(long deadline) {
        for (int i = 0; i < 10_000_000 && go(deadline); i++) {
            Set<String> before = allowed;
            long t0 = System.nanoTime();
            try (Socket s = connect(httpPort)) {
                s.getOutputStream().write("GET /new HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                Response r = Response.read(new BufferedInputStream(s.getInputStream()));
                if (r == null) {
                    counts.closedBeforeAnswer.increment();
                    counts.sample("new connection closed before an answer");
                } else {
                    classify(r, before, counts.ok);
                    longestNewAnswerMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                }
            } catch (IOException e) {
                failed(e, "new connection");
            }
            pause(5);
        }
    }

    private void keepAlive(int port, String path, long deadline, LongAdder okCounter) {
        Socket s = null;
        InputStream in = null;
        int used = 0;
        try {
            for (int i = 0; i < 10_000_000 && go(deadline); i++) {
                Set<String> before = port == httpPort ? allowed : null;     // the queue's server is always allowed
                try {
                    if (s == null) {
                        s = connect(port);
                        in = new BufferedInputStream(s.getInputStream());
                        used = 0;
                    }
                    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (used > 0 && !answerStarts(in)) {
                        // the proxy closed this idle keep-alive connection as the request left: the
                        // race every HTTP client retries (RFC 9112 9.3.1), counted as a keep-alive close
                        counts.keepAliveClosed.increment();
                        counts.sample("keep-alive connection " + path + " closed while idle");
                        closeQuietly(s);
                        s = null;
                        continue;
                    }
                    Response r = Response.read(in);
                    if (r == null) {
                        if (used > 0) {
                            counts.keepAliveClosed.increment();
                            counts.sample("keep-alive connection " + path + " closed while idle");
                        } else {
                            counts.closedBeforeAnswer.increment();
                            counts.sample("keep-alive connection " + path + " closed before its first answer");
                        }
                        closeQuietly(s);
                        s = null;
                        continue;
                    }
                    used++;
                    classify(r, before, okCounter);
                    if ("close".equalsIgnoreCase(r.header("connection"))) {
                        counts.keepAliveClosed.increment();
                        counts.sample("keep-alive connection " + path + " got Connection: close");
                        closeQuietly(s);
                        s = null;
                    }
                } catch (IOException e) {
                    failed(e, "keep-alive " + path);
                    closeQuietly(s);
                    s = null;
                }
                pause(10);
            }
        } finally {
            closeQuietly(s);
        }
    }

    /** One upgraded connection echoing a line every 100 ms; lost = closed or broken by the proxy. */
    private void tunnel(long deadline) {
        Socket s = null;
        try {
            for (int i = 0; i < 10_000_000 && go(deadline); i++) {
                try {
                    if (s == null) {
                        s = connect(wsPort);
                        s.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        Response r = Response.readHead(s.getInputStream());
                        if (r == null || r.status != 101) {
                            counts.tunnelLost.increment();
                            counts.sample("upgrade refused: " + (r == null ? "closed" : r.status));
                            closeQuietly(s);
                            s = null;
                            pause(100);
                            continue;
                        }
                    }
                    String word = "w" + i + "\n";
                    s.getOutputStream().write(word.getBytes(StandardCharsets.ISO_8859_1));
                    byte[] got = s.getInputStream().readNBytes(word.length());
                    if (!word.equals(new String(got, StandardCharsets.ISO_8859_1))) {
                        counts.tunnelLost.increment();
                        counts.sample("tunnel lost after " + i + " echoes");
                        closeQuietly(s);
                        s = null;
                    } else {
                        counts.tunnelEchoes.increment();
                    }
                } catch (IOException e) {
                    counts.tunnelLost.increment();
                    counts.sample("tunnel: " + e);
                    closeQuietly(s);
                    s = null;
                }
                pause(100);
            }
        } finally {
            closeQuietly(s);
        }
    }

    /** Whether a response starts on a reused connection (false: end of stream or reset before its first byte). */
    private static boolean answerStarts(InputStream in) {
        try {
            in.mark(1);
            int c = in.read();
            if (c < 0) return false;
            in.reset();
            return true;
        } catch (SocketTimeoutException e) {
            return true;      // slow, not closed: Response.read counts the timeout
        } catch (IOException e) {
            return false;
        }
    }

    private void classify(Response r, Set<String> allowedBefore, LongAdder okCounter) {
        if (r.status / 100 != 2) {
            counts.non2xx.increment();
            counts.sample("status " + r.status);
            return;
        }
        Set<String> after = allowed;
        String server = r.header("x-backend");
        if (allowedBefore != null && after != null && server != null
                && !allowedBefore.contains(server) && !after.contains(server)) {
            counts.disallowed.increment();
            counts.sample("answer from " + server + " not allowed by " + after);
            return;
        }
        okCounter.increment();
    }

    private void failed(IOException e, String what) {
        if (e instanceof ConnectException) {
            counts.refused.increment();
        } else if (e instanceof SocketTimeoutException) {
            counts.timeouts.increment();
        } else if (e instanceof SocketException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
            counts.reset.increment();
        } else if (e instanceof SocketException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("broken pipe")) {
            counts.reset.increment();
        } else {
            counts.closedBeforeAnswer.increment();
        }
        counts.sample(what + ": " + e);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** An HTTP/1.1 response read from a socket: status, headers (lower-case names), body by Content-Length. */
    static final class Response {
        final int status;
        final Map<String, String> headers;

        private Response(int status, Map<String, String> headers) {
            this.status = status;
            this.headers = headers;
        }

        String header(String name) {
            return headers.get(name);
        }

        /** Null when the connection ends before a status line. */
        static Response read(InputStream in) throws IOException {
            Response r = readHead(in);
            if (r == null) return null;
            String len = r.header("content-length");
            if (len != null) {
                long n = Long.parseLong(len.trim());
                if (in.readNBytes((int) n).length != n) throw new SocketException("closed within a body (reset)");
            } else if ("chunked".equalsIgnoreCase(r.header("transfer-encoding"))) {
                for (int i = 0; i < 100_000; i++) {
                    String size = line(in);
                    if (size == null) throw new SocketException("closed within a body (reset)");
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        line(in);
                        break;
                    }
                    in.readNBytes(n);
                    line(in);
                }
            }
            return r;
        }

        static Response readHead(InputStream in) throws IOException {
            String status = line(in);
            if (status == null) return null;
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 0; i < 200; i++) {
                String l = line(in);
                if (l == null) throw new SocketException("closed within a head (reset)");
                if (l.isEmpty()) break;
                int c = l.indexOf(':');
                if (c > 0) h.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
            }
            return new Response(Integer.parseInt(status.substring(9, 12)), h);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < 65_536; i++) {
                int c = in.read();
                if (c < 0) return b.size() == 0 && i == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            throw new IOException("line too long");
        }
    }

    // ------------------------------------------------------------------ backends

    /**
     * HTTP backends on 127.0.0.1 free ports answering with their name ({@code X-Backend}), {@code
     * /slow?ms=N} after N ms; and one raw server answering an Upgrade with 101 and echoing.
     */
    public static final class Backends implements AutoCloseable {
        private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
        private final ExecutorService executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "reload-backend");
            t.setDaemon(true);
            return t;
        });
        private final ServerSocket echo;
        private final Thread echoAcceptor;

        public Backends(String... names) throws IOException {
            for (String n : names) add(n);
            echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            echoAcceptor = new Thread(this::acceptEcho, "reload-echo");
            echoAcceptor.setDaemon(true);
            echoAcceptor.start();
        }

        public void add(String name) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            server.createContext("/", ex -> {
                String q = ex.getRequestURI().getQuery();
                if (ex.getRequestURI().getPath().equals("/slow") && q != null && q.startsWith("ms=")) {
                    pause(Long.parseLong(q.substring(3)));
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("X-Backend", name);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(executor);
            server.start();
            servers.put(name, server);
        }

        public int port(String name) {
            return servers.get(name).getAddress().getPort();
        }

        public int echoPort() {
            return echo.getLocalPort();
        }

        private void acceptEcho() {
            for (int i = 0; i < 100_000 && !echo.isClosed(); i++) {
                try {
                    Socket s = echo.accept();
                    executor.submit(() -> echoOne(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echoOne(Socket s) {
            try (s) {
                s.setSoTimeout(120_000);
                InputStream in = new BufferedInputStream(s.getInputStream());
                if (Response.line(in) == null) return;
                for (int i = 0; i < 200; i++) {
                    String l = Response.line(in);
                    if (l == null) return;
                    if (l.isEmpty()) break;
                }
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                byte[] buf = new byte[512];
                for (int i = 0; i < 10_000_000; i++) {
                    int n = in.read(buf);
                    if (n < 0) return;
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection over
            }
        }

        @Override
        public void close() {
            servers.values().forEach(s -> s.stop(0));
            try {
                echo.close();
            } catch (IOException e) {
                // closing anyway
            }
            executor.shutdownNow();
        }
    }

    /**
     * {@code backends NAME...}: starts backends and prints "NAME PORT" lines (and "echo PORT"), then
     * runs until killed. {@code run HTTP QUEUE WS SECONDS}: runs the load and prints the counts.
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("backends")) {
            Backends b = new Backends(java.util.Arrays.copyOfRange(args, 1, args.length));
            for (int i = 1; i < args.length; i++) System.out.println(args[i] + " " + b.port(args[i]));
            System.out.println("echo " + b.echoPort());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        } else if (args.length >= 5 && args[0].equals("run")) {
            ReloadLoad load = new ReloadLoad(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            long seconds = Long.parseLong(args[4]);
            load.start(seconds + 5);
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            Counts c = load.stop();
            for (Map.Entry<String, Long> e : c.asMap().entrySet()) System.out.println(e.getKey() + "\t" + e.getValue());
            System.out.println("longest connect ms\t" + load.longestConnectMillis());
            System.out.println("longest new-connection answer ms\t" + load.longestNewConnectionAnswerMillis());
            for (String s : c.samples()) System.out.println("# " + s);
        } else {
            System.err.println("usage: ReloadLoad backends NAME... | run HTTP_PORT QUEUE_PORT WS_PORT SECONDS");
            System.exit(2);
        }
    }
}
