package io.tidegate.http;

/** How the end of a message body is found (RFC 9112 §6.3). */
public enum BodyFraming {
    /** No body. */
    NONE,
    /** Content-Length bytes. */
    LENGTH,
    /** Chunked transfer coding, ends with the last chunk and trailer section. */
    CHUNKED,
    /** Response body delimited by the server closing the connection. */
    UNTIL_CLOSE
}
