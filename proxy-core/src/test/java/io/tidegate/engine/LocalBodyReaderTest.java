package io.tidegate.engine;

import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.http.RequestHead;
import io.tidegate.net.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The body of a locally answered POST (the stats page's admin form) read by {@link LocalBodyReader}
 * without sockets: a {@link ClientConnection} over a {@link MemoryTransport} whose frontend answers
 * {@code /local} itself. Each request is delivered split at every point, so each partial read of
 * the body, of its chunk framing and of the head before it runs. The service answers with the
 * length of the body it was given, which is what the client sees.
 */
class LocalBodyReaderTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress FRONT = new InetSocketAddress("127.0.0.1", 8080);
    private static final String CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
    private static EventLoop loop;

    @BeforeAll
    static void startLoop() throws Exception {
        loop = new EventLoop("local-body", 0, 0);
        loop.start();
    }

    @AfterAll
    static void stopLoop() throws Exception {
        loop.shutdown();
        assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A frontend answering {@code /local} with a service that keeps each POST body it gets (null: over the limit). */
    private static final class Local {
        final List<byte[]> bodies = new ArrayList<>();
        final RuntimeFrontend frontend;
        final LoopBuffers pool = new LoopBuffers(Engine.BUFFER_SIZE, 16);
        final List<MemoryTransport> clients = new ArrayList<>();

        Local() throws EngineException {
            frontend = new RuntimeGraph(null, plan(frontend(), backendPlan(List.of(server("s1", new InetSocketAddress("127.0.0.1", 9), 1)))),
                    1, null, Map.of()).frontend("fe");
            frontend.localRoute = new LocalRoute("/local", new LocalService() {
                @Override
                public LocalResponse answer(RequestHead request) {
                    return LocalResponse.of(200, "OK", Map.of(), "page".getBytes(StandardCharsets.ISO_8859_1));
                }

                @Override
                public LocalPost post(RequestHead request, boolean admin, InetSocketAddress client) {
                    return (body, answer) -> {
                        bodies.add(body);
                        answer.accept(LocalResponse.of(303, "See Other",
                                Map.of("Location", "/local;got=" + (body == null ? "over" : Integer.toString(body.length))), new byte[0]));
                    };
                }
            });
        }

        MemoryTransport open() {
            MemoryTransport client = new MemoryTransport(CLIENT, FRONT);
            clients.add(client);
            new ClientConnection(null, frontend, client, loop, pool,
                    (leg, target) -> { throw new AssertionError("a local request never reaches a server"); }, c -> { }).start();
            settle();
            return client;
        }

        void settle() {
            for (int round = 0; round < 100_000; round++) {
                boolean moved = false;
                for (MemoryTransport t : List.copyOf(clients)) moved |= t.pump();
                if (!moved) return;
            }
            fail("the connection did not settle");
        }

        /** Sends {@code request} in two parts split at {@code at}, returns what the client got. */
        /** Whether the connection of the last {@link #exchange} was closed after the answer. */
        boolean lastClosed;

        String exchange(String request, int at) {
            MemoryTransport client = open();
            client.deliver(request.substring(0, at));
            settle();
            client.deliver(request.substring(at));
            settle();
            String got = client.takeWritten();
            lastClosed = client.isClosed();
            if (request.startsWith("POST")) assertTrue(lastClosed, "a POST answered after its body closes the connection: " + got);
            return got;
        }
    }

    private static void onLoop(Consumer<Local> body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                body.accept(new Local());
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(60, TimeUnit.SECONDS);
    }

    private static String location(String response) {
        int at = response.indexOf("HTTP/1.1 303 See Other\r\n");
        assertTrue(at >= 0, response);
        return response.lines().filter(l -> l.startsWith("Location: ")).findFirst().orElseThrow().substring(10);
    }

    @Test
    void chunkedBodyWithExpectContinueAtEverySplitPoint() throws Exception {
        String form = "s=s0&s=s1&action=drain&b=web";
        String head = "POST /local HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n";
        String body = "5;ext=1\r\n" + form.substring(0, 5) + "\r\n" + Integer.toHexString(form.length() - 5) + "\r\n"
                + form.substring(5) + "\r\n0\r\nX-Trailer: t\r\n\r\n";
        String request = head + body;
        onLoop(local -> {
            for (int at = 0; at <= request.length(); at++) {
                String got = local.exchange(request, at);
                // 100 Continue only when the head arrived without the whole body
                boolean waited = at >= head.length() && at < request.length();
                assertEquals(waited, got.startsWith(CONTINUE), "split at " + at + ": " + got);
                assertTrue(got.startsWith(waited ? CONTINUE + "HTTP/1.1 303 " : "HTTP/1.1 303 "), "split at " + at + ": " + got);
                assertEquals("/local;got=" + form.length(), location(got), "split at " + at);
                assertEquals(form, new String(local.bodies.get(local.bodies.size() - 1), StandardCharsets.ISO_8859_1),
                        "the service gets the body decoded, split at " + at);
            }
        });
    }

    @Test
    void contentLengthBodyAtEverySplitPoint() throws Exception {
        String form = "s=s0&action=maint&b=web";
        String request = "POST /local HTTP/1.1\r\nHost: t\r\nContent-Length: " + form.length() + "\r\n\r\n" + form;
        onLoop(local -> {
            for (int at = 0; at <= request.length(); at++) {
                String got = local.exchange(request, at);
                assertTrue(got.startsWith("HTTP/1.1 303 "), "no 100 Continue unless asked, split at " + at + ": " + got);
                assertEquals("/local;got=" + form.length(), location(got));
                assertEquals(form, new String(local.bodies.get(local.bodies.size() - 1), StandardCharsets.ISO_8859_1));
            }
        });
    }

    @Test
    void theLimitIsMaxBodyBytesAnnouncedOrFoundWhileRead() throws Exception {
        String exact = "x".repeat(LocalPost.MAX_BODY);
        onLoop(local -> {
            String got = local.exchange("POST /local HTTP/1.1\r\nHost: t\r\nContent-Length: " + exact.length() + "\r\n\r\n" + exact, 40);
            assertEquals("/local;got=" + LocalPost.MAX_BODY, location(got), "exactly the limit is read");

            String announced = "POST /local HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: " + (LocalPost.MAX_BODY + 1) + "\r\n\r\n";
            got = local.exchange(announced, announced.length());
            assertTrue(got.startsWith("HTTP/1.1 303 "), "answered without a 100 Continue, nothing read: " + got);
            assertEquals("/local;got=over", location(got));

            // chunked: the framing counts too, so a chunk of MAX_BODY bytes is over once its size line is in
            String chunked = "POST /local HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(exact.length()) + "\r\n" + exact + "\r\n0\r\n\r\n";
            got = local.exchange(chunked, chunked.length() / 2);
            assertEquals("/local;got=over", location(got));
            assertNull(local.bodies.get(local.bodies.size() - 1), "the service is told the body was over the limit");
        });
    }

    @Test
    void aGetOnTheSameRouteIsAnsweredAtOnce() throws Exception {
        onLoop(local -> {
            String got = local.exchange("GET /local HTTP/1.1\r\nHost: t\r\n\r\n", 10);
            assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n") && got.endsWith("page"), got);
            assertFalse(local.lastClosed, "a whole HTTP/1.1 GET answered here keeps its connection, as in HAProxy 2.6");
            assertTrue(local.bodies.isEmpty());
        });
    }
}
