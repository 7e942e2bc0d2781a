/**
 * Strict HTTP/1.1 message framing (RFC 9112) for the relay: request and response heads parsed in
 * place as positions into the receive buffer ({@link io.tidegate.http.RequestHead},
 * {@link io.tidegate.http.ResponseHead}), and a {@link io.tidegate.http.ChunkedScanner} that follows a
 * chunked body as it passes without changing it. Anything ambiguous for framing (Content-Length with
 * Transfer-Encoding, repeated or malformed Content-Length, unknown codings, bare LF, obs-fold,
 * whitespace before a colon) is an {@link io.tidegate.http.HttpParseException} carrying the status to
 * answer with.
 */
package io.tidegate.http;
