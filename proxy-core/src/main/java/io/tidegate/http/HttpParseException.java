package io.tidegate.http;

/**
 * A message that violates HTTP/1.1 syntax or framing (RFC 9112). Carries the status a proxy answers
 * with (400, 431, 501, 505 for requests; 502 for a bad response). Stack traces are not captured:
 * malformed input is an expected event, not a programming error.
 */
public final class HttpParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpParseException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** The status code a proxy should answer with. */
    public int status() {
        return status;
    }
}
