package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;

/**
 * A user agent for the guide's flows in one of two connection styles: {@link Style#KEEP_ALIVE}
 * sends HTTP/1.1 requests on one connection that must stay open; {@link Style#HTTPCLOSE} sends the
 * guide's HTTP/1.0 requests, one connection each, that the proxy must close after the response.
 */
final class GuideClient implements AutoCloseable {
    enum Style { KEEP_ALIVE, HTTPCLOSE }

    private final Style style;
    private final int port;
    private RawClient connection;

    GuideClient(Style style, int port) {
        this.style = style;
        this.port = port;
    }

    /** Sends {@code GET uri} with the given header lines (each ending in CRLF) and reads the response. */
    RawClient.Response get(String uri, String headerLines) throws IOException {
        if (style == Style.KEEP_ALIVE) {
            if (connection == null) connection = new RawClient(port);
            connection.send("GET " + uri + " HTTP/1.1\r\nHost: lb\r\n" + headerLines + "\r\n");
            return connection.read();
        }
        try (RawClient c = new RawClient(port)) {
            c.send("GET " + uri + " HTTP/1.0\r\n" + headerLines + "\r\n");
            RawClient.Response r = c.read();
            assertTrue(c.isClosedByPeer(3_000), "httpclose: the proxy closes the client connection after the response");
            return r;
        }
    }

    RawClient.Response get(String uri) throws IOException {
        return get(uri, "");
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            assertFalse(connection.isClosedByPeer(50), "keep-alive: the client connection stays open");
            connection.close();
        }
    }
}
