package io.tidegate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The event loop the data path runs on: tasks, timers, accept, connect, read/write, end of stream, close. */
@Timeout(30)
class EventLoopTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private EventLoopGroup group;
    private EventLoop loop;

    @BeforeEach
    void start() throws IOException {
        group = new EventLoopGroup("test-io", 1, 0);
        loop = group.get(0);
    }

    @AfterEach
    void stop() {
        assertTrue(group.shutdown(5_000), "the loop stops within 5 s");
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void tasksFromAnotherThreadRunOnTheLoopInOrderAndWakeItFromSleep() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        Thread.sleep(50);            // the loop is asleep in select now: execute must wake it
        for (String s : List.of("a", "b", "c")) {
            loop.execute(() -> {
                ran.add(s + ":" + loop.inLoop() + ":" + Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("a:true:test-io-0", "b:true:test-io-0", "c:true:test-io-0"), ran);
        assertFalse(loop.inLoop());
    }

    @Test
    void timersFireInDeadlineOrderAndACancelledOneNever() throws Exception {
        BlockingQueue<String> fired = new LinkedBlockingQueue<>();
        long t0 = System.nanoTime();
        onLoop(() -> {
            loop.schedule(() -> fired.add("late"), 120, TimeUnit.MILLISECONDS);
            ScheduledTask cancelled = loop.schedule(() -> fired.add("cancelled"), 60, TimeUnit.MILLISECONDS);
            loop.schedule(() -> fired.add("early"), 30, TimeUnit.MILLISECONDS);
            assertTrue(cancelled.cancel());
            assertFalse(cancelled.cancel(), "a second cancel reports that nothing was left to cancel");
            return null;
        });
        assertEquals("early", fired.poll(5, TimeUnit.SECONDS));
        assertEquals("late", fired.poll(5, TimeUnit.SECONDS));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(elapsedMs >= 120, "the late timer did not fire before its delay: " + elapsedMs + " ms");
        assertEquals(null, fired.poll(200, TimeUnit.MILLISECONDS), "the cancelled timer never fires");
    }

    @Test
    void manyCancelledTimersArePurgedAndTheLiveOnesStillFire() throws Exception {
        CountDownLatch live = new CountDownLatch(10);
        onLoop(() -> {
            for (int i = 0; i < 5000; i++) loop.schedule(() -> { throw new AssertionError("cancelled"); }, 1, TimeUnit.HOURS).cancel();
            for (int i = 0; i < 10; i++) loop.schedule(live::countDown, 10 + i, TimeUnit.MILLISECONDS);
            return null;
        });
        assertTrue(live.await(5, TimeUnit.SECONDS));
    }

    @Test
    void acceptsReadsWritesAndSeesTheEndOfTheStream() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        AtomicReference<ListeningSocket> listening = new AtomicReference<>();
        ListeningSocket ls = ListeningSocket.bind(new InetSocketAddress(LOOPBACK, 0), 16, group.loops(), l -> {
            try {
                NioConnection c;
                while ((c = listening.get().accept(l)) != null) echo(c, events);
            } catch (IOException e) {
                events.add("accept failed " + e);
            }
        });
        listening.set(ls);
        ls.resumeAccepts();
        try (Socket s = new Socket(LOOPBACK, ls.boundAddress().getPort())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("PING", new String(in.readNBytes(4), StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertEquals("end of stream", events.poll(5, TimeUnit.SECONDS));
            assertEquals(-1, in.read(), "the loop closed its side after the end of the stream");
        } finally {
            ls.close();
        }
    }

    /** Upper-cases what it reads; closes at the end of the stream. */
    private static void echo(NioConnection c, BlockingQueue<String> events) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        c.setEndOfStreamHandler(() -> {
            events.add("end of stream");
            c.close();
        });
        c.setReadHandler(() -> {
            try {
                buf.clear();
                int n = c.read(buf);
                if (n <= 0) return;
                buf.flip();
                byte[] b = new byte[n];
                buf.get(b);
                c.write(ByteBuffer.wrap(new String(b, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                c.close();
            }
        });
        c.resumeReads();
    }

    @Test
    void closingTheListeningSocketReleasesThePortAtOnce() throws Exception {
        ListeningSocket ls = ListeningSocket.bind(new InetSocketAddress(LOOPBACK, 0), 16, group.loops(), l -> { });
        ls.resumeAccepts();
        int port = ls.boundAddress().getPort();
        ls.close();
        assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, port).close());
        try (ServerSocket again = new ServerSocket(port, 1, LOOPBACK)) {
            assertEquals(port, again.getLocalPort(), "the port can be bound again");
        }
    }

    @Test
    void suspendedAcceptsLeaveClientsInTheBacklogUntilResumed() throws Exception {
        BlockingQueue<NioConnection> accepted = new LinkedBlockingQueue<>();
        AtomicReference<ListeningSocket> ref = new AtomicReference<>();
        ListeningSocket ls = ListeningSocket.bind(new InetSocketAddress(LOOPBACK, 0), 16, group.loops(), l -> {
            try {
                NioConnection c;
                while ((c = ref.get().accept(l)) != null) accepted.add(c);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ref.set(ls);
        try (Socket s = new Socket(LOOPBACK, ls.boundAddress().getPort())) {
            assertEquals(null, accepted.poll(200, TimeUnit.MILLISECONDS), "not accepted while accepts are suspended");
            ls.resumeAccepts();
            NioConnection c = accepted.poll(5, TimeUnit.SECONDS);
            assertNotNull(c);
            assertEquals(s.getLocalPort(), c.peerAddress().getPort());
            onLoop(() -> {
                c.close();
                return null;
            });
        } finally {
            ls.close();
        }
    }

    @Test
    void connectReachesAListeningServerAndReportsARefusalAsAFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
            CompletableFuture<String> ok = new CompletableFuture<>();
            onLoop(() -> loop.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), handler(ok)));
            try (Socket peer = server.accept()) {
                assertEquals("connected", ok.get(5, TimeUnit.SECONDS));
                assertTrue(peer.isConnected());
            }
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        CompletableFuture<String> refused = new CompletableFuture<>();
        onLoop(() -> loop.connect(new InetSocketAddress(LOOPBACK, closedPort), handler(refused)));
        assertTrue(refused.get(5, TimeUnit.SECONDS).startsWith("failed"), refused.get());
    }

    @Test
    void aCancelledConnectIsNeverReported() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            onLoop(() -> {
                loop.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), handler(outcome)).cancel();
                return null;
            });
            Thread.sleep(200);
            assertFalse(outcome.isDone(), "nothing reported after cancel: " + outcome.getNow(""));
        }
    }

    private ConnectHandler handler(CompletableFuture<String> outcome) {
        return new ConnectHandler() {
            @Override
            public void connected(NioConnection c) {
                outcome.complete(loop.inLoop() ? "connected" : "connected off the loop");
                c.close();
            }

            @Override
            public void failed(IOException cause) {
                outcome.complete("failed: " + cause);
            }
        };
    }

    @Test
    void aStoppedLoopRefusesTasksAndClosedItsConnections() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
            CompletableFuture<String> ok = new CompletableFuture<>();
            onLoop(() -> loop.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), new ConnectHandler() {
                @Override
                public void connected(NioConnection c) {
                    ok.complete("connected");    // left open: the loop closes it when it stops
                }

                @Override
                public void failed(IOException cause) {
                    ok.complete("failed");
                }
            }));
            try (Socket peer = server.accept()) {
                assertEquals("connected", ok.get(5, TimeUnit.SECONDS));
                peer.setSoTimeout(5_000);
                assertTrue(group.shutdown(5_000));
                assertEquals(-1, peer.getInputStream().read(), "the peer sees the connection closed");
            }
        }
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
    }

    @Test
    void aLoopbackConnectIsReportedAfterConnectReturnedAndItsConnectionRelaysBothWays() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
            CompletableFuture<NioConnection> connected = new CompletableFuture<>();
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            onLoop(() -> {
                boolean[] returned = {false};
                loop.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), new ConnectHandler() {
                    @Override
                    public void connected(NioConnection c) {
                        if (!returned[0] || !loop.inLoop()) {
                            connected.completeExceptionally(new AssertionError("reported before connect() returned or off the loop"));
                            return;
                        }
                        ByteBuffer in = ByteBuffer.allocate(64);
                        c.setReadHandler(() -> {
                            try {
                                in.clear();
                                int n = c.read(in);
                                if (n > 0) received.add(new String(in.array(), 0, n, StandardCharsets.US_ASCII));
                            } catch (IOException e) {
                                received.add("read failed " + e);
                            }
                        });
                        c.resumeReads();
                        try {
                            c.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
                        } catch (IOException e) {
                            connected.completeExceptionally(e);
                            return;
                        }
                        connected.complete(c);
                    }

                    @Override
                    public void failed(IOException cause) {
                        connected.completeExceptionally(cause);
                    }
                });
                returned[0] = true;
                return null;
            });
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(5_000);
                NioConnection c = connected.get(5, TimeUnit.SECONDS);
                assertEquals("ping", new String(peer.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
                peer.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                assertEquals("pong", received.poll(5, TimeUnit.SECONDS));
                onLoop(() -> {
                    c.close();
                    return null;
                });
            }
        }
    }

    @Test
    void aDiscardedConnectionIsClosedAndItsPeerSeesTheEnd() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
            CompletableFuture<NioConnection> connected = new CompletableFuture<>();
            onLoop(() -> loop.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), new ConnectHandler() {
                @Override
                public void connected(NioConnection c) {
                    connected.complete(c);
                }

                @Override
                public void failed(IOException cause) {
                    connected.completeExceptionally(cause);
                }
            }));
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(5_000);
                NioConnection c = connected.get(5, TimeUnit.SECONDS);
                assertFalse(onLoop(() -> {
                    c.discard();
                    return c.isOpen();
                }), "closed for its owner at once");
                assertEquals(-1, peer.getInputStream().read(), "the peer sees the end of the stream");
            }
        }
    }
}
