package io.tidegate.engine;

import io.tidegate.http.RequestHead;

/**
 * A service Tidegate answers requests with by itself instead of forwarding them to a server:
 * what HAProxy names with {@code http-request use-service NAME} (e.g. {@code prometheus-exporter})
 * and what the stats page ({@code stats uri}) serves. Called on an IO thread: it must not block.
 */
public interface LocalService {
    /** The complete answer to this request. */
    LocalResponse answer(RequestHead request);
}
