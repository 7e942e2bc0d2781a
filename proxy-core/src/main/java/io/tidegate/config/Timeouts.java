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
     * Fills the timeouts HAProxy derives from others when unset: queue from connect, http-request
     * from client, http-keep-alive from http-request, client-fin from client, server-fin from server.
     * The check timeout stays {@code null} when unset: it then follows each server's {@code inter}.
     */
    public Timeouts withDerivedDefaults() {
        Duration req = pick(httpRequest, client);
        return with()
                .queue(pick(queue, connect))
                .httpRequest(req)
                .httpKeepAlive(pick(httpKeepAlive, req))
                .clientFin(pick(clientFin, client))
                .serverFin(pick(serverFin, server))
                .build();
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    private static <T> T pick(T own, T base) {
        return own != null ? own : base;
    }
}
