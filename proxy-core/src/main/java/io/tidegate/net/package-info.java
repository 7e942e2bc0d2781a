/**
 * The engine's networking: one {@link io.tidegate.net.EventLoop} per IO thread, each with its own
 * JDK NIO selector, timers and task queue.
 *
 * <p>A {@link io.tidegate.net.ListeningSocket} is selected by every loop and accepted on the loop
 * that saw it ready; {@link io.tidegate.net.EventLoop#connect} opens server connections on the
 * calling loop; a {@link io.tidegate.net.NioConnection} never leaves its loop. So the data path
 * takes no lock and hands nothing between threads. Other threads (JMX, health checks, queue
 * grants) reach a loop through {@link io.tidegate.net.EventLoop#execute}, which wakes the selector
 * only when the loop sleeps in it. After its last event a loop polls for a short while before it
 * sleeps (see {@code Engine.spinNanos}), which keeps wake-ups off the clients' and servers' CPUs
 * under load.
 *
 * <p>This replaced XNIO's worker on the data path (issue 6): XNIO 3.8 accepts on a separate thread
 * and hands every connection over, and runs an extra {@code selectNow} for every close; with a
 * connection per request that was most of the proxy's CPU. Health checks run on these loops too,
 * so the engine has one IO stack.
 */
package io.tidegate.net;
