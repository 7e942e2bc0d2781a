package io.tidegate.config;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.time.Duration;

/**
 * The {@code timeout} settings of one section. {@code null} = not written in this section.
 * In {@link Config#effective(ProxySection) effective settings} a {@code null} connect, client, server
 * or tunnel timeout means "no timeout", as in HAProxy; the derived ones are filled (see
 * {@link #withDerivedDefaults()}).
 */
@RecordBuilder
public record Timeouts(Duration connect, Duration client, Duration server, Duration queue, Duration httpRequest,
                       Duration httpKeepAlive, Duration tunnel, Duration check, Duration clientFin,
                       Duration serverFin) implements TimeoutsBuilder.With {

    /** Nothing written. */
    public static final Timeouts NONE = new Timeouts(null, null, null, null, null, null, null, null, null, null);

    /** Each timeout of {@code this}, else the one of {@code base}. */
    public Timeouts over(Timeouts base) {
        return new Timeouts(pick(connect, base.connect), pick(client, base.client), pick(server, base.server),
                pick(queue, base.queue), pick(httpRequest, base.httpRequest), pick(httpKeepAlive, base.httpKeepAlive),
                pick(tunnel, base.tunnel), pick(check, base.check), pick(clientFin, base.clientFin),
                pick(serverFin, base.serverFin));
    }

    /**
     * Fills the timeouts HAProxy derives from others when unset: queue from connect, http-request
     * from client, http-keep-alive from http-request, client-fin from client, server-fin from server.
     * The check timeout stays {@code null} when unset: it then follows each server's {@code inter}.
     */
    public Timeouts withDerivedDefaults() {
        Duration req = pick(httpRequest, client);
        return new Timeouts(connect, client, server, pick(queue, connect), req, pick(httpKeepAlive, req), tunnel,
                check, pick(clientFin, client), pick(serverFin, server));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    private static <T> T pick(T own, T base) {
        return own != null ? own : base;
    }
}
