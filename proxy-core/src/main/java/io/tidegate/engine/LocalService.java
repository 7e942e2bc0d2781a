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

    /**
     * The answer when the route's admin conditions ({@code stats admin if|unless COND}) were
     * evaluated for this request: {@code admin} tells whether one applies. By default the same as
     * {@link #answer(RequestHead)}.
     */
    default LocalResponse answer(RequestHead request, boolean admin) {
        return answer(request);
    }

    /**
     * A request whose body this service wants before answering (the stats page's admin POST), or null
     * to answer it at once with {@link #answer(RequestHead, boolean)}. Whatever the service needs of
     * the head must be taken now: the head is not kept while the body is read. The engine then reads
     * the body (at most {@link LocalPost#MAX_BODY} bytes, within {@code timeout http-request}) and
     * calls {@link LocalPost#complete}.
     *
     * @param client the address the request came from
     */
    default LocalPost post(RequestHead request, boolean admin, java.net.InetSocketAddress client) {
        return null;
    }
}
