package io.tidegate.engine;

import java.time.Duration;
import static io.tidegate.engine.ProxyFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.net.EventLoop;
import io.tidegate.net.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
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
 * The relay without sockets: a {@link ClientConnection} over {@link MemoryTransport}s, its server
 * connections made by a scripted {@link UpstreamLeg.Dialer}. The test plays client and server and
 * delivers every message split at every point, so each partial-read path of the four hops runs.
 * Everything runs on one event loop's thread (the relay's timers need it); no socket is opened.
 */
class RelayInMemoryTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress FRONT = new InetSocketAddress("127.0.0.1", 8080);
    /** Never dialled: the dialer below hands out in-memory connections. */
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 9);
    private static EventLoop loop;

    @BeforeAll
    static void startLoop() throws Exception {
        loop = new EventLoop("relay-in-memory", 0, 0);
        loop.start();
    }

    @AfterAll
    static void stopLoop() throws Exception {
        loop.shutdown();
        assertTrue(loop.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** One frontend and backend with one server; the connections the relay opened; on the loop's thread. */
    private static final class Relay {
        final RuntimeFrontend frontend;
        final LoopBuffers pool = new LoopBuffers(Engine.BUFFER_SIZE, 16);
        final List<MemoryTransport> servers = new ArrayList<>();
        final List<MemoryTransport> clients = new ArrayList<>();
        final ArrayDeque<UpstreamLeg> connecting = new ArrayDeque<>();
        /** When false, every connect fails (connection refused). */
        boolean serverUp = true;
        int connectAttempts;
        /** The servers dialled, by name, in order. */
        final List<String> dialed = new ArrayList<>();
        final UpstreamLeg.Dialer dialer = (leg, target) -> {
            connectAttempts++;
            dialed.add(target.plan().name());
            connecting.add(leg);
            return () -> connecting.remove(leg);
        };

        Relay() throws EngineException {
            this(io.tidegate.config.MarkedActions.NONE);
        }

        /** With the server's on-marked-down / on-marked-up actions. */
        Relay(io.tidegate.config.MarkedActions marked) throws EngineException {
            this(plan(frontend(), backendPlan(List.of(server("s1", SERVER, 1).withMarked(marked)))));
        }

        Relay(EnginePlan plan) throws EngineException {
            frontend = new RuntimeGraph(null, plan, 1, null, Map.of()).frontend("fe");
        }

        MemoryTransport open() {
            return openWith("");
        }

        /** A client connection accepted with {@code firstBytes} already in its socket (the speculative first read takes them). */
        MemoryTransport openWith(String firstBytes) {
            MemoryTransport client = new MemoryTransport(CLIENT, FRONT);
            client.deliver(firstBytes);
            clients.add(client);
            new ClientConnection(null, frontend, client, loop, pool, dialer, c -> { }).start();
            settle();
            return client;
        }

        /** Completes pending connects and runs ready handlers until nothing moves (bounded). */
        void settle() {
            for (int round = 0; round < 100_000; round++) {
                boolean moved = false;
                UpstreamLeg leg;
                while ((leg = connecting.poll()) != null) {
                    moved = true;
                    if (serverUp) {
                        MemoryTransport s = new MemoryTransport(SERVER, CLIENT);
                        servers.add(s);
                        leg.connected(s);
                    } else {
                        leg.connectFailed();
                    }
                }
                for (MemoryTransport t : List.copyOf(clients)) moved |= t.pump();
                for (MemoryTransport t : List.copyOf(servers)) moved |= t.pump();
                if (!moved) return;
            }
            fail("the relay did not settle");
        }

        /** The server connection the relay wrote to since the last look, with what it wrote. */
        MemoryTransport serverThatReceived() {
            for (MemoryTransport s : servers) {
                if (!s.isClosed() && s.writtenCount() > 0) return s;
            }
            fail("no server connection received anything");
            return null;
        }
    }

    private static void onLoop(Consumer<Relay> body) throws Exception {
        onLoopCall(() -> {
            body.accept(new Relay());
            return null;
        });
    }

    /** Runs {@code c} on the loop's thread and returns its result (tests that wait for the loop's timers between steps). */
    private static <T> T onLoopCall(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                done.complete(c.call());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(60, TimeUnit.SECONDS);
    }

    private static void deliverSplit(Relay relay, MemoryTransport to, String message, int at) {
        to.deliver(message.substring(0, at));
        relay.settle();
        to.deliver(message.substring(at));
        relay.settle();
    }

    private static void deliverByteByByte(Relay relay, MemoryTransport to, String message) {
        for (int i = 0; i < message.length(); i++) {
            to.deliver(message.substring(i, i + 1));
            relay.settle();
        }
    }

    /** One exchange: the request reaches the server as sent, the response reaches the client as sent. */
    private static void exchange(Relay relay, MemoryTransport client, String request, int requestSplit,
                                 String response, int responseSplit) {
        deliverSplit(relay, client, request, requestSplit);
        MemoryTransport server = relay.serverThatReceived();
        assertEquals(request, server.takeWritten(), "proxyToServer, request split at " + requestSplit);
        deliverSplit(relay, server, response, responseSplit);
        assertEquals(response, client.takeWritten(),
                "proxyToClient, request split at " + requestSplit + ", response at " + responseSplit);
        assertFalse(client.isClosed(), "keep-alive: the client connection stays open");
    }

    @Test
    void requestAndResponseArriveIntactAtEverySplitPoint() throws Exception {
        String request = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n";
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        onLoop(relay -> {
            for (int i = 0; i <= request.length(); i++) {
                MemoryTransport client = relay.open();
                for (int j = 0; j <= response.length(); j++) exchange(relay, client, request, i, response, j);
            }
            assertEquals(1, relay.connectAttempts, "one server connection, reused by every keep-alive exchange");
        });
    }

    @Test
    void chunkedBodiesBothWaysSurviveEverySplitPoint() throws Exception {
        String request = "POST /e HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n";
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
        onLoop(relay -> {
            MemoryTransport client = relay.open();
            for (int i = 0; i <= request.length(); i++) exchange(relay, client, request, i, response, response.length() / 2);
            for (int j = 0; j <= response.length(); j++) exchange(relay, client, request, request.length() / 2, response, j);
        });
    }

    @Test
    void messagesDeliveredOneByteAtATime() throws Exception {
        String request = "POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world";
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        onLoop(relay -> {
            MemoryTransport client = relay.open();
            for (int round = 0; round < 2; round++) {
                deliverByteByByte(relay, client, request);
                MemoryTransport server = relay.serverThatReceived();
                assertEquals(request, server.takeWritten());
                deliverByteByByte(relay, server, response);
                assertEquals(response, client.takeWritten());
            }
        });
    }

    @Test
    void pipelinedRequestsGoToTheServerOneAtATimeAndAnswersKeepTheirOrder() throws Exception {
        String[] requests = {"GET /1 HTTP/1.1\r\nHost: t\r\n\r\n", "GET /2 HTTP/1.1\r\nHost: t\r\n\r\n",
                "POST /3 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"};
        String[] responses = {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n22",
                "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\n333"};
        onLoop(relay -> {
            MemoryTransport client = relay.open();
            client.deliver(String.join("", requests));
            relay.settle();
            for (int k = 0; k < requests.length; k++) {
                MemoryTransport server = relay.serverThatReceived();
                assertEquals(requests[k], server.takeWritten(), "only request " + (k + 1) + " is at the server");
                assertEquals("", client.takeWritten(), "nothing answered before the server answers");
                server.deliver(responses[k]);
                relay.settle();
                assertEquals(responses[k], client.takeWritten());
            }
            assertFalse(client.isClosed());
        });
    }

    @Test
    void serverClosingBeforeItsResponseIsAnswered502AndTheClientClosed() throws Exception {
        onLoop(relay -> {
            MemoryTransport client = relay.open();
            client.deliver("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
            relay.settle();
            MemoryTransport server = relay.serverThatReceived();
            server.deliverEnd();
            relay.settle();
            String answer = client.takeWritten();
            assertTrue(answer.startsWith("HTTP/1.") && answer.substring(0, answer.indexOf('\r')).contains(" 502 "), answer);
            assertTrue(client.isClosed());
            assertTrue(server.isClosed());
        });
    }

    @Test
    void refusedConnectsAreRetriedThenAnswered503() throws Exception {
        onLoop(relay -> {
            relay.serverUp = false;
            MemoryTransport client = relay.open();
            client.deliver("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
            relay.settle();
            String answer = client.takeWritten();
            assertTrue(answer.substring(0, answer.indexOf('\r')).contains(" 503 "), answer);
            int retries = relay.frontend.retries;
            assertEquals(retries + 1, relay.connectAttempts, "the first connect and 'retries' more");
            assertTrue(client.isClosed());
        });
    }

    @Test
    void aSlowClientStopsTheServerReadsUntilItTakesMore() throws Exception {
        String body = "0123456789abcdef".repeat(6_000);     // 96,000 bytes: several receive buffers
        String response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        onLoop(relay -> {
            MemoryTransport client = relay.open();
            client.deliver("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
            relay.settle();
            MemoryTransport server = relay.serverThatReceived();
            server.takeWritten();
            client.window(1000);
            server.deliver(response);
            relay.settle();
            assertEquals(1000, client.writtenCount(), "the client took only what its window allowed");
            assertTrue(server.unread() > response.length() - 2 * Engine.BUFFER_SIZE,
                    "the relay stopped reading the server while the client could take nothing: " + server.unread());
            StringBuilder got = new StringBuilder(client.takeWritten());
            for (int round = 0; round < 10_000 && got.length() < response.length(); round++) {
                client.window(4096);
                relay.settle();
                got.append(client.takeWritten());
            }
            assertEquals(response, got.toString());
            assertFalse(client.isClosed());
        });
    }

    @Test
    void aFirstRequestReadAtOnceIsForwardedWithoutReadInterestAndAClientThatLeavesIsSeenAtTheFirstTimerTick() throws Exception {
        String request = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n";
        Relay relay = onLoopCall(Relay::new);
        MemoryTransport client = onLoopCall(() -> relay.openWith(request));
        MemoryTransport server = onLoopCall(() -> {
            MemoryTransport s = relay.serverThatReceived();
            assertEquals(request, s.takeWritten(), "read and forwarded right after accept");
            assertFalse(client.readInterest(), "the first exchange runs without read interest on the client");
            client.deliverEnd();      // the client leaves before the answer
            relay.settle();
            assertFalse(s.isClosed(), "a client that left is noticed at the first timer tick, not before");
            return s;
        });
        long tickMs = relay.frontend.timerTickMs;
        assertTrue(tickMs > 0, "the default timeouts give the connection a timer");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10 * tickMs + 10_000);
        while (!onLoopCall(() -> {
            relay.settle();         // what a selector does once the tick armed read interest
            return client.isClosed();
        })) {
            assertTrue(System.nanoTime() < deadline, "the client that left was never noticed");
            Thread.sleep(Math.max(1, tickMs / 10));
        }
        assertTrue(onLoopCall(server::isClosed), "its server connection closed with it");
        assertEquals("", onLoopCall(client::takeWritten), "nothing was answered to a client that left");
    }

    @Test
    void aKeepAliveClientWhoseFirstRequestWasReadAtOnceIsReadAgainAfterTheResponse() throws Exception {
        String request = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n";
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        onLoop(relay -> {
            MemoryTransport client = relay.openWith(request);
            MemoryTransport server = relay.serverThatReceived();
            assertEquals(request, server.takeWritten());
            deliverSplit(relay, server, response, response.length() / 2);
            assertEquals(response, client.takeWritten());
            assertTrue(client.readInterest(), "between exchanges the relay waits for the next request");
            for (int i = 0; i <= request.length(); i++) exchange(relay, client, request, i, response, response.length() / 2);
            assertEquals(1, relay.connectAttempts, "the server connection was kept and reused");
        });
    }

    @Test
    void aFirstRequestWithABodyStillArrivingIsReadAsTheBodyComes() throws Exception {
        String head = "POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello";
        String rest = " world";
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        onLoop(relay -> {
            MemoryTransport client = relay.openWith(head);
            client.deliver(rest);
            relay.settle();
            MemoryTransport server = relay.serverThatReceived();
            assertEquals(head + rest, server.takeWritten(), "the body that came later was read and forwarded");
            server.deliver(response);
            relay.settle();
            assertEquals(response, client.takeWritten());
            assertFalse(client.isClosed());
        });
    }

    @Test
    /** A connection upgraded by a 101: the client and server transports, tunnelled. */
    private static MemoryTransport[] upgraded(Relay relay) {
        MemoryTransport client = relay.open();
        client.deliver("GET /chat HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        relay.settle();
        MemoryTransport server = relay.serverThatReceived();
        server.takeWritten();
        server.deliver("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        relay.settle();
        assertTrue(client.takeWritten().startsWith("HTTP/1.1 101 "));
        client.deliver("ping");
        relay.settle();
        assertEquals("ping", server.takeWritten(), "tunnelled");
        return new MemoryTransport[] {client, server};
    }

    @Test
    void aClientFinHalfClosesTheTunnelAndTheServerGoesOnAnswering() throws Exception {
        onLoop(relay -> {
            MemoryTransport[] t = upgraded(relay);
            MemoryTransport client = t[0], server = t[1];
            client.deliver("last words");
            client.deliverEnd();
            relay.settle();
            assertEquals("last words", server.takeWritten(), "what came before the FIN goes out first");
            assertTrue(server.isOutputShutdown(), "the FIN is passed on to the server");
            assertFalse(server.isClosed());
            assertFalse(client.isClosed());
            server.deliver("the answer after the client's FIN");
            relay.settle();
            assertEquals("the answer after the client's FIN", client.takeWritten());
            server.deliverEnd();
            relay.settle();
            assertTrue(client.isClosed(), "both directions ended: the session closes");
            assertTrue(server.isClosed());
        });
    }

    @Test
    void aServerConnectionThatIsNotKeptIsDiscardedAndTheNextRequestConnectsAgain() throws Exception {
        String request = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n";
        String closing = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        String keeping = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        onLoop(relay -> {
            MemoryTransport client = relay.open();
            client.deliver(request);
            relay.settle();
            MemoryTransport first = relay.serverThatReceived();
            first.takeWritten();
            first.deliver(closing);
            relay.settle();
            assertEquals(closing.replace("Connection: close\r\n", ""), client.takeWritten().replace("Connection: close\r\n", ""));
            assertTrue(first.isClosed(), "a server connection that says close is closed after its exchange");
            assertTrue(first.wasDiscarded(), "closed as a connection that is done with, not shut down first");
            client.deliver(request);
            relay.settle();
            MemoryTransport second = relay.serverThatReceived();
            assertNotSame(first, second, "not pooled: the next request has a connection of its own");
            assertEquals(2, relay.connectAttempts);
            assertEquals(request, second.takeWritten());
            second.deliver(keeping);
            relay.settle();
            assertEquals(keeping, client.takeWritten());
            assertFalse(second.isClosed(), "a keep-alive server connection goes back to its pool, open");
            assertFalse(second.wasDiscarded());
        });
    }

    @Test
    void aServerFinHalfClosesTheTunnelAndTheClientGoesOnSending() throws Exception {
        onLoop(relay -> {
            MemoryTransport[] t = upgraded(relay);
            MemoryTransport client = t[0], server = t[1];
            server.deliver("bye");
            server.deliverEnd();
            relay.settle();
            assertEquals("bye", client.takeWritten());
            assertTrue(client.isOutputShutdown(), "the FIN is passed on to the client");
            assertFalse(client.isClosed());
            client.deliver("still uploading");
            relay.settle();
            assertEquals("still uploading", server.takeWritten());
            client.deliverEnd();
            relay.settle();
            assertTrue(client.isClosed());
            assertTrue(server.isClosed());
        });
    }

    /**
     * on-marked-down shutdown-sessions: a connect that began while the server was up and completes
     * just after the server was marked down (after the transition ended the tracked connections) is
     * ended as well. The steps run as separate tasks of the loop, as the real IO thread runs them.
     */
    @Test
    void aConnectCompletingJustAfterItsServerWasMarkedDownIsShutDown() throws Exception {
        Relay[] relay = new Relay[1];
        MemoryTransport[] client = new MemoryTransport[1];
        CompletableFuture<Void> marked = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                relay[0] = new Relay(io.tidegate.config.MarkedActions.NONE.onMarkedDown(true));
                client[0] = relay[0].open();
                client[0].deliver("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
                client[0].pump();                                       // the request is read, the connect starts
                assertEquals(1, relay[0].connecting.size(), "the connect is in progress");
                relay[0].frontend.backend().servers().get(0).setUp(false);  // marked down: nothing tracked to end yet
                relay[0].settle();                                      // the connect completes now
                assertEquals(1, relay[0].servers.size());
                marked.complete(null);
            } catch (Throwable t) {
                marked.completeExceptionally(t);
            }
        });
        marked.get(60, TimeUnit.SECONDS);
        CompletableFuture<Void> checked = new CompletableFuture<>();
        loop.execute(() -> {                                            // after the tasks the connect queued
            try {
                relay[0].settle();
                MemoryTransport server = relay[0].servers.get(0);
                assertTrue(server.isClosed(), "the late connection to the server marked down is ended");
                assertTrue(client[0].isClosed(), "and so is the session that used it");
                checked.complete(null);
            } catch (Throwable t) {
                checked.completeExceptionally(t);
            }
        });
        checked.get(60, TimeUnit.SECONDS);
    }

    /**
     * timeout client-fin: once the client's FIN was passed on, the tunnel may stay idle that long
     * (here 50 ms, while the tunnel timeout is an hour). The loop's timers run between the steps.
     */
    @Test
    void theClientFinTimeoutEndsAnIdleHalfClosedTunnel() throws Exception {
        io.tidegate.config.Timeouts timeouts = ProxyFixture.TIMEOUTS
                .withClient(Duration.ofHours(1)).withServer(Duration.ofHours(1)).withTunnel(Duration.ofHours(1))
                .withClientFin(Duration.ofMillis(50));
        EnginePlan plan = plan(frontend().withBinds(List.of(FRONT)).withTimeouts(timeouts),
                backendPlan(List.of(server("s1", SERVER, 1))).withTimeouts(timeouts));
        Relay[] relay = new Relay[1];
        MemoryTransport[][] t = new MemoryTransport[1][];
        CompletableFuture<Void> halfClosed = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                relay[0] = new Relay(plan);
                t[0] = upgraded(relay[0]);
                t[0][0].deliverEnd();
                relay[0].settle();
                assertTrue(t[0][1].isOutputShutdown());
                assertFalse(t[0][0].isClosed(), "half-closed, not closed");
                halfClosed.complete(null);
            } catch (Throwable e) {
                halfClosed.completeExceptionally(e);
            }
        });
        halfClosed.get(60, TimeUnit.SECONDS);
        boolean closed = false;
        for (int i = 0; i < 1_000 && !closed; i++) {         // bounded: at most ~10 s
            Thread.sleep(10);
            CompletableFuture<Boolean> look = new CompletableFuture<>();
            loop.execute(() -> look.complete(t[0][0].isClosed() && t[0][1].isClosed()));
            closed = look.get(10, TimeUnit.SECONDS);
        }
        assertTrue(closed, "the fin timeout ended the half-closed tunnel (its tunnel timeout is an hour)");
    }

    // ------------------------------------------------------------------ option http-buffer-request

    /** A relay whose frontend "fe" waits for request bodies and shows the rules' view of them in request headers. */
    private static Relay bufferingRelay(String frontendLines) throws Exception {
        return bufferingRelay(frontendLines, "");
    }

    private static Relay bufferingRelay(String frontendLines, String backendLines) throws Exception {
        String text = """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend fe
                    bind 127.0.0.1:8080
                %s
                    default_backend be
                backend be
                %s
                    server s1 127.0.0.1:9
                """.formatted(frontendLines, backendLines);
        var loaded = io.tidegate.config.ConfigLoader.loadSources(
                List.of(new io.tidegate.config.ConfigSource("buffer.cfg", text)), io.tidegate.config.SupportedFeatures.CURRENT);
        return new Relay(PlanBuilder.from(loaded.config()));
    }

    private static final String SHOW_BODY = """
                option http-buffer-request
                http-request set-header X-Body-Len %[req.body_len]
                http-request set-header X-Body-Size %[req.body_size]
                http-request set-header X-User %[req.body_param(user)]
                http-request set-header X-Body %[req.body]
            """;

    /** The request as the server must see it: the rules' headers before the empty line, the body as sent. */
    private static String forwarded(String head, String rawBody, String payload, long size) {
        String user = payload.replaceAll("^(?:.*&)?user=([^&]*).*$", "$1");
        return head + "X-Body-Len: " + payload.length() + "\r\nX-Body-Size: " + size + "\r\nX-User: " + user
                + "\r\nX-Body: " + payload + "\r\n\r\n" + rawBody;
    }

    @Test
    void aBufferedBodyIsWholeForTheRulesAtEverySplitPointAndNothingReachesTheServerBefore() throws Exception {
        String payload = "user=alice&tag=a%20b&n=42";
        String head = "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: " + payload.length() + "\r\n";
        String request = head + "\r\n" + payload;
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        onLoopCall(() -> {
            Relay relay = bufferingRelay(SHOW_BODY);
            MemoryTransport client = relay.open();
            for (int i = 1; i < request.length(); i++) {
                client.deliver(request.substring(0, i));
                relay.settle();
                assertTrue(relay.servers.stream().allMatch(srv -> srv.writtenCount() == 0),
                        "nothing forwarded before the whole body is here (split at " + i + ")");
                client.deliver(request.substring(i));
                relay.settle();
                MemoryTransport server = relay.serverThatReceived();
                assertEquals(forwarded(head, payload, payload, payload.length()), server.takeWritten(), "split at " + i);
                server.deliver(response);
                relay.settle();
                assertEquals(response, client.takeWritten());
                assertFalse(client.isClosed(), "keep-alive goes on after a buffered request");
            }
            return null;
        });
    }

    @Test
    void aChunkedBodyIsDecodedForTheRulesAndForwardedAsSentAtEverySplitPoint() throws Exception {
        String payload = "user=bob&x=1";
        String raw = "5\r\nuser=\r\n3;ext=1\r\nbob\r\n4\r\n&x=1\r\n0\r\nX-Trailer: 1\r\n\r\n";
        String head = "POST /form HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n";
        String request = head + "\r\n" + raw;
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        onLoopCall(() -> {
            Relay relay = bufferingRelay(SHOW_BODY);
            MemoryTransport client = relay.open();
            for (int i = 1; i < request.length(); i++) {
                client.deliver(request.substring(0, i));
                relay.settle();
                assertTrue(relay.servers.stream().allMatch(srv -> srv.writtenCount() == 0), "split at " + i);
                client.deliver(request.substring(i));
                relay.settle();
                MemoryTransport server = relay.serverThatReceived();
                assertEquals(forwarded(head, raw, payload, payload.length()), server.takeWritten(), "split at " + i);
                server.deliver(response);
                relay.settle();
                assertEquals(response, client.takeWritten());
            }
            return null;
        });
    }

    @Test
    void expectContinueIsAnsweredByTheProxyAndNotForwarded() throws Exception {
        String payload = "user=carol";
        String head = "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: " + payload.length() + "\r\n";
        onLoopCall(() -> {
            Relay relay = bufferingRelay(SHOW_BODY);
            MemoryTransport client = relay.open();
            client.deliver(head + "Expect: 100-continue\r\n\r\n");
            relay.settle();
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", client.takeWritten(), "the proxy tells the client to send its body");
            assertEquals(0, relay.connectAttempts, "no server before the body");
            client.deliver(payload);
            relay.settle();
            assertEquals(forwarded(head, payload, payload, payload.length()), relay.serverThatReceived().takeWritten(),
                    "the Expect header was consumed by the proxy");
            return null;
        });
    }

    @Test
    void aBodyLargerThanTheBufferIsForwardedWithoutWaitingForTheRest() throws Exception {
        String payload = "user=dave&pad=" + "x".repeat(40_000);
        String head = "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + payload.length() + "\r\n";
        onLoopCall(() -> {
            Relay relay = bufferingRelay("""
                        option http-buffer-request
                        http-request set-header X-Body-Len %[req.body_len]
                        http-request set-header X-Body-Size %[req.body_size]
                        http-request set-header X-User %[req.body_param(user)]
                    """);
            MemoryTransport client = relay.open();
            String first = head + "\r\n" + payload.substring(0, 20_000);
            client.deliver(first);
            relay.settle();
            MemoryTransport server = relay.serverThatReceived();
            String got = server.takeWritten();
            int headEnd = got.indexOf("\r\n\r\n") + 4;
            int seen = Integer.parseInt(got.replaceAll("(?s).*X-Body-Len: (\\d+)\r\n.*", "$1"));
            int received = head.length() + 2;
            assertTrue(seen >= RequestBodyWait.LIMIT - received && seen <= Engine.BUFFER_SIZE - received,
                    "the rules saw a receive buffer's worth: " + seen);
            assertTrue(got.contains("X-Body-Size: " + payload.length() + "\r\n"), "the announced size");
            assertTrue(got.contains("X-User: dave\r\n"), got.substring(0, headEnd));
            client.deliver(payload.substring(20_000));
            relay.settle();
            assertEquals(payload, got.substring(headEnd) + server.takeWritten(), "the whole body went on as it came");
            return null;
        });
    }

    @Test
    void aBodyThatDoesNotArriveWithinTimeoutHttpRequestIsAnswered408() throws Exception {
        Relay relay = onLoopCall(() -> bufferingRelay("""
                    option http-buffer-request
                    timeout http-request 100ms
                """));
        MemoryTransport client = onLoopCall(() -> {
            MemoryTransport c = relay.open();
            c.deliver("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
            relay.settle();
            return c;
        });
        String answer = "";
        for (int i = 0; i < 1_000 && answer.isEmpty(); i++) {      // bounded: at most ~10 s
            Thread.sleep(10);
            answer = onLoopCall(() -> {
                relay.settle();
                return client.takeWritten();
            });
        }
        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
        assertTrue(onLoopCall(client::isClosed));
        assertEquals(0, (int) onLoopCall(() -> relay.connectAttempts), "the request never reached a server");
    }

    @Test
    void withoutTheOptionTheRulesSeeOnlyWhatCameWithTheHeadAndTheBodyIsNotWaitedFor() throws Exception {
        String payload = "user=erin";
        String head = "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: " + payload.length() + "\r\n";
        onLoopCall(() -> {
            Relay relay = bufferingRelay("""
                        http-request set-header X-Body-Len %[req.body_len]
                    """);
            MemoryTransport client = relay.open();
            client.deliver(head + "\r\nuser");
            relay.settle();
            MemoryTransport server = relay.serverThatReceived();
            assertEquals(head + "X-Body-Len: 4\r\n\r\nuser", server.takeWritten(), "forwarded at once");
            client.deliver("=erin");
            relay.settle();
            assertEquals("=erin", server.takeWritten());
            return null;
        });
    }

    @Test
    void theOptionInTheBackendWaitsAfterTheFrontendsRulesAndBeforeTheBackends() throws Exception {
        String payload = "user=frank&role=ops";
        String head = "POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: " + payload.length() + "\r\n";
        onLoopCall(() -> {
            Relay relay = bufferingRelay("""
                        http-request set-header X-Front-Len %[req.body_len]
                    """, """
                        option http-buffer-request
                        http-request set-header X-Back-Len %[req.body_len]
                    """);
            MemoryTransport client = relay.open();
            client.deliver(head + "\r\nuser=");
            relay.settle();
            assertEquals(0, relay.connectAttempts, "the backend's option holds the request");
            client.deliver(payload.substring(5));
            relay.settle();
            assertEquals(head + "X-Front-Len: 5\r\nX-Back-Len: " + payload.length() + "\r\n\r\n" + payload,
                    relay.serverThatReceived().takeWritten(), "the frontend's rules ran at once, the backend's on the whole body");
            return null;
        });
    }

    @Test
    void pipelinedBufferedRequestsGoOutOneAtATimeEachWithItsOwnBody() throws Exception {
        String[] payloads = {"user=a1", "user=b22&k=v", "user=c333"};
        String[] heads = new String[payloads.length];
        StringBuilder all = new StringBuilder();
        for (int k = 0; k < payloads.length; k++) {
            heads[k] = "POST /" + k + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + payloads[k].length() + "\r\n";
            all.append(heads[k]).append("\r\n").append(payloads[k]);
        }
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        onLoopCall(() -> {
            Relay relay = bufferingRelay(SHOW_BODY);
            MemoryTransport client = relay.open();
            client.deliver(all.toString().substring(0, all.length() - 3));      // the last body is cut short
            relay.settle();
            for (int k = 0; k < payloads.length; k++) {
                if (k == payloads.length - 1) {
                    assertTrue(relay.servers.stream().allMatch(srv -> srv.writtenCount() == 0), "the last waits for its body");
                    client.deliver(all.substring(all.length() - 3));
                    relay.settle();
                }
                MemoryTransport server = relay.serverThatReceived();
                assertEquals(forwarded(heads[k], payloads[k], payloads[k], payloads[k].length()), server.takeWritten());
                server.deliver(response);
                relay.settle();
                assertEquals(response, client.takeWritten());
            }
            assertFalse(client.isClosed());
            return null;
        });
    }

    // ------------------------------------------------------------------ compression

    /** The body of a chunked response as the client got it, its chunks joined, then gunzipped. */
    private static String gunzipChunked(String response) throws java.io.IOException {
        int headEnd = response.indexOf("\r\n\r\n") + 4;
        byte[] raw = response.substring(headEnd).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] gz = Dechunk.decode(raw);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aCompressedResponseSurvivesByteByByteDeliveryAndKeepAliveGoesOn() throws Exception {
        String body = "compress me, compress me, ".repeat(20);
        String request = "GET /p HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n";
        String[] responses = {
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(body.length() - 7) + "\r\n" + body.substring(0, body.length() - 7) + "\r\n7\r\n"
                        + body.substring(body.length() - 7) + "\r\n0\r\nX-Checksum: abc\r\n\r\n"};
        onLoopCall(() -> {
            Relay relay = bufferingRelay("    compression algo gzip\n");
            MemoryTransport client = relay.open();
            for (int round = 0; round < 4; round++) {
                client.deliver(request);
                relay.settle();
                MemoryTransport server = relay.serverThatReceived();
                assertEquals(request, server.takeWritten());
                deliverByteByByte(relay, server, responses[round % 2]);
                String got = client.takeWritten();
                assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n") && got.contains("\r\nContent-Encoding: gzip\r\n")
                        && got.contains("\r\nTransfer-Encoding: chunked\r\n") && !got.contains("Content-Length"), got);
                assertEquals(body, gunzipChunked(got), "round " + round);
                assertTrue(got.endsWith("\r\n0\r\n" + (round % 2 == 1 ? "X-Checksum: abc\r\n" : "") + "\r\n"),
                        "the trailers follow the last chunk: " + got.substring(got.length() - 30));
                assertFalse(client.isClosed(), "keep-alive after a compressed response");
            }
            assertEquals(1, relay.connectAttempts, "the server connection was reused");
            return null;
        });
    }

    @Test
    void aCompressedResponseToASlowClientStopsTheServerReadsAndArrivesWhole() throws Exception {
        StringBuilder b = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (b.length() < 200_000) b.append(Integer.toHexString(random.nextInt(4096))).append(' ');  // compresses ~2:1
        String body = b.toString();
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        onLoopCall(() -> {
            Relay relay = bufferingRelay("    compression algo gzip\n");
            MemoryTransport client = relay.open();
            client.deliver("GET /big HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n");
            relay.settle();
            MemoryTransport server = relay.serverThatReceived();
            server.takeWritten();
            client.window(1000);
            server.deliver(response);
            relay.settle();
            assertEquals(1000, client.writtenCount());
            assertTrue(server.unread() > response.length() - 4 * Engine.BUFFER_SIZE,
                    "the relay stopped reading the server while the client took nothing: " + server.unread());
            StringBuilder got = new StringBuilder(client.takeWritten());
            for (int round = 0; round < 10_000 && !got.toString().endsWith("\r\n0\r\n\r\n"); round++) {
                client.window(4096);
                relay.settle();
                got.append(client.takeWritten());
            }
            assertEquals(body, gunzipChunked(got.toString()));
            assertFalse(client.isClosed());
            return null;
        });
    }

    // ------------------------------------------------------------------ content inspection (mode tcp)

    /** A relay of frontend fe (mode tcp) with {@code rules} and backends be (s1) and other (s2), and other backend lines. */
    private static Relay tcpRelay(String frontendLines, String backendLines) throws Exception {
        return new Relay(PlanBuilder.from(io.tidegate.config.ConfigLoader.load("t.cfg", """
                defaults
                    mode tcp
                    timeout client 30s
                    timeout server 30s
                    timeout connect 5s
                frontend fe
                    bind 127.0.0.1:8080
                %s
                    default_backend be
                backend be
                %s
                    server s1 127.0.0.1:9
                    server s2 127.0.0.1:10
                backend other
                    server o1 127.0.0.1:11
                """.formatted(frontendLines.indent(4), backendLines.indent(4))).config()));
    }

    private static <T> T onTcpLoop(String frontendLines, String backendLines,
                                   java.util.function.Function<Relay, T> body) throws Exception {
        return onLoopCall(() -> body.apply(tcpRelay(frontendLines, backendLines)));
    }

    private static final String PING_RULES = """
            tcp-request inspect-delay 30s
            tcp-request content accept if { req.payload(0,4) -m str PING }
            tcp-request content reject
            """;

    @Test
    void contentRulesWaitForTheBytesTheyNeedThenTheServerGetsEverything() throws Exception {
        onTcpLoop(PING_RULES, "", relay -> {
            MemoryTransport client = relay.open();
            for (String part : new String[] {"P", "I", "N"}) {
                client.deliver(part);
                relay.settle();
                assertEquals(0, relay.connectAttempts, "no server before the rules can tell (" + part + ")");
                assertFalse(client.isClosed());
            }
            client.deliver("G and more");
            relay.settle();
            assertEquals(1, relay.connectAttempts, "accepted: the server is chosen");
            assertEquals("PING and more", relay.serverThatReceived().takeWritten(), "the inspected bytes go out first");
            return null;
        });
    }

    @Test
    void contentRulesRejectAsSoonAsTheyCanTell() throws Exception {
        onTcpLoop(PING_RULES, "", relay -> {
            MemoryTransport client = relay.open();
            client.deliver("PO");
            relay.settle();
            assertFalse(client.isClosed(), "req.payload(0,4) has no value before 4 bytes came: the rules wait");
            client.deliver("KE");
            relay.settle();
            assertTrue(client.isClosed(), "'POKE' is not 'PING': rejected at once");
            assertEquals(0, relay.connectAttempts);
            return null;
        });
    }

    @Test
    void aClientThatEndsEarlyIsJudgedOnWhatItSent() throws Exception {
        onTcpLoop(PING_RULES, "", relay -> {
            MemoryTransport client = relay.open();
            client.deliver("PIN");
            client.deliverEnd();
            relay.settle();
            assertTrue(client.isClosed(), "final: 'maybe' counts as no match, the reject rule applies");
            assertEquals(0, relay.connectAttempts);
            return null;
        });
        onTcpLoop("tcp-request inspect-delay 30s\ntcp-request content accept if WAIT_END", "", relay -> {
            MemoryTransport client = relay.open();
            client.deliver("all of it");
            relay.settle();
            assertEquals(0, relay.connectAttempts, "WAIT_END waits while the client sends");
            client.deliverEnd();
            relay.settle();
            assertEquals(1, relay.connectAttempts, "the client's end ends the wait");
            assertEquals("all of it", relay.serverThatReceived().takeWritten());
            return null;
        });
    }

    @Test
    void withoutInspectDelayTheRulesRunAtOnceOnWhatIsThere() throws Exception {
        onTcpLoop("tcp-request content accept if { req.payload(0,4) -m str PING }\ntcp-request content reject", "",
                relay -> {
                    MemoryTransport client = relay.open();
                    assertTrue(client.isClosed(), "nothing arrived with the connection: no match, rejected");
                    return null;
                });
        onTcpLoop("tcp-request content accept if { req.payload(0,4) -m str PING }\ntcp-request content reject", "",
                relay -> {
                    MemoryTransport client = relay.openWith("PING now");
                    assertFalse(client.isClosed(), "what arrived with the connection is read first");
                    assertEquals(1, relay.connectAttempts);
                    return null;
                });
    }

    @Test
    void sniRoutesAfterTheHelloTypeRuleWaitedForTheWholeHello() throws Exception {
        byte[] hello = ContentFetchesTest.jdkClientHello("b.example");
        String rules = """
                tcp-request inspect-delay 30s
                tcp-request content accept if { req_ssl_hello_type 1 }
                use_backend other if { req_ssl_sni -i B.example }
                """;
        for (int split = 1; split < hello.length; split += 37) {
            int at = split;
            onTcpLoop(rules, "", relay -> {
                MemoryTransport client = relay.open();
                client.deliver(java.util.Arrays.copyOf(hello, at));
                relay.settle();
                assertEquals(0, relay.connectAttempts, "split at " + at);
                client.deliver(java.util.Arrays.copyOfRange(hello, at, hello.length));
                relay.settle();
                assertEquals(List.of("o1"), relay.dialed, "routed by SNI, split at " + at);
                assertEquals(hello.length, relay.serverThatReceived().takeWritten().length());
                return null;
            });
        }
    }

    @Test
    void rdpCookieBalancingHashesTheCookieAndFallsBackToRoundRobin() throws Exception {
        String rules = "tcp-request inspect-delay 30s\ntcp-request content accept if RDP_COOKIE";
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(onTcpLoop(rules, "balance rdp-cookie", relay -> {
                MemoryTransport client = relay.open();
                client.deliver(ContentFetchesTest.rdpRequest("mstshash=alice"));
                relay.settle();
                return relay.dialed.get(0);
            }));
        }
        assertEquals(1, chosen.stream().distinct().count(), "one cookie, one server: " + chosen);
        List<String> other = new ArrayList<>();
        for (String user : new String[] {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}) {
            other.add(onTcpLoop(rules, "balance rdp-cookie(mstshash)", relay -> {
                MemoryTransport client = relay.open();
                client.deliver(ContentFetchesTest.rdpRequest("mstshash=" + user));
                relay.settle();
                return relay.dialed.get(0);
            }));
        }
        assertEquals(2, other.stream().distinct().count(), "the users spread over both servers: " + other);
        // no cookie: round robin over the servers (each relay starts its own rotation)
        onTcpLoop("tcp-request inspect-delay 30s\ntcp-request content accept if WAIT_END", "balance rdp-cookie", relay -> {
            for (int i = 0; i < 2; i++) {
                MemoryTransport client = relay.open();
                client.deliver("no cookie here");
                client.deliverEnd();
                relay.settle();
            }
            assertEquals(List.of("s1", "s2"), relay.dialed, "round robin without a cookie");
            return null;
        });
    }

    @Test
    void theChosenBackendsContentRulesRunAfterTheFrontendChoseIt() throws Exception {
        String backendRules = """
                tcp-request inspect-delay 30s
                tcp-request content reject if { req.payload(0,3) -m str BAD }
                tcp-request content accept if { req.len ge 3 }
                """;
        onTcpLoop("", backendRules, relay -> {
            MemoryTransport client = relay.open();
            client.deliver("BA");
            relay.settle();
            assertEquals(0, relay.connectAttempts, "the backend's rules wait for 3 bytes");
            client.deliver("D");
            relay.settle();
            assertTrue(client.isClosed(), "rejected by the backend's rule");
            MemoryTransport good = relay.open();
            good.deliver("OK!");
            relay.settle();
            assertEquals(List.of("s1"), relay.dialed);
            assertEquals("OK!", relay.serverThatReceived().takeWritten());
            return null;
        });
        // a frontend routing on contents to a backend whose rules wait for more
        onTcpLoop("tcp-request inspect-delay 30s\ntcp-request content accept if { req.len ge 2 }\n"
                + "use_backend be if { req.payload(0,2) -m str GO }", backendRules, relay -> {
            MemoryTransport client = relay.open();
            client.deliver("GO");
            relay.settle();
            assertEquals(0, relay.connectAttempts, "routed to be, whose rules want 3 bytes");
            client.deliver("!");
            relay.settle();
            assertEquals(List.of("s1"), relay.dialed);
            return null;
        });
    }

    @Test
    void aBackendNamedByTheServerName() throws Exception {
        byte[] hello = ContentFetchesTest.jdkClientHello("OTHER");
        onTcpLoop("tcp-request inspect-delay 30s\ntcp-request content accept if { req_ssl_hello_type 1 }\n"
                + "use_backend %[req.ssl_sni,lower]", "", relay -> {
            MemoryTransport client = relay.open();
            client.deliver(hello);
            relay.settle();
            assertEquals(List.of("o1"), relay.dialed, "use_backend %[req.ssl_sni,lower] names backend 'other'");
            return null;
        });
    }

    @Test
    void persistRdpCookieSendsTheClientToTheServerItsCookieNames() throws Exception {
        // Microsoft's routing token for 127.0.0.1:10: the address and port as little-endian integers
        long address = 127L | 1L << 24;
        int port = 10 << 8;
        String rules = "tcp-request inspect-delay 30s\ntcp-request content accept if RDP_COOKIE";
        onTcpLoop(rules, "persist rdp-cookie", relay -> {
            for (int i = 0; i < 3; i++) {
                MemoryTransport client = relay.open();
                client.deliver(ContentFetchesTest.rdpRequest("msts=" + address + "." + port + ".0000"));
                relay.settle();
            }
            assertEquals(List.of("s2", "s2", "s2"), relay.dialed, "the server the cookie names, every time");
            MemoryTransport other = relay.open();
            other.deliver(ContentFetchesTest.rdpRequest("msts=1.2.0000"));
            relay.settle();
            assertEquals("s1", relay.dialed.get(3), "a cookie naming no server: balanced");
            return null;
        });
    }

    @Test
    void aBodyTheBackendWaitsForIsBoundByTheBackendsTimeoutHttpRequest() throws Exception {
        Relay relay = onLoopCall(() -> bufferingRelay("", """
                    option http-buffer-request
                    timeout http-request 100ms
                """));
        MemoryTransport client = onLoopCall(() -> {
            MemoryTransport c = relay.open();
            c.deliver("POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
            relay.settle();
            return c;
        });
        String answer = "";
        for (int i = 0; i < 1_000 && answer.isEmpty(); i++) {      // bounded: at most ~10 s (the client timeout is 30 s)
            Thread.sleep(10);
            answer = onLoopCall(() -> {
                relay.settle();
                return client.takeWritten();
            });
        }
        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
        assertEquals(0, (int) onLoopCall(() -> relay.connectAttempts));
    }
}
