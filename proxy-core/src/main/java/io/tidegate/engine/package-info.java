/**
 * Tidegate's data path: an HTTP/1.1 (and TCP) relay on the engine's own event loops
 * ({@link io.tidegate.net}: one JDK NIO selector per IO thread).
 *
 * <h2>Shape</h2>
 * {@link io.tidegate.engine.Engine} owns its event loops (threads {@code tidegate-io-N}; every
 * loop accepts, connects, relays and closes its own connections, so nothing changes threads) and builds
 * a runtime graph from an {@link io.tidegate.engine.EnginePlan} (made from a
 * {@link io.tidegate.config.Config} by {@link io.tidegate.engine.PlanBuilder}):
 * {@code Listener} (one per bind) → {@code RuntimeFrontend} → {@code RuntimeBackend}
 * ({@code ServerRotation}: {@code SmoothWeightedRoundRobin} or, for many servers,
 * {@code DeadlineRoundRobin}; {@code CookieIndex} for cookie persistence) → {@code RuntimeServer} (live weight and
 * state, counters, idle connections per IO thread).
 *
 * <h2>One client connection</h2>
 * A {@code ClientConnection} carries the exchanges of one client connection on that connection's IO
 * thread, in four hops named in the code: {@code ClientConnection.clientToProxy} (read, parse the head
 * as far as framing and the fields Tidegate acts on), {@code UpstreamLeg.proxyToServer} (head, edited
 * only when needed, then the body as received), {@code UpstreamLeg.serverToProxy} and
 * {@code ClientConnection.proxyToClient} (the same for the response). The request in progress is one
 * {@code Exchange} (heads, {@code RequestPhase}/{@code ResponsePhase}, timings, log values and a
 * {@code Termination} of cause and phase), reused and restarted by {@code Exchange.begin}; each body is
 * followed by a {@code MessageCursor} (the same framing state for both directions). The
 * {@code UpstreamLeg} chooses the server, queues, connects, retries, redispatches and pools server
 * connections; {@code TcpRelay} moves raw bytes for {@code mode tcp} and after a 101. The relay
 * reads and writes through {@link io.tidegate.net.Transport} (a {@code NioConnection} in production), so
 * its unit tests can run it in memory. Heads that need no edit leave the receive buffer as they are,
 * in the same write as the body. Read interest stays armed; it is suspended only when the other side
 * cannot take more bytes. Server connections are opened on the connection's own IO thread and parked
 * per thread after a keep-alive exchange.
 *
 * <h2>Server slots and queues (S9)</h2>
 * Between the balancer's pick and {@code UpstreamLeg.connect} a request takes a slot of its server
 * ({@code RuntimeServer.tryStartRequest}: a CAS on the server's in-flight counter against its current
 * limit, {@link io.tidegate.engine.ServerLimits}); when the server is full it waits in a
 * {@code RequestQueue} (the server's own for a persistent request, the backend's otherwise). The
 * backend's {@code SlotDispatcher} hands each freed slot to the oldest waiter, on the waiter's IO
 * thread. Servers without {@code maxconn} never touch the dispatcher, and nothing is allocated or
 * locked on the request path while slots are free.
 *
 * <h2>Persistence cookies</h2>
 * The plan carries the configuration's {@code CookieSpec}; it becomes a backend's {@code PersistenceCookie} (bytes prepared once);
 * each exchange owns one {@code CookieExchange} that reads the request's cookie (choosing the
 * server, maxidle/maxlife dates in {@code CookieDate}), and that {@code HeadWriter} asks to rewrite
 * Cookie / Set-Cookie lines and to add the inserted cookie. Cookie values are walked in place by
 * {@link io.tidegate.http.CookieScanner}; nothing is allocated per request.
 *
 * <h2>Where the next features plug in</h2>
 * <ul>
 * <li>Health checks and admin state: {@code Engine.setServerUp / setServerWeight} act on
 *     {@code RuntimeServer}, read on every pick (no lock on the request path).</li>
 * </ul>
 *
 * <h2>Seamless reload (S10)</h2>
 * {@code Reload} binds the new addresses, builds a {@code RuntimeGraph} beside the running one
 * (servers that stay share their {@code ServerCounters} and hand over their state; frontends that
 * stay keep their {@code ConnectionLimit}), publishes it and points each kept {@code Listener} at its
 * new frontend: the socket is never closed. A session keeps its {@code RuntimeFrontend} for the
 * exchange in progress and re-reads its listener's frontend between exchanges (one volatile read
 * per request), so keep-alive clients follow the reload. {@code GraphRetirement} watches the
 * replaced graph until its last session left, applying {@code grace} and {@code hard-stop-after}
 * ({@code ReloadLimits}). For an EAR upgrade, {@code Engine.closeForUpgrade} parks the listening
 * sockets in {@link io.tidegate.net.ListenerParking} (JDK objects only) for the next deployment,
 * and {@code TunnelHandover} parks every tunnel (after 101, {@code mode tcp}: both sockets and the
 * bytes buffered each way) in {@link io.tidegate.net.ConnectionParking}; the next engine resumes
 * them as {@code ResumedTunnel}s at start.
 */
package io.tidegate.engine;

import io.tidegate.config.CookieSpec;
