package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.time.Duration;

/**
 * The {@code timeout} settings of one section. {@code null} = not written in this section.
 * In {@link Config#effective(ProxySection) effective settings} a {@code null} connect, client, server
 * or tunnel timeout means "no timeout", as in HAProxy; the derived ones are filled (see
 * {@link #withDerivedDefaults()}). The engine's plan carries these effective timeouts as they are;
 * HAProxy's fallback rules are written only here, and the runtime turns them into milliseconds once
 * per runtime graph.
 */
@RecordBuilder
@RecordBuilder.Options(builderMode = RecordBuilder.BuilderMode.STANDARD_AND_STAGED)
public record Timeouts(Duration connect, Duration client, Duration server, Duration queue, Duration httpRequest,
                       Duration httpKeepAlive, Duration tunnel, Duration check, Duration clientFin,
                       Duration serverFin) implements TimeoutsBuilder.With {

    /** Nothing written. */
    public static final Timeouts NONE = TimeoutsBuilder.builder().build();

    /** Each timeout of {@code this}, else the one of {@code base}. */
    public Timeouts over(Timeouts base) {
        return TimeoutsBuilder.stagedBuilder()
                .connect(pick(connect, base.connect))
                .client(pick(client, base.client))
                .server(pick(server, base.server))
                .queue(pick(queue, base.queue))
                .httpRequest(pick(httpRequest, base.httpRequest))
                .httpKeepAlive(pick(httpKeepAlive, base.httpKeepAlive))
                .tunnel(pick(tunnel, base.tunnel))
                .check(pick(check, base.check))
                .clientFin(pick(clientFin, base.clientFin))
                .serverFin(pick(serverFin, base.serverFin))
                .build();
    }

    /**
     * Fills the timeouts HAProxy derives from others when unset (the rules below: queue from connect,
     * http-request from client, http-keep-alive from http-request). client-fin and server-fin stay
     * {@code null} when unset: HAProxy then keeps the tunnel timeout for a half-closed tunnel. The check timeout stays {@code null} when unset: it then follows each server's
     * {@code inter}.
     */
    public Timeouts withDerivedDefaults() {
        return with()
                .queue(effectiveQueue())
                .httpRequest(effectiveHttpRequest())
                .httpKeepAlive(effectiveHttpKeepAlive())
                .build();
    }

    // HAProxy's fallback rules, the only place they are written. The relay reads them through
    // RuntimeFrontend, which converts them to milliseconds once per runtime graph.

    /** {@code timeout queue}, else {@code timeout connect}. */
    public Duration effectiveQueue() {
        return pick(queue, connect);
    }

    /** {@code timeout http-request} (a whole request head must arrive within it), else {@code timeout client}. */
    public Duration effectiveHttpRequest() {
        return pick(httpRequest, client);
    }

    /** {@code timeout http-keep-alive} (idle time between requests), else the http-request timeout in force. */
    public Duration effectiveHttpKeepAlive() {
        return pick(httpKeepAlive, effectiveHttpRequest());
    }

    /**
     * Idle time of a tunnel (TCP mode, after a 101) between a frontend and a backend (the same
     * section for a listen): the backend's {@code timeout tunnel}, else the larger of the frontend's
     * client and the backend's server timeout; in milliseconds, 0 = none.
     */
    public static long tunnelMs(Timeouts frontend, Timeouts backend) {
        return backend.tunnel != null ? ms(backend.tunnel) : Math.max(ms(frontend.client), ms(backend.server));
    }

    /**
     * Idle time of a tunnel once one direction is shut: the shorter of the frontend's client-fin and
     * the backend's server-fin timeouts that are written, else the tunnel timeout (HAProxy applies a
     * fin timeout to a tunnel only when it is set); in milliseconds, 0 = none.
     */
    public static long halfClosedMs(Timeouts frontend, Timeouts backend) {
        long clientFin = ms(frontend.clientFin);
        long serverFin = ms(backend.serverFin);
        if (clientFin == 0 && serverFin == 0) return tunnelMs(frontend, backend);
        if (clientFin == 0) return serverFin;
        if (serverFin == 0) return clientFin;
        return Math.min(clientFin, serverFin);
    }

    /**
     * {@code d} in milliseconds for the relay's timers: {@code null} (not set) = 0 = none, a set
     * timeout at least 1 ms.
     */
    public static long ms(Duration d) {
        return d == null ? 0 : Math.max(1, d.toMillis());
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    private static <T> T pick(T own, T base) {
        return own != null ? own : base;
    }
}
